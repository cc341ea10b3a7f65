process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Consumer, Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import { CardOnFile, EventEnvelope, registry, Topics, TokenisedCard } from '@continuum/contracts';
import { Platform, configureApp, kafkaClient, loadPlatformConfig } from '@continuum/platform';
import { eventually, testRun, waitForGroupJoin } from '@continuum/testing';
import { GatewayResult, PAYMENT_GATEWAY, RefundRequest, TEST_CARDS, TestGateway, VoidRequest } from '../src/gateway';
import { RefundRetryQueue, SettlementQueue } from '../src/jobs';
import { CustomerEmailsView } from '../src/views';
import { PaymentsModule } from '../src/payments.module';
import { CardNumberSource, CardVault, RevealedCard } from '../src/vault';

/** The unique names one integration spec file runs under (database, topics, queues, inbox). */
export interface TestNames {
  readonly mongoDb: string;
  readonly topicPrefix: string;
  readonly queuePrefix: string;
  readonly notifyEmail: string;
}

export function uniqueNames(): TestNames {
  const run = testRun('payments');
  return { mongoDb: run.database, topicPrefix: run.topicPrefix, queuePrefix: run.queuePrefix, notifyEmail: `${run.name('ops')}@example.test` };
}

/** Points the service at the test's own resources; call before every app start. */
export function applyEnv(names: TestNames, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    MONGO_DB: names.mongoDb,
    KAFKA_TOPIC_PREFIX: names.topicPrefix,
    QUEUE_PREFIX: names.queuePrefix,
    REFUND_RETRY_DELAY_MS: '300',
    NOTIFY_EMAILS: names.notifyEmail,
    LOG_LEVEL: 'warn',
    ...extra,
  });
}

/**
 * The payments app as the tests drive it: supertest on an initialised (not listening) app; `gateway`
 * replaces the test gateway and reads card numbers from the app's real card vault.
 */
export async function startApp(options: { gateway?: RecordingGateway } = {}): Promise<NestExpressApplication> {
  const builder = Test.createTestingModule({ imports: [PaymentsModule] });
  const gateway = options.gateway;
  if (gateway) builder.overrideProvider(PAYMENT_GATEWAY).useFactory({ factory: (vault: CardVault) => gateway.useVault(vault), inject: [CardVault] });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app, { config: loadPlatformConfig('payments', process.env, { port: 3002 }), title: 'Continuum payments (test)' });
  await app.init();
  return app;
}

/** Closes the app after removing what this spec file left in Redis and MongoDB. */
export async function purgeAndClose(app: NestExpressApplication | undefined): Promise<void> {
  if (!app) return;
  await app.get(RefundRetryQueue).bullQueue.obliterate({ force: true });
  await app.get(SettlementQueue).bullQueue.obliterate({ force: true });
  await app.get(Platform).connection.dropDatabase();
  await app.close();
}

/** Requests as an agent (or as `key` on POST); `app` may be a getter, for an app started later in beforeAll. */
export const agent = (app: INestApplication | (() => INestApplication)) => {
  const server = () => (typeof app === 'function' ? app() : app).getHttpServer();
  return {
    get: (path: string) => request(server()).get(path).set('Authorization', 'Bearer dev-agent'),
    post: (path: string, body: object = {}, key = 'dev-agent') => request(server()).post(path).set('Authorization', `Bearer ${key}`).send(body),
  };
};

/** How long the payments specs wait for an outcome (a charge crosses Kafka, BullMQ retries and SMTP). */
export const paymentsWait = { timeoutMs: 30_000, intervalMs: 150 };

/**
 * Exchanges a card number for a vault token through POST /cards (as an internal service would), so
 * the events a spec publishes carry a token and never the number: `orderPlaced(id, { card: await tokenise(app, TEST_CARDS.approve) })`.
 */
