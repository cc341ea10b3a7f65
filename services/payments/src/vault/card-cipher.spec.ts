import { randomBytes } from 'node:crypto';
import { CardCipher, CardVaultIntegrityError, SealedSecret } from './card-cipher';
import { CardVaultKeys, parseVaultKey } from './card-vault-keys';

const key = () => parseVaultKey('CARD_VAULT_KEY', randomBytes(32).toString('base64'));
const only = (current = key()): CardVaultKeys => ({ current, previous: [] });
const flip = (base64: string): string => {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64');
};

describe('CardCipher (AES-256-GCM)', () => {
  const cipher = new CardCipher(only());

  it('opens what it sealed, under the same context', () => {
    const sealed = cipher.seal('4111111111111111', 'tok_a');
    expect(cipher.open(sealed, 'tok_a')).toBe('4111111111111111');
  });

  it('keeps nothing of the number readable and never repeats a ciphertext', () => {
    const first = cipher.seal('4111111111111111', 'tok_a');
    const second = cipher.seal('4111111111111111', 'tok_a');
    expect(JSON.stringify(first)).not.toMatch(/4111|1111/);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(Buffer.from(first.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(first.tag, 'base64')).toHaveLength(16);
  });

  it.each<[string, (s: SealedSecret) => SealedSecret]>([
    ['ciphertext', (s) => ({ ...s, ciphertext: flip(s.ciphertext) })],
    ['tag', (s) => ({ ...s, tag: flip(s.tag) })],
    ['iv', (s) => ({ ...s, iv: flip(s.iv) })],
  ])('detects an altered %s', (_part, alter) => {
    const sealed = cipher.seal('4111111111111111', 'tok_a');
    expect(() => cipher.open(alter(sealed), 'tok_a')).toThrow(CardVaultIntegrityError);
  });

  it('refuses a sealed number moved under another token (the token is authenticated)', () => {
    const sealed = cipher.seal('4111111111111111', 'tok_a');
    expect(() => cipher.open(sealed, 'tok_b')).toThrow(CardVaultIntegrityError);
  });

  it('does not open with a wrong key, and says which key it needs without showing a key', () => {
    const sealed = cipher.seal('4111111111111111', 'tok_a');
    const other = key();
    expect(() => new CardCipher(only(other)).open(sealed, 'tok_a')).toThrow(/not configured/);
    // a wrong key that claims the right id still fails authentication
    expect(() => new CardCipher(only({ id: sealed.keyId, key: other.key })).open(sealed, 'tok_a')).toThrow(/failed authentication/);
  });

  it('after a rotation seals with the new key and still opens what the previous key sealed', () => {
    const old = key();
    const sealedBefore = new CardCipher(only(old)).seal('5555555555554444', 'tok_old');
    const rotated = new CardCipher({ current: key(), previous: [old] });
    expect(rotated.open(sealedBefore, 'tok_old')).toBe('5555555555554444');
    expect(rotated.seal('5555555555554444', 'tok_new').keyId).not.toBe(old.id);
  });
});
