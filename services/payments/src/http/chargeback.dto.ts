import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '@continuum/platform';

/** Body of POST /transactions/:id/chargeback. */
export class ChargebackDto {
  @ApiProperty({ description: 'integer minor units, at most the charge', example: 4999, minimum: 1 })
  @IsInt()
  @Min(1)
  amount!: number;

  @ApiProperty({ description: 'the date of the chargeback (ISO-8601)', example: '2026-03-02' })
  @IsDateString()
  date!: string;

  @ApiProperty({ description: "the card network's reason code", example: '10.4' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  reasonCode!: string;

  @ApiPropertyOptional({ example: 'customer says the card was stolen' })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  note?: string;
}
