import { ApiKey, ConfigError, defineSettings, Env, setting, SettingsOf } from '@continuum/platform';

/** Where orders exchanges a card for a token: the card vault of the payments service. */
const schema = {
  /** payments' base URL (`CARD_VAULT_URL`, default http://127.0.0.1:3002), without a trailing slash */
  url: setting.url('CARD_VAULT_URL', 'http://127.0.0.1:3002', ['http', 'https']),
  /** a `service` API key payments accepts (`CARD_VAULT_API_KEY`; see loadCardVaultSettings for its default) */
  apiKey: setting.string('CARD_VAULT_API_KEY', ''),
  /** how long one tokenisation may take before POST /orders answers 503 (`CARD_VAULT_TIMEOUT_MS`) */
  timeoutMs: setting.int('CARD_VAULT_TIMEOUT_MS', 5_000, { min: 1 }),
};

export const cardVaultSettings = defineSettings('card vault', schema);
export type CardVaultSettings = SettingsOf<typeof schema>;

/** Injection token for CardVaultSettings. */
export const CARD_VAULT_SETTINGS = cardVaultSettings.token;

/**
 * Reads the card vault settings. Without `CARD_VAULT_API_KEY` orders uses the first `service` key of
 * its own API keys (`API_KEYS`, or `dev-service` on the local stack), as the services of one
 * deployment share their keys. No such key is a ConfigError naming CARD_VAULT_API_KEY.
 */
export function loadCardVaultSettings(env: Env, apiKeys: readonly ApiKey[]): CardVaultSettings {
  const read = cardVaultSettings.load(env);
  const apiKey = read.apiKey !== '' ? read.apiKey : apiKeys.find((key) => key.role === 'service')?.key;
  if (apiKey === undefined) throw new ConfigError('CARD_VAULT_API_KEY', '', 'set it to a `service` API key of the payments service (API_KEYS lists none to use instead)');
  return { ...read, url: read.url.replace(/\/+$/, ''), apiKey };
}
