import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@continuum/contracts';
import { Roles } from '@continuum/platform';
import { OrderSummary } from '../domain';
import { CustomerProjections } from '../views/customer-projections';
import { orderSummarySchema } from './projections.responses';

/** The order summary (API.md, Projections service). */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(@Inject(CustomerProjections) private readonly projections: CustomerProjections) {}

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