export async function tokenise(app: INestApplication, number: string): Promise<TokenisedCard> {
  const answer = await request(app.getHttpServer())
    .post('/cards')
    .set('Authorization', 'Bearer dev-service')
    .send({ number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvv: '123' });
  if (answer.status !== 201) throw new Error(`POST /cards answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as TokenisedCard;
}

/** What orders keeps of a tokenised card and puts on its events (no expiry). */
export const cardOnFile = ({ token, brand, last4, bin }: TokenisedCard): CardOnFile => ({ token, brand, last4, bin });

/** A producer for other services' events and a collector of what payments publishes. */
export class KafkaProbe {
  readonly published: EventEnvelope[] = [];
  /** dead letters the service sent to its prefixed DLQ topic */
  readonly deadLetters: { reason: string; error: { name: string; message: string }; groupId: string; original: string | null }[] = [];
  private readonly kafka: Kafka = kafkaClient({ clientId: `it-payments-probe-${randomUUID().slice(0, 6)}`, brokers: ['127.0.0.1:9092'] });
  private readonly producer: Producer = this.kafka.producer();
  private consumer?: Consumer;

  constructor(private readonly names: TestNames) {}

  /** Connects, and joins a group on the prefixed payments topic (which the app has created). */
  async start(): Promise<void> {
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `${this.names.topicPrefix}probe`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    const joined = waitForGroupJoin(this.consumer);
    await this.consumer.connect();
    const eventsTopic = `${this.names.topicPrefix}${Topics.paymentsEvents}`;
    await this.consumer.subscribe({ topics: [eventsTopic, `${this.names.topicPrefix}${Topics.paymentsDlq}`], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = JSON.parse(message.value!.toString('utf8'));
        if (topic === eventsTopic) this.published.push(value as EventEnvelope);
        else this.deadLetters.push(value);
      },
    });
    await joined;
  }

  async publish(topic: string, streamId: string, type: string, data: object, actor = { kind: 'service' as const, id: 'it-orders' }): Promise<EventEnvelope> {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      type,
      version: registry.current(type).version,
      streamId,
      streamVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: `corr-${randomUUID()}`,
      causationId: null,
      actor,
      data,
    };
    await this.producer.send({ topic: `${this.names.topicPrefix}${topic}`, messages: [{ key: streamId, value: JSON.stringify(envelope) }] });
    return envelope;
  }

  /** Publishes an envelope as it is (a copy of an event, to see how the service handles it again). */
  async publishEnvelope(topic: string, envelope: EventEnvelope): Promise<void> {
    await this.producer.send({ topic: `${this.names.topicPrefix}${topic}`, messages: [{ key: envelope.streamId, value: JSON.stringify(envelope) }] });
  }

  /** The first published payments event of `type` for `transactionId`. */
  waitForEvent(type: string, transactionId: string): Promise<EventEnvelope> {
    return eventually(
      () => this.published.find((e) => e.type === type && (e.data as { transactionId?: string }).transactionId === transactionId),
      `${type} of ${transactionId}`,
      paymentsWait,
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer.disconnect();
  }
}

/** The card vault of the app a spec-made gateway ends up in; bound when that app starts. */
class VaultOfTheApp implements CardNumberSource {
  vault?: CardNumberSource;

  reveal(token: string): Promise<RevealedCard | undefined> {
    if (!this.vault) throw new Error('the gateway is not part of a started payments app');
    return this.vault.reveal(token);
  }
}

/** The test gateway, keeping every refund and void call, so a spec can count what reached the gateway. */
export class RecordingGateway extends TestGateway {
  readonly refunds: RefundRequest[] = [];
  readonly voids: VoidRequest[] = [];

  private readonly vaultOfTheApp: VaultOfTheApp;

  constructor(vaultOfTheApp = new VaultOfTheApp()) {
    super(vaultOfTheApp);
    this.vaultOfTheApp = vaultOfTheApp;
  }

  /** Reads card numbers from `vault` (the started app's); answers the gateway itself. */
  useVault(vault: CardNumberSource): this {
    this.vaultOfTheApp.vault = vault;
    return this;
  }

  override async refund(request: RefundRequest): Promise<GatewayResult> {
    this.refunds.push(request);
    return super.refund(request);
  }

  override async void(request: VoidRequest): Promise<GatewayResult> {
    this.voids.push(request);
    return super.void(request);
  }

  refundsOf(refundId: string): RefundRequest[] {
    return this.refunds.filter((r) => r.reference.startsWith(`${refundId}:`));
  }
}

/** What a spec file changes about the service it runs against; everything else is the same for all. */
export interface PaymentsServiceOptions {
  /** environment beyond applyEnv's defaults, removed again after the file */
  readonly env?: Record<string, string>;
  /** replaces the test gateway (it reads card numbers from the app's vault) */
  readonly gateway?: RecordingGateway;
}

/** One spec file's payments service (started in beforeAll, purged and closed in afterAll) and the steps most specs take with it. */
export interface PaymentsUnderTest {
  readonly names: TestNames;
  readonly probe: KafkaProbe;
  readonly http: ReturnType<typeof agent>;
  /** the running app; only inside tests and hooks */
  app(): NestExpressApplication;
  /** Tokenises the test card `number` in the app's vault (POST /cards). */
  tokenise(number: string): Promise<TokenisedCard>;
  /** Tokenises `card` (a test card number), publishes OrderPlaced (CARD) for a new order with the token and waits until payments has recorded its charge. */
  /** Publishes OrderPlaced (returned as `placed`) and waits until its charge is in the views. */
  placeCardOrder(options?: { card?: string; total?: number; customerId?: string }): Promise<{ orderId: string; transactionId: string; placed: EventEnvelope }>;
  /** Settles every unsettled charge now (a settlement run as `key`); answers how many it settled. */
  settleAll(key?: string): Promise<number>;
  /** Publishes CustomerRegistered for a new customer and waits until payments knows the email. */
  registerCustomer(): Promise<{ customerId: string; email: string }>;
  /** Waits until consumer group `group` has recorded event `eventId` as handled. */
  handled(group: string, eventId: string): Promise<void>;
}

/**
 * Registers beforeAll/afterAll that run the payments service for the calling spec file on its own
 * names (database, topics, queues), with a started KafkaProbe. Call it at the top of the describe.
 */
export function usePaymentsService(options: PaymentsServiceOptions = {}): PaymentsUnderTest {
  const names = uniqueNames();
  const probe = new KafkaProbe(names);
  let started: NestExpressApplication | undefined;
  const app = (): NestExpressApplication => {
    if (!started) throw new Error('the payments app runs only inside tests and hooks');
    return started;
  };
  const http = agent(app);

  beforeAll(async () => {
    applyEnv(names, options.env);
    started = await startApp(options.gateway ? { gateway: options.gateway } : {});
    await probe.start();
  });

  afterAll(async () => {
    await probe.stop();
    await purgeAndClose(started);
    for (const key of Object.keys(options.env ?? {})) delete process.env[key];
  });

  return {
    names,
    probe,
    http,
    app,
    tokenise: (number) => tokenise(app(), number),
    async placeCardOrder({ card = TEST_CARDS.approve, total = 4999, customerId } = {}) {
      const orderId = newOrderId();
      const token = await tokenise(app(), card);
      const placed = await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', orderPlaced(orderId, { card: token, total, ...(customerId ? { customerId } : {}) }));
      const transactionId = `${orderId}-charge-1`;
      // listed by order means recorded and in the views (settlement runs and refund lists read those)
      await eventually(
        async () => ((await http.get(`/transactions?orderId=${orderId}`)).body as Array<{ transactionId: string }>).some((row) => row.transactionId === transactionId),
        `charge of ${orderId} in the views`,
        paymentsWait,
      );
      return { orderId, transactionId, placed };
    },
    async settleAll(key = 'dev-admin') {
      const asOf = new Date(Date.now() + 60_000).toISOString();
      return (await http.post('/settlement-runs', { asOf }, key).expect(200)).body.settled;
    },
    async registerCustomer() {
      const customerId = `cus-${randomUUID().slice(0, 8)}`;
      const email = `${customerId}@example.test`;
      await probe.publish(Topics.customersEvents, `customer-${customerId}`, 'CustomerRegistered', {
        customerId,
        firstName: 'Ada',
        lastName: 'Lovelace',
        email,
        billingAddress: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
      });
      // the customer's email arrives on another topic: wait until payments knows it
      await eventually(() => app().get(CustomerEmailsView).emailOf(customerId), 'customer email known', paymentsWait);
      return { customerId, email };
    },
    async handled(group, eventId) {
      const collection = app().get(Platform).connection.db!.collection<{ _id: string }>('handled_events');
      await eventually(async () => ((await collection.countDocuments({ _id: { $regex: `${group}:${eventId}$` } })) > 0 ? true : undefined), `${group} handled ${eventId}`, paymentsWait);
    },
  };
}

/** A new order id, unique per call. */
export const newOrderId = (): string => `ord-${randomUUID().slice(0, 8)}`;

/** An OrderPlaced payload as the orders service publishes it; a CARD order needs a card tokenised by the vault (`tokenise`). */
export function orderPlaced(orderId: string, options: { paymentType?: 'CARD' | 'EXTERNAL' | 'COD'; card?: CardOnFile; total?: number; customerId?: string } = {}) {
  const total = options.total ?? 4999;
  const paymentType = options.paymentType ?? 'CARD';
  if (paymentType === 'CARD' && !options.card) throw new Error('a CARD OrderPlaced needs a tokenised card: orderPlaced(id, { card: await tokenise(...) })');
  return {
    orderId,
    customerId: options.customerId ?? `cus-${orderId}`,
    campaignId: 'camp-1',
    currency: 'USD',
    paymentType,
    items: [{ orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: total, price: total, shippingPrice: 0, billingType: 'STRAIGHT' }],
    totals: { subtotal: total, shipping: 0, salesTax: 0, discount: 0, total, refunded: 0 },
    ...(paymentType === 'CARD' && options.card ? { card: { token: options.card.token, brand: options.card.brand, last4: options.card.last4, bin: options.card.bin } } : {}),
    qa: { required: false, reasons: [] },
    placedAt: new Date().toISOString(),
  };
}

/**
 * An UpsellAdded payload (CARD) as the orders service publishes it: item `orderItemId` of `price`
 * plus `shippingPrice`, added to an order that totalled `orderTotal` (no shipping of its own).
 */
export function upsellAdded(orderId: string, options: { orderItemId: string; price: number; shippingPrice?: number; orderTotal: number }) {
  const { orderItemId, price, shippingPrice = 0, orderTotal } = options;
  return {
    orderId,
    customerId: `cus-${orderId}`,
    currency: 'USD',
    paymentType: 'CARD',
    orderItemId,
    item: { orderItemId, productId: 'p-2', sku: 'SKU-2', name: 'Cream', quantity: 1, unitPrice: price, price, shippingPrice, billingType: 'STRAIGHT' },
    amount: price + shippingPrice,
    newTotals: { subtotal: orderTotal + price, shipping: shippingPrice, salesTax: 0, discount: 0, total: orderTotal + price + shippingPrice, refunded: 0 },
  };
}

/** An OrderCancelled payload (CARD order, cancelled when COMPLETE) as the orders service publishes it. */
export function orderCancelled(orderId: string, options: { fullRefund: boolean; refundableAmount: number }) {
  return {
    orderId,
    customerId: `cus-${orderId}`,
    paymentType: 'CARD',
    reason: 'customer request',
    fullRefund: options.fullRefund,
    previousStatus: 'COMPLETE',
    refundableAmount: options.refundableAmount,
  };
}

/** The messages maildev holds for `address`. */
export async function mailsTo(address: string): Promise<{ subject: string; text: string }[]> {
  const response = await fetch('http://127.0.0.1:1080/api/email');
  const all = (await response.json()) as { subject: string; text: string; to: { address: string }[] }[];
  return all.filter((mail) => mail.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}
