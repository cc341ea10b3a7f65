import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ChargeStatusAnswer, chargeStatusFromGateway, chargeStatusStart, firstChargeId } from '../domain';
import { PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { PaymentsViews } from '../views';
import { TransactionAggregate } from './aggregates';

/** What became of an order's card charge: payments' record, else the gateway's status query. Records nothing. */
export class ChargeStatusCommand extends Command<ChargeStatusAnswer> {
  constructor(readonly orderId: string) {
    super();
  }
}

/** Reads the order's charge stream and its other transactions, and asks the gateway when nothing is recorded; decisions in domain/charge-status.workflow.ts. */
@CommandHandler(ChargeStatusCommand)
export class ChargeStatusHandler implements ICommandHandler<ChargeStatusCommand, ChargeStatusAnswer> {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ orderId }: ChargeStatusCommand): Promise<ChargeStatusAnswer> {
    const chargeId = firstChargeId(orderId);
    const others = (await this.views.transactions.transactionIdsOfOrder(orderId)).filter((id) => id !== chargeId);
    const start = chargeStatusStart(orderId, (await this.transactions.load(chargeId)).state, await this.transactions.states(others));
    if (start.kind === 'ANSWER') return start.answer;
    return chargeStatusFromGateway(orderId, await this.gateway.status(start.query));
  }
}
