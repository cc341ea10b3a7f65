import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@continuum/contracts';
import { Roles } from '@continuum/platform';
import { SearchResult } from '../domain';
import { HistoryAnswer } from '../views/customer-projection';
import { CustomerProjections } from '../views/customer-projections';
import { HistoryQueryDto, SearchQueryDto } from './projections.dto';
import { historySchema, searchResultsSchema } from './projections.responses';

/** The customer history view and customer search (docs/projections.md, HTTP). */
@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(@Inject(CustomerProjections) private readonly projections: CustomerProjections) {}

  @Get('search')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: 'Customers by exact email, phone, order id or card last four, or by name prefix; most recent order first' })
  @ApiResponse({ status: 200, description: 'The customers found (at most 50)', schema: searchResultsSchema() })
  search(@Query() query: SearchQueryDto): Promise<SearchResult[]> {
    return this.projections.live.search(query.q, this.projections.settings.searchMaxCandidates);
  }

  @Get(':id/history')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: "The customer's history (profile, notes, orders, transactions, fulfillments, purchases, timeline); ?asOf= as it stood then" })
  @ApiResponse({ status: 200, description: 'The history; a merged customer answers the survivor\'s (mergedInto)', schema: historySchema() })
  async history(@Param('id') id: string, @Query() query: HistoryQueryDto): Promise<HistoryAnswer> {
    const asOf = query.asOf === undefined ? undefined : new Date(query.asOf).toISOString();
    const answer = await this.projections.live.history(id, asOf);
    if (!answer) throw new DomainError('CUSTOMER_NOT_FOUND', asOf ? `customer ${id} had no history at ${asOf}` : `customer ${id} has no history`, 'not-found');
    return answer;
  }
}
