import { cardBrand, isLuhnValid } from '../domain/card';
import { ChargeRequest, ChargeResult, GatewayResult, GatewayTimeoutError, PaymentGateway, RefundRequest, VoidRequest } from './payment-gateway.port';

/**
 * The built-in development gateway's test cards (API.md). Any other Luhn-valid number approves;
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
  /** the gateway times out on charge and refund: GatewayTimeoutError, never a decline */
  timeout: '4000000000000408',
} as const;

/**
 * A stateless gateway that decides by card number, so every payment path can be exercised
 * without a network. Gateway ids derive from the caller's reference, so a repeat gives the same id.
 */
export class TestGateway implements PaymentGateway {
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const token = normalize(request.token);
    const brand = cardBrand(token);
    if (token === TEST_CARDS.timeout) throw new GatewayTimeoutError('charge', request.reference);
    const gatewayTransactionId = `test_ch_${request.reference}`;
    if (!isLuhnValid(token)) return { response: 'HARD_DECLINE', message: 'Invalid card', prepaid: false, brand };
    switch (token) {
      case TEST_CARDS.hardDecline:
        return { response: 'HARD_DECLINE', gatewayTransactionId, message: 'Do not honor', prepaid: false, brand };
      case TEST_CARDS.softDecline:
        return { response: 'SOFT_DECLINE', gatewayTransactionId, message: 'Insufficient funds', prepaid: false, brand };
      case TEST_CARDS.prepaid:
        return { response: 'SUCCESS', gatewayTransactionId, message: 'Approved', prepaid: true, brand };
      default:
        return { response: 'SUCCESS', gatewayTransactionId, message: 'Approved', prepaid: false, brand };
    }
  }

  async void(request: VoidRequest): Promise<GatewayResult> {
    return { succeeded: true, gatewayTransactionId: `test_vd_${request.gatewayTransactionId}`, message: 'Voided' };
  }

  async refund(request: RefundRequest): Promise<GatewayResult> {
    const token = normalize(request.token);
    if (token === TEST_CARDS.timeout) throw new GatewayTimeoutError('refund', request.gatewayTransactionId);
    const rejected = token === TEST_CARDS.refundAlwaysFails || (token === TEST_CARDS.refundFirstAttemptFails && request.attempt === 1);
    if (rejected) return { succeeded: false, message: 'Refund rejected by the issuer' };
    return { succeeded: true, gatewayTransactionId: `test_rf_${request.gatewayTransactionId}_${request.attempt}`, message: 'Refunded' };
  }
}

const normalize = (token: string): string => token.replace(/[ -]/g, '');
