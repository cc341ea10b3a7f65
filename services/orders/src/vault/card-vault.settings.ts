import { ApiKey, ConfigError, Env, envInt, envUrl } from '@continuum/platform';

/** Where orders exchanges a card for a token: the card vault of the payments service. */
export interface CardVaultSettings {
  /** payments' base URL (`CARD_VAULT_URL`, default http://127.0.0.1:3002) */
  readonly url: string;
  /** a `service` API key payments accepts (`CARD_VAULT_API_KEY`) */
  readonly apiKey: string;
  /** how long one tokenisation may take before POST /orders answers 503 (`CARD_VAULT_TIMEOUT_MS`) */
  readonly timeoutMs: number;
}

/** Injection token for CardVaultSettings. */
export const CARD_VAULT_SETTINGS = Symbol('CARD_VAULT_SETTINGS');

/**
 * Reads the card vault settings. Without `CARD_VAULT_API_KEY` orders uses the first `service` key of
 * its own API keys (`API_KEYS`, or `dev-service` on the local stack), as the services of one
 * deployment share their keys. No such key is a ConfigError naming CARD_VAULT_API_KEY.
 */
export function loadCardVaultSettings(env: Env, apiKeys: readonly ApiKey[]): CardVaultSettings {
  const url = envUrl(env, 'CARD_VAULT_URL', 'http://127.0.0.1:3002', ['http', 'https']).replace(/\/+$/, '');
  const given = env['CARD_VAULT_API_KEY']?.trim() ?? '';
  const apiKey = given !== '' ? given : apiKeys.find((key) => key.role === 'service')?.key;
  if (apiKey === undefined) throw new ConfigError('CARD_VAULT_API_KEY', '', 'set it to a `service` API key of the payments service (API_KEYS lists none to use instead)');
  return { url, apiKey, timeoutMs: envInt(env, 'CARD_VAULT_TIMEOUT_MS', 5_000, { min: 1 }) };
}
