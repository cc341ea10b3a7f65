import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CARD_BRANDS, CardBrand } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { ChargeRequest } from '../domain';
import { PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { TransactionAggregate } from './aggregates';

/** The brand the card vault gave the card (orders carries it as a plain string). */
const knownBrand = (brand: string): CardBrand => ((CARD_BRANDS as readonly string[]).includes(brand) ? (brand as CardBrand) : 'UNKNOWN');

/** The merchant account a charge goes to when the order names none. */
export const DEFAULT_MERCHANT_ID = 'default';

export interface ChargeCardResult {
  readonly transactionId: string;
  readonly response: 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE';
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

@CommandHandler(ChargeCardCommand)
export class ChargeCardHandler implements ICommandHandler<ChargeCardCommand, ChargeCardResult> {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async execute({ input, context }: ChargeCardCommand): Promise<ChargeCardResult> {
    const { state } = await this.transactions.load(input.transactionId);
    // Already recorded (a redelivery): answer from the stream, never charge twice.
    if (state.status === 'APPROVED' || state.status === 'VOIDED') return { transactionId: input.transactionId, response: 'SUCCESS', replayed: true };
    if (state.status === 'DECLINED') return { transactionId: input.transactionId, response: state.response, replayed: true };
    const merchantId = input.merchantId ?? DEFAULT_MERCHANT_ID;
    const answer = await this.gateway.charge({ token: input.card.token, amount: input.amount, currency: input.currency, reference: input.transactionId, merchantId, purpose: input.for.purpose });
    const { brand: _brand, ...gatewayResult } = answer;
    const result = await this.transactions.run(input.transactionId, { type: 'RecordCharge', data: {
        transactionId: input.transactionId,
        orderId: input.orderId,
        customerId: input.customerId,
        type: input.type ?? 'SALE',
        amount: input.amount,
        currency: input.currency,
        card: { token: input.card.token, brand: answer.brand === 'UNKNOWN' ? knownBrand(input.card.brand) : answer.brand, last4: input.card.last4, bin: input.card.bin.slice(0, 6) },
        merchantId,
        gatewayResult,
        ...(input.rerunOf !== undefined ? { rerunOf: input.rerunOf } : {}),
        ...input.for,
      } }, context);
    const recorded = result.events.find((e) => e.type === 'PaymentApproved' || e.type === 'PaymentDeclined');
    const response = recorded?.type === 'PaymentDeclined' ? recorded.data.response : 'SUCCESS';
    return { transactionId: input.transactionId, response, replayed: result.replayed };
  }
}
