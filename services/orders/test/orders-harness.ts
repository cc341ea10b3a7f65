import { Topics, CardInput, TokenisedCard } from '@continuum/contracts';
import { devKeys, httpAgent, ServiceProcess, ServiceUnderTest, startServiceProcess, testCard, tokeniseCard, useServiceUnderTest } from '@continuum/testing';
import { OrdersModule } from '../src/orders.module';

/** A card as a client sends it to POST /orders (orders exchanges it for a token at the vault). */
export const visa: CardInput = testCard('4111111111111111');

/** One spec file's orders service (the kit's ServiceUnderTest), its card vault and the steps most specs take. */
export interface OrdersUnderTest extends ServiceUnderTest {
  /** the real payments service the app tokenises cards at (CARD_VAULT_URL), as a process of its own */
  vault(): ServiceProcess;
  /** tokenises `card` at the vault as an internal publisher of orders.intake.v1 does before it sends a card order */
  tokenise(card?: CardInput): Promise<TokenisedCard>;
  /** creates a campaign (as an admin) of `products` and answers its id and its products' ids, in order */
  createCampaign(name: string, products: readonly Record<string, unknown>[], extra?: Record<string, unknown>): Promise<{ campaignId: string; productIds: string[] }>;
}

/**
 * Registers beforeAll/afterAll that run the orders service in-process for the calling spec file on
 * its own names, with the payments service as a child process for its card vault: services never
 * import each other, so POST /orders reaches the real vault over HTTP. The payments process has a
 * database and topic prefix of its own, so it charges nothing the spec places. Topics have one
 * partition: events published one after another are handled in that order, so a later marker
 * (`probe.drain`) proves an earlier event was handled. The probe reads orders.events.v1 and orders.dlq.v1.
 */
export function useOrdersService(): OrdersUnderTest {
  let vault: ServiceProcess | undefined;
  const vaultDatabase = (database: string) => `${database}_vault`;
  const sut = useServiceUnderTest({
    service: 'orders',
    module: OrdersModule,
    env: { KAFKA_PARTITIONS: '1' },
    probe: { events: [Topics.ordersEvents], deadLetters: [Topics.ordersDlq] },
    beforeStart: async (names) => {
      vault = await startServiceProcess('payments', {
        MONGO_DB: vaultDatabase(names.database),
        KAFKA_TOPIC_PREFIX: `${names.topicPrefix}vault.`,
        QUEUE_PREFIX: `${names.queuePrefix}-vault`,
        KAFKA_PARTITIONS: '1',
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      });
      return { CARD_VAULT_URL: vault.url };
    },
    cleanUp: async () => {
      await vault?.stop();
    },
    dropDatabases: (names) => [vaultDatabase(names.database)],
  });
  const vaultOf = () => {
    if (!vault) throw new Error('the card vault runs only inside tests and hooks');
    return vault;
  };
  return {
    ...sut,
    vault: vaultOf,
    tokenise: (card = visa) => tokeniseCard(httpAgent(vaultOf().url), card),
    async createCampaign(name, products, extra = {}) {
      const created = await sut.http.post('/campaigns', { name, currency: 'USD', products, ...extra }, devKeys.admin).expect(201);
      return { campaignId: created.body.campaignId, productIds: created.body.products.map((p: { productId: string }) => p.productId) };
    },
  };
}
