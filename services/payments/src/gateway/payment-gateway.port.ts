import { CardBrand, ChargePurpose } from '@continuum/contracts';
import { ChargeGatewayResult, GatewayActionResult } from '../domain/transaction.commands';
import { GatewayStatus, GatewayStatusQuery } from '../domain/reversal-sweeps.workflow';

/** Ask the gateway to take money. `token` is the card vault's token; the adapter reads the number back from the vault. */
export type ChargeRequest = {
  readonly token: string;
  /** integer minor units */
  readonly amount: number;
  readonly currency: string;
  /** our transaction id: the gateway's idempotency/reference key */
  readonly reference: string;
  readonly merchantId?: string;
  /**
   * What the charge pays: ORDER is the customer's own charge with the card at hand; RERUN, UPSELL
   * and REBILL charge the card on file later (a real gateway flags those as merchant-initiated).
   */
  readonly purpose: ChargePurpose;
};

/** The gateway's answer to a charge; fits `RecordCharge.data.gatewayResult` as it is. */
export type ChargeResult = ChargeGatewayResult & { readonly brand: CardBrand };

export type VoidRequest = {
  readonly gatewayTransactionId: string;
  /** the charge's card vault token (the test gateway decides by card number) */
  readonly token: string;
  /** `<transactionId>:void:<n>`: the same reserved void asked again repeats it; a new void after a rejection is the next n */
  readonly reference: string;
};

export type RefundRequest = {
  readonly gatewayTransactionId: string;
  readonly token: string;
  readonly amount: number;
  /** 1 = the first try, 2..4 = the daily retries */
  readonly attempt: number;
  /**
   * Whether the charge has settled by our records. A real gateway knows this itself; the test
   * gateway keeps no state, so it reads it here and refuses a refund of an unsettled charge
   * (`refusal: 'NOT_SETTLED'`), as gateways do.
   */
  readonly settled: boolean;
  /** `<refundId>:<n>`: n is the attempt, or the previous one's after an attempt without an answer, so the gateway deduplicates a refund that did go through */
  readonly reference: string;
};

/** The gateway's answer to a void or refund; fits `Void.data.gatewayResult` and `RecordRefundAttempt` as it is. */
export type GatewayResult = GatewayActionResult;

/**
 * The port every payment gateway adapter implements. A decline or a rejected refund is an answer
 * (a result); a gateway that did not answer in time throws `GatewayTimeoutError`: the outcome is
 * unknown, so the caller retries or reports it and never records a decline.
 */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  void(request: VoidRequest): Promise<GatewayResult>;
  refund(request: RefundRequest): Promise<GatewayResult>;
  /**
   * What the gateway did under one of our references (a charge's transaction id, a void's or a
   * refund's reference): its answer then, or `found: false` when it never received that request.
   * The sweepers ask it when a crash left a reservation without its answer.
   */
  status(query: GatewayStatusQuery): Promise<GatewayStatus>;
}

/** Injection token for the configured gateway (a plain symbol, so no framework is needed here). */
export const PAYMENT_GATEWAY = Symbol('PaymentGateway');

/** The gateway did not answer in time: not a decline, the outcome is unknown. */
export class GatewayTimeoutError extends Error {
  constructor(
    readonly operation: 'charge' | 'void' | 'refund',
    readonly reference: string,
  ) {
    super(`payment gateway timed out during ${operation} (${reference}); the outcome is unknown`);
    this.name = 'GatewayTimeoutError';
  }
}
