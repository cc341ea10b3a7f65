import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@continuum/contracts';
import { problem, ProblemException, Roles } from '@continuum/platform';
import { boundOf, OrderSearchItem, OrderSummary } from '../domain';
import { UnknownCursorError } from '../views/customer-projection';
import { CustomerProjections } from '../views/customer-projections';
import { ORDER_SEARCH_LIMIT_DEFAULT, OrderSearchQueryDto } from './projections.dto';
import { orderSearchSchema, orderSummarySchema } from './projections.responses';

/** The 400 of one bad query parameter, as the validation pipe answers it. */
const badField = (field: string, message: string) =>
  new ProblemException(problem(400, 'The request has 1 invalid field.', { type: 'urn:continuum:problem:validation', errors: [{ field, message }] }));

/** The order summary and the order search (docs/projections.md, HTTP). */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(@Inject(CustomerProjections) private readonly projections: CustomerProjections) {}

  @Get('search')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: 'Orders by status, campaign, product, payment type, placing time and the customer search text; newest first, paged by `after`' })
  @ApiResponse({ status: 200, description: 'One page; `next` (the `after` of the next page) when more orders match', schema: orderSearchSchema() })
  async search(@Query() query: OrderSearchQueryDto): Promise<{ items: OrderSearchItem[]; next?: string }> {
    const from = query.from === undefined ? undefined : boundOf(query.from, 'from');
    if (query.from !== undefined && from === undefined) throw badField('from', 'from must be a calendar date or date-time');
    const to = query.to === undefined ? undefined : boundOf(query.to, 'to');
    if (query.to !== undefined && to === undefined) throw badField('to', 'to must be a calendar date or date-time');
    if (from !== undefined && to !== undefined && from > to) throw badField('from', 'from must not be after to');
    const { status, campaignId, productId, paymentType, q, after } = query;
    try {
      return await this.projections.live.searchOrders(
        { status, campaignId, productId, paymentType, from, to, q, after, limit: query.limit === undefined ? ORDER_SEARCH_LIMIT_DEFAULT : Number(query.limit) },
        this.projections.settings.searchMaxCandidates,
      );
    } catch (error) {
      if (error instanceof UnknownCursorError) throw new DomainError('UNKNOWN_CURSOR', error.message, 'rule', { field: 'after' });
      throw error;
    }
  }

  @Get(':id/summary')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: "The order with its transactions, fulfillments, purchases and timeline, from every service's events" })
  @ApiResponse({ status: 200, description: 'The summary', schema: orderSummarySchema() })
  async summary(@Param('id') id: string): Promise<OrderSummary> {
    const summary = await this.projections.live.orderSummary(id);
    if (!summary) throw new DomainError('ORDER_NOT_FOUND', `order ${id} is not in the projection (yet)`, 'not-found');
    return summary;
  }
}
