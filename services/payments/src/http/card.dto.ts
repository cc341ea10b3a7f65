import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** The shapes the document states and the validators check (one declaration each). */
const CARD_NUMBER = '^[0-9]{12,19}$';
const CVV = '^[0-9]{3,4}$';

/** Body of POST /cards: a card as a client typed it. The cvv is checked for shape and then dropped. */
export class TokeniseCardDto {
  @ApiProperty({ example: '4111111111111111', pattern: CARD_NUMBER, description: '12 to 19 digits, Luhn-valid' })
  @Matches(new RegExp(CARD_NUMBER), { message: 'number must be 12 to 19 digits' })
  number!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) expMonth!: number;
  @ApiProperty({ type: 'integer', example: 2030, minimum: 2000, maximum: 2100, description: 'with expMonth, not in the past' }) @IsInt() @Min(2000) @Max(2100) expYear!: number;
  @ApiProperty({ example: '123', pattern: CVV, description: 'checked, never stored' }) @Matches(new RegExp(CVV), { message: 'cvv must be 3 or 4 digits' }) cvv!: string;
}
