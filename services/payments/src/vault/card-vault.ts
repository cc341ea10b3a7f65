import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { CardBrand, TokenisedCard } from '@continuum/contracts';
import { Platform } from '@continuum/platform';
import { describeCard } from '../domain';
import { CardCipher, SealedSecret } from './card-cipher';
import { CARD_VAULT_KEYS, CardVaultKeys } from './card-vault-keys';

/** The collection of the vault: one document per token, read by `_id` only. */
export const CARD_VAULT_COLLECTION = 'card_vault';

/** A card as the vault takes it. The cvv is not part of it: nothing after tokenisation uses it, so it is never kept. */
export interface CardToTokenise {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
}

/** What the gateway adapter gets back for a token: the number, for the gateway call only. */
export interface RevealedCard {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
}

/** The one thing a gateway adapter needs from the vault. */
export interface CardNumberSource {
  /** the card behind `token`, or undefined when the vault never issued it */
  reveal(token: string): Promise<RevealedCard | undefined>;
}

interface VaultDocument {
  _id: string;
  number: SealedSecret;
  brand: CardBrand;
  last4: string;
  bin: string;
  expMonth: number;
  expYear: number;
  createdAt: Date;
}

/** An opaque, random token: nothing of the number is in it. */
const newToken = (): string => `tok_${randomBytes(18).toString('base64url')}`;

/**
 * The card vault: the only place a card number is kept, sealed with AES-256-GCM under
 * CARD_VAULT_KEY (collection `card_vault`, keyed by token). `tokenise` is what POST /cards does;
 * `reveal` is for the gateway adapter only. Tokenising the same card twice gives two tokens: each
 * order keeps the token it was placed with, and nothing needs to find a card by its number.
 */
@Injectable()
export class CardVault implements CardNumberSource {
  private readonly collection: mongo.Collection<VaultDocument>;
  private readonly cipher: CardCipher;

  constructor(@Inject(Platform) platform: Platform, @Inject(CARD_VAULT_KEYS) keys: CardVaultKeys) {
    this.collection = platform.connection.db!.collection<VaultDocument>(CARD_VAULT_COLLECTION);
    this.cipher = new CardCipher(keys);
  }

  /** Seals the number under a new token and answers what others may keep. The card must have passed `cardProblems`. */
  async tokenise(card: CardToTokenise): Promise<TokenisedCard> {
    const token = newToken();
    const { brand, last4, bin } = describeCard(card.number);
    const summary: TokenisedCard = { token, brand, last4, bin, expMonth: card.expMonth, expYear: card.expYear };
    const { token: _id, ...shown } = summary;
    await this.collection.insertOne({ _id, number: this.cipher.seal(card.number, token), ...shown, createdAt: new Date() });
    return summary;
  }

  async reveal(token: string): Promise<RevealedCard | undefined> {
    const doc = await this.collection.findOne({ _id: token });
    if (!doc) return undefined;
    return { number: this.cipher.open(doc.number, token), expMonth: doc.expMonth, expYear: doc.expYear };
  }
}
