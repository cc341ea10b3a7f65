import { Inject, Injectable } from '@nestjs/common';
import { ApiKey, callService, defineSettings, Env, Platform, ProblemException, problem, setting, SettingsOf } from '@continuum/platform';
import { RebillChargeStatus } from '../domain';

/** Where subscriptions asks payments about a rebill order's charge. */
const schema = {
  /** payments' base URL, without a trailing slash */
  url: setting.url('PAYMENTS_URL', 'http://127.0.0.1:3002', ['http', 'https']),
  /** a `service` API key payments accepts (default: the first `service` key of API_KEYS) */
  apiKey: setting.string('PAYMENTS_API_KEY', ''),
  /** how long one charge status query may take */
  timeoutMs: setting.int('PAYMENTS_TIMEOUT_MS', 5_000, { min: 1 }),
};

export const paymentsClientSettings = defineSettings('payments client', schema);
export type PaymentsClientSettings = SettingsOf<typeof schema>;
export const PAYMENTS_CLIENT_SETTINGS = paymentsClientSettings.token;

/**
 * Reads the payments client settings. Without `PAYMENTS_API_KEY` the first `service` key of the
 * service's own API keys is used (the services of one deployment share their keys).
 */
export function loadPaymentsClientSettings(env: Env, apiKeys: readonly ApiKey[]): PaymentsClientSettings {
  const read = paymentsClientSettings.load(env);
  // none at all is not a start failure: the service runs, and each charge status query answers 503 naming the setting
  const apiKey = read.apiKey !== '' ? read.apiKey : (apiKeys.find((key) => key.role === 'service')?.key ?? '');
  return { ...read, url: read.url.replace(/\/+$/, ''), apiKey };
}

const unavailable = (detail: string) => new ProblemException(problem(503, `${detail}; nothing was recorded. Retry later.`, { type: 'urn:continuum:problem:payments-unavailable' }));

/**
 * Asks payments what became of an order's card charge (`GET /orders/:orderId/charge-status`: its
 * record, else the gateway's status query). Services never import each other: this HTTP call is the
 * only path. Payments unreachable or failing is a 503 (an agent retries; a sweep counts it failed).
 */
@Injectable()
export class PaymentsClient {
  constructor(
    @Inject(PAYMENTS_CLIENT_SETTINGS) private readonly settings: PaymentsClientSettings,
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  async chargeStatus(orderId: string, correlationId: string): Promise<RebillChargeStatus> {
    if (this.settings.apiKey === '') throw unavailable('No key to ask payments with: set PAYMENTS_API_KEY (or a `service` key in API_KEYS)');
    const response = await callService(
      `${this.settings.url}/orders/${encodeURIComponent(orderId)}/charge-status`,
      { apiKey: this.settings.apiKey, correlationId, timeoutMs: this.settings.timeoutMs },
      (error) => {
        this.platform.logger.warn({ err: error, payments: this.settings.url }, 'payments unreachable for a charge status');
        return unavailable('Payments cannot be reached');
      },
    );
    const body = response.body as RebillChargeStatus | undefined;
    if (response.status === 200 && body && typeof body.status === 'string' && body.orderId === orderId) return body;
    this.platform.logger.error({ status: response.status, payments: this.settings.url, orderId }, 'payments did not answer a charge status');
    throw unavailable(`Payments answered ${response.status} to the charge status of order ${orderId}`);
  }
}
