import { randomBytes } from 'node:crypto';
import { ConfigError } from '@continuum/platform';
import { CARD_VAULT_DEV_KEY, loadCardVaultKeys, parseVaultKey } from './card-vault-keys';

const raw = randomBytes(32);

describe('card vault keys (CARD_VAULT_KEY)', () => {
  it('reads a 32-byte key as hex, base64 or base64url, the same key each way', () => {
    const ids = [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')].map((text) => parseVaultKey('CARD_VAULT_KEY', text));
    expect(ids.every((k) => k.key.equals(raw))).toBe(true);
    expect(new Set(ids.map((k) => k.id)).size).toBe(1);
    expect(ids[0]!.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('stops the start with an error that names the variable and hides the value', () => {
    const short = randomBytes(16).toString('base64');
    const error = (() => {
      try {
        loadCardVaultKeys({ CARD_VAULT_KEY: short });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^CARD_VAULT_KEY=.*32-byte key/);
    expect((error as ConfigError).message).not.toContain(short);
    expect(() => loadCardVaultKeys({ CARD_VAULT_KEY: 'not a key' })).toThrow(/CARD_VAULT_KEY/);
    expect(() => loadCardVaultKeys({ CARD_VAULT_KEY: raw.toString('base64'), CARD_VAULT_PREVIOUS_KEYS: 'abc' })).toThrow(/CARD_VAULT_PREVIOUS_KEYS/);
  });

  it('uses the documented development key when none is set, outside production only', () => {
    expect(loadCardVaultKeys({}).current.key.equals(Buffer.from(CARD_VAULT_DEV_KEY, 'base64'))).toBe(true);
    expect(() => loadCardVaultKeys({ NODE_ENV: 'production' })).toThrow(/CARD_VAULT_KEY.*required when NODE_ENV=production/);
    expect(() => loadCardVaultKeys({ NODE_ENV: 'production', CARD_VAULT_KEY: CARD_VAULT_DEV_KEY })).toThrow(/development key is refused/);
    expect(loadCardVaultKeys({ NODE_ENV: 'production', CARD_VAULT_KEY: raw.toString('hex') }).current.key.equals(raw)).toBe(true);
  });

  it('keeps previous keys for opening older cards, without repeating the current one', () => {
    const old = randomBytes(32);
    const keys = loadCardVaultKeys({ CARD_VAULT_KEY: raw.toString('hex'), CARD_VAULT_PREVIOUS_KEYS: `${old.toString('base64')}, ${raw.toString('hex')}` });
    expect(keys.previous.map((k) => k.key.equals(old))).toEqual([true]);
  });
});
