import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Body of POST /cards: a card as a client typed it. The cvv is checked for shape and then dropped. */
export class TokeniseCardDto {
  @ApiProperty({ example: '4111111111111111', description: '12 to 19 digits, Luhn-valid' })
  @Matches(/^\d{12,19}$/, { message: 'number must be 12 to 19 digits' })
  number!: string;
  @ApiProperty({ minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) expMonth!: number;
  @ApiProperty({ example: 2030 }) @IsInt() @Min(2000) @Max(2100) expYear!: number;
  @ApiProperty({ example: '123', description: 'checked, never stored' }) @Matches(/^\d{3,4}$/, { message: 'cvv must be 3 or 4 digits' }) cvv!: string;
}
