import { Body, Controller, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TokenisedCard } from '@continuum/contracts';
import { ProblemException, Roles, problem } from '@continuum/platform';
import { cardProblems } from '../domain';
import { CardVault } from '../vault';
import { TokeniseCardDto } from './card.dto';

/**
 * The card vault's door: where a card enters (orders' POST /orders, internal publishers of
 * orders.intake.v1) it is exchanged here for a token at once. Only services call it.
 */
@ApiTags('cards')
@Controller('cards')
export class CardsController {
  constructor(@Inject(CardVault) private readonly vault: CardVault) {}

  @Post()
  @Roles('service')
  @ApiOperation({ summary: 'Tokenise a card -> 201 { token, brand, last4, bin, expMonth, expYear }; the number is kept encrypted, the cvv not at all' })
  async tokenise(@Body() dto: TokeniseCardDto): Promise<TokenisedCard> {
    const problems = cardProblems(dto, new Date().toISOString());
    if (problems.length > 0) {
      throw new ProblemException(problem(400, 'The card cannot be used.', { type: 'urn:continuum:problem:validation', errors: problems }));
    }
    return this.vault.tokenise({ number: dto.number, expMonth: dto.expMonth, expYear: dto.expYear });
  }
}
