import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { amount } from '@continuum/contracts';
import { IsOmittable, SchemaField } from '@continuum/platform';

/** Body of POST /transactions/:id/chargeback. */
export class ChargebackDto {
  @SchemaField({ ...amount(1), description: 'integer minor units, at most the charge' }, { example: 4999 })
  amount!: number;

  @ApiProperty({ description: 'the date of the chargeback (ISO-8601)', example: '2026-03-02', format: 'date' })
  @IsDateString()
  date!: string;

  @ApiProperty({ description: "the card network's reason code", example: '10.4', minLength: 1, maxLength: 50 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  reasonCode!: string;

  @ApiPropertyOptional({ example: 'customer says the card was stolen', maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  note?: string;
}
