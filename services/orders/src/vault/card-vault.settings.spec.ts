import { ConfigError, DEV_API_KEYS, parseApiKeys } from '@continuum/platform';
import { loadCardVaultSettings } from './card-vault.settings';

describe('card vault settings (orders)', () => {
  it('defaults to the local payments service and the development service key', () => {
    expect(loadCardVaultSettings({}, DEV_API_KEYS)).toEqual({ url: 'http://127.0.0.1:3002', apiKey: 'dev-service', timeoutMs: 5000 });
  });

  it('takes the first service key of API_KEYS, or CARD_VAULT_API_KEY when set', () => {
    const keys = parseApiKeys('alice:agent:k-a,lander:service:k-s,checkout:service:k-t');
    expect(loadCardVaultSettings({}, keys).apiKey).toBe('k-s');
    expect(loadCardVaultSettings({ CARD_VAULT_API_KEY: 'k-own', CARD_VAULT_URL: 'https://payments.internal/', CARD_VAULT_TIMEOUT_MS: '800' }, keys)).toEqual({
      url: 'https://payments.internal',
      apiKey: 'k-own',
      timeoutMs: 800,
    });
  });

  it('stops the start with an error naming the variable', () => {
    expect(() => loadCardVaultSettings({}, parseApiKeys('alice:agent:k-a'))).toThrow(ConfigError);
    expect(() => loadCardVaultSettings({}, [])).toThrow(/^CARD_VAULT_API_KEY=/);
    expect(() => loadCardVaultSettings({ CARD_VAULT_URL: 'ftp://x' }, DEV_API_KEYS)).toThrow(/^CARD_VAULT_URL=/);
  });
});
