import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { ChargeRequest, ChargeResponse, chargeRecord, chargeStart } from '../domain';
import { PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { TransactionAggregate } from './aggregates';

export interface ChargeCardResult {
  readonly transactionId: string;
  readonly response: ChargeResponse;
  readonly replayed: boolean;
}

/**
 * Charge a card for an order (a new order, a rerun, an upsell or a rebill). `transactionId` must be
 * derived from what caused the charge, so a redelivered cause reaches the same transaction and the
 * gateway sees the same reference. `for` says what the charge pays (ORDER, RERUN, REBILL, or one
 * UPSELL item) and travels on PaymentApproved/PaymentDeclined.
 */
export class ChargeCardCommand extends Command<ChargeCardResult> {
  constructor(
    readonly input: ChargeRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The charge's I/O: read the transaction, call the gateway, record; the decisions are domain/charge-card.workflow.ts. */
@CommandHandler(ChargeCardCommand)
export class ChargeCardHandler implements ICommandHandler<ChargeCardCommand, ChargeCardResult> {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ input, context }: ChargeCardCommand): Promise<ChargeCardResult> {
    const start = chargeStart((await this.transactions.load(input.transactionId)).state, input);
    // Already recorded (a redelivery): answer from the stream, never charge twice.
    if (start.kind === 'RECORDED') return { transactionId: input.transactionId, response: start.response, replayed: true };
    const answer = await this.gateway.charge(start.call);
    const result = await this.transactions.run(input.transactionId, chargeRecord(input, answer), context);
    const recorded = result.events.find((e) => e.type === 'PaymentApproved' || e.type === 'PaymentDeclined');
    const response = recorded?.type === 'PaymentDeclined' ? recorded.data.response : 'SUCCESS';
    return { transactionId: input.transactionId, response, replayed: result.replayed };
  }
}
