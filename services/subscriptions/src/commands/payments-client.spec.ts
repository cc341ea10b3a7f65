import { DEV_API_KEYS } from '@continuum/platform';
import { loadPaymentsClientSettings } from './payments-client';

describe('payments client settings (the charge status query)', () => {
  it('defaults to the local payments service, the first `service` key of API_KEYS and 5 s', () => {
    expect(loadPaymentsClientSettings({}, DEV_API_KEYS)).toEqual({ url: 'http://127.0.0.1:3002', apiKey: 'dev-service', timeoutMs: 5_000 });
  });

  it('reads its own URL (without a trailing slash), key and timeout', () => {
    expect(loadPaymentsClientSettings({ PAYMENTS_URL: 'https://payments.internal/', PAYMENTS_API_KEY: 'k-own', PAYMENTS_TIMEOUT_MS: '800' }, DEV_API_KEYS)).toEqual({
      url: 'https://payments.internal',
      apiKey: 'k-own',
      timeoutMs: 800,
    });
  });

  it('starts without any key (each query then answers 503), and refuses a URL that is not http(s)', () => {
    expect(loadPaymentsClientSettings({}, []).apiKey).toBe('');
    expect(() => loadPaymentsClientSettings({ PAYMENTS_URL: 'ftp://x' }, DEV_API_KEYS)).toThrow(/^PAYMENTS_URL=/);
  });
});
