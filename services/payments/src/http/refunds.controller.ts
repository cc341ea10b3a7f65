import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, arrayOf, listPage, pageOf } from '@continuum/contracts';
import { CommandContext, CurrentContext, Roles } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { RefundView, refundView } from '../domain';
import { PaymentsViews } from '../views';
import { RefundsQueryDto } from './list-queries.dto';
import { refundResponse, resendAnswer } from './payments.responses';

/** Refunds and the refund queue (refunds the gateway rejected, retried daily). */
@ApiTags('refunds')
@Controller('refunds')
export class RefundsController {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
  ) {}

  @Get()
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: 'One page of the refunds, optionally by status (QUEUED: the refund queue), oldest request first: `limit` 1..200 (default 50), `after` the last refundId of the previous page' })
  @ApiResponse({ status: 200, description: 'The refunds', schema: arrayOf(refundResponse()) })
  async list(@Query() query: RefundsQueryDto): Promise<RefundView[]> {
    return pageOf(await this.views.transactions.refundsByStatus(query.status), (refund) => refund.refundId, listPage(query));
  }

  @Get(':id')
  @Roles('agent', 'admin', 'service')
  @ApiOperation({ summary: 'A refund with every gateway attempt, the first one included' })
  @ApiResponse({ status: 200, description: 'The refund', schema: refundResponse() })
  async get(@Param('id') id: string): Promise<RefundView> {
    const transactionId = await this.views.transactions.transactionOfRefund(id);
    const view = transactionId ? refundView((await this.transactions.load(transactionId)).state, id) : undefined;
    if (!view) throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
    return view;
  }

  @Post(':id/resend-email')
  @HttpCode(200)
  @Roles('agent', 'admin')
  @ApiOperation({ summary: "Send the customer's refund email again (a refund id, or a void's id)" })
  @ApiResponse({ status: 200, description: 'The email is on its way', schema: resendAnswer() })
  resendEmail(@Param('id') id: string, @CurrentContext() context: CommandContext) {
    return this.transactions.resendRefundEmail(id, context);
  }
}
