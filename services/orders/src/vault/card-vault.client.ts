import { Inject, Injectable } from '@nestjs/common';
import { CardInput, TokenisedCard } from '@continuum/contracts';
import { callService, FieldError, Platform, ProblemException, problem } from '@continuum/platform';
import { CARD_VAULT_SETTINGS, CardVaultSettings } from './card-vault.settings';

const unavailable = (detail: string) =>
  new ProblemException(problem(503, `${detail}; no order was placed. Retry later.`, { type: 'urn:continuum:problem:card-vault-unavailable' }));

/**
 * Exchanges a card for a token at payments' card vault (POST /cards), synchronously, where the card
 * enters (POST /orders), as a real gateway's tokenisation would. The number and cvv go no further
 * than this call. A vault that cannot be reached or fails is a 503 for the caller; a card the vault
 * refuses (Luhn, expiry) is a 400 naming `card.<field>`.
 */
@Injectable()
export class CardVaultClient {
  constructor(
    @Inject(CARD_VAULT_SETTINGS) private readonly settings: CardVaultSettings,
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  async tokenise(card: CardInput, correlationId: string): Promise<TokenisedCard> {
    const response = await callService(
      `${this.settings.url}/cards`,
      { method: 'POST', apiKey: this.settings.apiKey, correlationId, body: { number: card.number, expMonth: card.expMonth, expYear: card.expYear, cvv: card.cvv }, timeoutMs: this.settings.timeoutMs },
      (error) => {
        this.platform.logger.warn({ err: error, vault: this.settings.url }, 'card vault unreachable');
        return unavailable('The card vault cannot be reached');
      },
    );
    const body = response.body as { errors?: FieldError[] } | TokenisedCard | undefined;
    if (response.status === 201 && body && typeof (body as TokenisedCard).token === 'string') return body as TokenisedCard;
    if (response.status === 400) {
      const errors = ((body as { errors?: FieldError[] } | undefined)?.errors ?? []).map((e) => ({ field: `card.${e.field}`, message: e.message }));
      throw new ProblemException(problem(400, 'The card cannot be used.', { type: 'urn:continuum:problem:validation', errors }));
    }
    // 401/403: this service's key is not a service key of payments; anything else: the vault failed
    this.platform.logger.error({ status: response.status, vault: this.settings.url }, 'card vault refused to tokenise');
    throw unavailable(`The card vault answered ${response.status}`);
  }
}
