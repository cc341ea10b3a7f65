import { createHash } from 'node:crypto';
import { ConfigError, Env, envList, envString } from '@continuum/platform';

/** One AES-256 key of the card vault; `id` (a digest prefix, not the key) is stored beside what it sealed. */
export interface VaultKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The key new cards are sealed with, and older keys that still open cards sealed before a rotation. */
export interface CardVaultKeys {
  readonly current: VaultKey;
  readonly previous: readonly VaultKey[];
}

/**
 * The development key of the local stack (base64 of the 32 bytes `dev-only-card-vault-key-32-bytes`).
 * Documented, hence no secret: refused with NODE_ENV=production.
 */
export const CARD_VAULT_DEV_KEY = 'ZGV2LW9ubHktY2FyZC12YXVsdC1rZXktMzItYnl0ZXM=';

/** Injection token for CardVaultKeys. */
export const CARD_VAULT_KEYS = Symbol('CARD_VAULT_KEYS');

/** Keys are secrets: an error names the variable and the length of the value, never the value. */
const hidden = (value: string): string => `<${value.length} characters, hidden>`;

/** A 32-byte key written as 64 hex digits or as base64 / base64url (44 or 43 characters). */
export function parseVaultKey(variable: string, value: string): VaultKey {
  const text = value.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== 32) {
    throw new ConfigError(variable, hidden(text), 'expected a 32-byte key as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)');
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/**
 * Reads `CARD_VAULT_KEY` (the key new cards are sealed with) and `CARD_VAULT_PREVIOUS_KEYS`
 * (comma-separated keys of before a rotation, still used to open what they sealed). Without
 * CARD_VAULT_KEY the development key applies, except with NODE_ENV=production, which also refuses
 * the development key when it is given explicitly. Throws ConfigError naming the variable.
 */
export function loadCardVaultKeys(env: Env = process.env): CardVaultKeys {
  const production = envString<string>(env, 'NODE_ENV', 'development') === 'production';
  const given = env['CARD_VAULT_KEY']?.trim() ?? '';
  if (given === '' && production) throw new ConfigError('CARD_VAULT_KEY', '', 'required when NODE_ENV=production (a 32-byte key, e.g. `openssl rand -base64 32`)');
  const current = parseVaultKey('CARD_VAULT_KEY', given === '' ? CARD_VAULT_DEV_KEY : given);
  const dev = parseVaultKey('CARD_VAULT_KEY', CARD_VAULT_DEV_KEY);
  if (production && current.id === dev.id) throw new ConfigError('CARD_VAULT_KEY', hidden(given), 'the documented development key is refused when NODE_ENV=production');
  const previous = envList(env, 'CARD_VAULT_PREVIOUS_KEYS', []).map((value) => parseVaultKey('CARD_VAULT_PREVIOUS_KEYS', value));
  return { current, previous: previous.filter((key) => key.id !== current.id) };
}
