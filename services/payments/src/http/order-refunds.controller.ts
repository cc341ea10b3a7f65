import { Body, Controller, HttpCode, Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@continuum/contracts';
import { ApiProblems, CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { RefundOrderCommand } from '../commands';
import { PaymentsViews } from '../views';
import { GatewayTimeoutInterceptor } from './gateway-timeout.interceptor';
import { orderRefundAnswer } from './payments.responses';
import { RefundRequestDto } from './refund-request.dto';

/** "Refund from the order": void first when possible, else refund (a workflow: RefundOrderCommand). */
@ApiTags('refunds')
@Controller('orders')
@UseInterceptors(GatewayTimeoutInterceptor)
export class OrderRefundsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
  ) {}

  @Post(':orderId/refund')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Void first when possible (unsettled and full), else refund -> { action: VOID | REFUND, refundId?, status }' })
  @ApiProblems(504)
  @ApiResponse({ status: 200, description: 'What was done', schema: orderRefundAnswer(), links: { GetRefund: { operationId: 'RefundsController_get', parameters: { id: '$response.body#/refundId' } } } })
  async refund(@Param('orderId') orderId: string, @Body() body: RefundRequestDto, @CurrentContext() context: CommandContext) {
    // an order payments has no transaction of is unknown here: 404, not "nothing to refund"
    if ((await this.views.transactions.transactionIdsOfOrder(orderId)).length === 0) throw new DomainError('ORDER_NOT_FOUND', `payments knows no order ${orderId}`, 'not-found');
    const [step] = await this.commandBus.execute(new RefundOrderCommand(orderId, { full: false, ...(body.amount !== undefined ? { amount: body.amount } : {}) }, context));
    return step;
  }
}
