import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CardVaultKeys, VaultKey } from './card-vault-keys';

/** A secret as the vault stores it: AES-256-GCM with a random 96-bit IV, every part base64. */
export interface SealedSecret {
  /** which key sealed it (see VaultKey.id) */
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  /** the GCM authentication tag: any change to iv, ciphertext, tag or context fails to open */
  readonly tag: string;
}

/** A sealed secret that cannot be opened: its key is not configured, or it (or its context) was altered. */
export class CardVaultIntegrityError extends Error {
  constructor(reason: string) {
    super(`card vault: ${reason}`);
    this.name = 'CardVaultIntegrityError';
  }
}

const ALGORITHM = 'aes-256-gcm';

/**
 * Seals and opens secrets with AES-256-GCM. `context` is authenticated but not stored in the
 * ciphertext (additional data): the vault passes the token, so a sealed number copied under
 * another token does not open.
 *
 *   const sealed = cipher.seal('4111111111111111', 'tok_abc');
 *   cipher.open(sealed, 'tok_abc'); // '4111111111111111'
 */
export class CardCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(private readonly vaultKeys: CardVaultKeys) {
    this.keys = new Map([vaultKeys.current, ...vaultKeys.previous].map((k: VaultKey) => [k.id, k.key]));
  }

  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.vaultKeys.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.vaultKeys.current.id, iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  }

  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new CardVaultIntegrityError(`sealed with key ${sealed.keyId}, which is not configured (CARD_VAULT_KEY, CARD_VAULT_PREVIOUS_KEYS)`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // node's message ("Unsupported state or unable to authenticate data") says no more than this
      throw new CardVaultIntegrityError('a sealed card failed authentication (altered, or another key with the same id)');
    }
  }
}
