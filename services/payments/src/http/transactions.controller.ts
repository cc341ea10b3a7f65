import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, arrayOf } from '@continuum/contracts';
import { ApiProblems, CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { ReverseChargeCommand, TransactionAggregate } from '../commands';
import { TransactionRow, transactionRows } from '../domain';
import { PaymentsViews } from '../views';
import { ChargebackDto } from './chargeback.dto';
import { GatewayTimeoutInterceptor } from './gateway-timeout.interceptor';
import { TransactionsQueryDto } from './list-queries.dto';
import { refundAnswer, transactionRowResponse, voidAnswer } from './payments.responses';
import { RefundRequestDto } from './refund-request.dto';

/**
 * Transactions: list by order, read one, void, refund, chargebacks. Void and refund are charge
 * reversals (a workflow: ReverseChargeCommand); a chargeback is one decision on the transaction.
 */
@ApiTags('transactions')
@Controller('transactions')
@UseInterceptors(GatewayTimeoutInterceptor)
@ApiProblems(504)
export class TransactionsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
  ) {}

  @Get()
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: "The order's transactions: charges, captures, voids and refunds (each with parentTransactionId)" })
  @ApiResponse({ status: 200, description: 'The rows of the order', schema: arrayOf(transactionRowResponse()) })
  list(@Query() query: TransactionsQueryDto): Promise<TransactionRow[]> {
    return this.views.transactions.rowsOfOrder(query.orderId);
  }

  @Get(':id')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: 'One transaction row: a charge, or a VOID/REFUND row by its own id' })
  @ApiResponse({ status: 200, description: 'The row', schema: transactionRowResponse() })
  async get(@Param('id') id: string): Promise<TransactionRow> {
    // The stream is read directly, so a change is visible at once.
    const owner = (await this.views.transactions.transactionOfRefund(id)) ?? id;
    const { state } = await this.transactions.load(owner);
    const row = transactionRows(state).find((r) => r.transactionId === id);
    if (!row) throw new DomainError('TRANSACTION_NOT_FOUND', 'transaction not found', 'not-found');
    return row;
  }

  @Post(':id/void')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Void an unsettled charge in full; 422 when settled or not a charge' })
  @ApiResponse({ status: 200, description: 'Voided', schema: voidAnswer() })
  async void(@Param('id') id: string, @CurrentContext() context: CommandContext) {
    const outcome = await this.commandBus.execute(ReverseChargeCommand.void(id, context));
    return { ...outcome, status: 'VOIDED' };
  }

  @Post(':id/refund')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Refund a settled charge (default: all that remains) -> { refundId, status: SUCCEEDED | QUEUED }' })
  @ApiResponse({ status: 200, description: 'Refunded, or queued for retries', schema: refundAnswer(), links: { GetRefund: { operationId: 'RefundsController_get', parameters: { id: '$response.body#/refundId' } } } })
  refund(@Param('id') id: string, @Body() body: RefundRequestDto, @CurrentContext() context: CommandContext) {
    return this.commandBus.execute(ReverseChargeCommand.refund(id, body.amount, context));
  }

  @Post(':id/chargeback')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Mark a chargeback (amount, date, reason code)' })
  @ApiResponse({ status: 200, description: 'The charge with its chargeback', schema: transactionRowResponse() })
  async markChargeback(@Param('id') id: string, @Body() body: ChargebackDto, @CurrentContext() context: CommandContext): Promise<TransactionRow> {
    const data = { amount: body.amount, date: body.date, reasonCode: body.reasonCode, ...(body.note !== undefined ? { note: body.note } : {}) };
    return transactionRows((await this.transactions.run(id, { type: 'MarkChargeback', data }, context)).state)[0];
  }

  @Delete(':id/chargeback')
  @Roles('agent', 'admin')
  @ApiOperation({ summary: 'Revert the chargeback' })
  @ApiProblems(409, 422)
  @ApiResponse({ status: 200, description: 'The charge without its chargeback', schema: transactionRowResponse() })
  async revertChargeback(@Param('id') id: string, @CurrentContext() context: CommandContext): Promise<TransactionRow> {
    return transactionRows((await this.transactions.run(id, { type: 'RevertChargeback', data: {} }, context)).state)[0];
  }
}
