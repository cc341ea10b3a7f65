import { LRUCache } from 'lru-cache';
import { ChargePurpose } from '@continuum/contracts';
import { cardBrand, isLuhnValid } from '../domain/card';
import { CardNumberSource } from '../vault/card-vault';
import { GatewayStatus, GatewayStatusQuery } from '../domain/reversal-sweeps.workflow';
import { ChargeRequest, ChargeResult, GatewayResult, GatewayTimeoutError, PaymentGateway, RefundRequest, VoidRequest } from './payment-gateway.port';

/**
 * The built-in development gateway's test cards (README.md lists them). Any other Luhn-valid number approves;
 * a number that fails the Luhn check is a hard decline ("Invalid card").
 */
export const TEST_CARDS = {
  /** approves */
  approve: '4111111111111111',
  /** hard decline: needs new payment details */
  hardDecline: '4000000000000002',
  /** soft decline: may be rerun */
  softDecline: '4000000000009995',
  /** approves, and the card is PREPAID (orders holds it for QA) */
  prepaid: '4000000000000077',
  /** approves, but every refund fails at the gateway (refund queue, then abandoned) */
  refundAlwaysFails: '4000000000000119',
  /** approves; the first refund attempt fails, later ones succeed */
  refundFirstAttemptFails: '4000000000000259',
  /** approves its order's own charge; every later charge on the card (rebill, rerun, upsell) soft-declines: recycle billing */
  laterChargesSoftDecline: '4000000000000341',
  /** approves its order's own charge; every later charge on the card hard-declines */
  laterChargesHardDecline: '4000000000000358',
  /** the gateway times out on charge and refund: GatewayTimeoutError, never a decline */
  timeout: '4000000000000408',
  /** approves, but every void fails at the gateway (a refund from the order follows the failed void) */
  voidAlwaysFails: '4000000000000424',
  /** approves its order's own charge; every later charge on the card (rebill, rerun, upsell) times out: the outcome never comes */
  laterChargesTimeOut: '4000000000000432',
} as const;

/** How many answers the test gateway remembers for its status query. */
const MAX_REMEMBERED = 100_000;

/** The charge a customer makes with the card at hand; rebills, reruns and upsells charge the card on file later. */
const isFirstCharge = (purpose: ChargePurpose): boolean => purpose === 'ORDER';

/**
 * A gateway that decides by card number, so every payment path can be exercised without a
 * network. Like a real gateway adapter it is handed a vault token and reads the number back from
 * the card vault for the call; a token the vault never issued is declined. Gateway ids derive
 * from the caller's reference, so a repeat gives the same id. It remembers (in memory, per process)
 * what it answered under each reference, so its status query tells a request it answered from one
 * it never received (a call that timed out counts as never received).
 */
export class TestGateway implements PaymentGateway {
  /** the answers under each reference; the oldest are forgotten past MAX_REMEMBERED, so a long-running process stays bounded */
  private readonly answered = new LRUCache<string, GatewayStatus>({ max: MAX_REMEMBERED });

  constructor(private readonly cards: CardNumberSource) {}

  async status(query: GatewayStatusQuery): Promise<GatewayStatus> {
    return this.answered.get(`${query.operation}:${query.reference}`) ?? { found: false };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const result = await this.decideCharge(request);
    const { response, message, gatewayTransactionId } = result;
    const charged = { found: true, succeeded: response === 'SUCCESS', response, message, amount: request.amount, currency: request.currency } as const;
    this.answered.set(`charge:${request.reference}`, { ...charged, ...(gatewayTransactionId !== undefined ? { gatewayTransactionId } : {}) });
    return result;
  }

  async void(request: VoidRequest): Promise<GatewayResult> {
    return this.remember(`void:${request.reference}`, await this.decideVoid(request));
  }

  async refund(request: RefundRequest): Promise<GatewayResult> {
    return this.remember(`refund:${request.reference}`, await this.decideRefund(request));
  }

  private remember(key: string, result: GatewayResult): GatewayResult {
    this.answered.set(key, { found: true, succeeded: result.succeeded, message: result.message, ...(result.gatewayTransactionId !== undefined ? { gatewayTransactionId: result.gatewayTransactionId } : {}) });
    return result;
  }


  private async decideCharge(request: ChargeRequest): Promise<ChargeResult> {
    const card = await this.cards.reveal(request.token);
    if (!card) return { response: 'HARD_DECLINE', message: 'Unknown card token', prepaid: false, brand: 'UNKNOWN' };
    const number = card.number;
    const brand = cardBrand(number);
    if (number === TEST_CARDS.timeout || (number === TEST_CARDS.laterChargesTimeOut && !isFirstCharge(request.purpose))) throw new GatewayTimeoutError('charge', request.reference);
    const gatewayTransactionId = `test_ch_${request.reference}`;
    if (!isLuhnValid(number)) return { response: 'HARD_DECLINE', message: 'Invalid card', prepaid: false, brand };
    const later = !isFirstCharge(request.purpose);
    switch (number) {
      case TEST_CARDS.hardDecline:
        return { response: 'HARD_DECLINE', gatewayTransactionId, message: 'Do not honor', prepaid: false, brand };
      case TEST_CARDS.softDecline:
        return { response: 'SOFT_DECLINE', gatewayTransactionId, message: 'Insufficient funds', prepaid: false, brand };
      case TEST_CARDS.laterChargesSoftDecline:
        if (later) return { response: 'SOFT_DECLINE', gatewayTransactionId, message: 'Insufficient funds', prepaid: false, brand };
        break;
      case TEST_CARDS.laterChargesHardDecline:
        if (later) return { response: 'HARD_DECLINE', gatewayTransactionId, message: 'Card closed', prepaid: false, brand };
        break;
      case TEST_CARDS.prepaid:
        return { response: 'SUCCESS', gatewayTransactionId, message: 'Approved', prepaid: true, brand };
    }
    return { response: 'SUCCESS', gatewayTransactionId, message: 'Approved', prepaid: false, brand };
  }

  private async decideVoid(request: VoidRequest): Promise<GatewayResult> {
    const card = await this.cards.reveal(request.token);
    if (card?.number === TEST_CARDS.voidAlwaysFails) return { succeeded: false, message: 'Void rejected by the gateway' };
    return { succeeded: true, gatewayTransactionId: `test_vd_${request.gatewayTransactionId}`, message: 'Voided' };
  }

  private async decideRefund(request: RefundRequest): Promise<GatewayResult> {
    const card = await this.cards.reveal(request.token);
    if (!card) return { succeeded: false, message: 'Unknown card token' };
    const number = card.number;
    if (number === TEST_CARDS.timeout) throw new GatewayTimeoutError('refund', request.gatewayTransactionId);
    // money that has not settled cannot be refunded yet (it can only be voided)
    if (!request.settled) return { succeeded: false, message: 'Charge not settled yet', refusal: 'NOT_SETTLED' };
    const rejected = number === TEST_CARDS.refundAlwaysFails || (number === TEST_CARDS.refundFirstAttemptFails && request.attempt === 1);
    if (rejected) return { succeeded: false, message: 'Refund rejected by the issuer' };
    return { succeeded: true, gatewayTransactionId: `test_rf_${request.gatewayTransactionId}_${request.attempt}`, message: 'Refunded' };
  }
}
