import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { EventEnvelope, RebillRequested, Topics } from '@continuum/contracts';
import { configureApp, loadPlatformConfig, Platform, PlatformHttpModule } from '@continuum/platform';
import { HttpAgent, KafkaProbe, ServiceUnderTest, causedBy, eventually, httpAgent, useServiceUnderTest } from '@continuum/testing';
import { BillingRunQueue, RebillOutcomeSweeper, RebillResolveQueue, RecycleQueue } from '../src/jobs';
import { SubscriptionsModule } from '../src/subscriptions.module';

/** How long the subscriptions specs wait for an outcome (events cross Kafka twice, retries cross BullMQ). */
export const subscriptionsWait = { timeoutMs: 30_000, intervalMs: 150 };

/**
 * How the stand-in gateway answers a card's rebills, as the test gateway's cards do (README.md lists the test cards):
 * APPROVE every charge, SOFT (4000000000000341: approves its first charge, soft-declines every later
 * one), HARD (4000000000000358: hard-declines every later one).
 */
export type CardBehaviour = 'APPROVE' | 'SOFT' | 'HARD';
const CARDS: Record<CardBehaviour, { last4: string; bin: string }> = {
  APPROVE: { last4: '1111', bin: '411111' },
  SOFT: { last4: '0341', bin: '400000' },
  HARD: { last4: '0358', bin: '400000' },
};

export const DAY_MS = 86_400_000;
export const daysFromNow = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString();
export const dateInDays = (days: number): string => daysFromNow(days).slice(0, 10);

/**
 * Plays orders, payments and fulfillment for the rebill path, as those services answer a
 * RebillRequested on the real stack: orders places the rebill order (OrderPlaced with `rebill`),
 * payments charges the stored card (PaymentApproved / PaymentDeclined, purpose REBILL), orders
 * completes the order (OrderCompleted) and fulfillment creates its fulfillment (FulfillmentCreated).
 * Each request is answered once, by the card behaviour of its purchase.
 */
export class RebillStandIn {
  private readonly answered = new Set<string>();
  private readonly cards = new Map<string, CardBehaviour>();
  /** purchases whose rebill outcomes come before their OrderPlaced, and what the OrderPlaced waits for */
  private readonly outcomeFirst = new Map<string, (orderId: string) => Promise<unknown>>();
  private readonly unanswered = new Set<string>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  /** rebill orders placed, by order id */
  readonly orders = new Map<string, RebillRequested['data']>();

  constructor(private readonly probe: () => KafkaProbe) {}

  card(purchaseId: string, behaviour: CardBehaviour): void {
    this.cards.set(purchaseId, behaviour);
  }

  /**
   * Publishes the payment outcome of this purchase's rebills before their OrderPlaced (as a lagging
   * orders consumer would see it); the OrderPlaced follows once `orderPlacedAfter(orderId)` resolves.
   */
  outcomeBeforeOrder(purchaseId: string, orderPlacedAfter: (orderId: string) => Promise<unknown>): void {
    this.outcomeFirst.set(purchaseId, orderPlacedAfter);
  }

  /** Leaves this purchase's requests unanswered from now on (as orders did when it dead-lettered a request it refused), or answers them again (`false`). */
  leaveUnanswered(purchaseId: string, unanswered = true): void {
    if (unanswered) this.unanswered.add(purchaseId);
    else this.unanswered.delete(purchaseId);
  }

  /** Whether the stand-in has taken this request in (answered it, or left it unanswered). */
  hasTaken(eventId: string): boolean {
    return this.answered.has(eventId);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const request of this.probe().events('RebillRequested')) {
        if (this.answered.has(request.eventId)) continue;
        this.answered.add(request.eventId);
        if (this.unanswered.has((request.data as RebillRequested['data']).purchaseId)) continue;
        await this.answer(request as EventEnvelope<'RebillRequested', RebillRequested['data']>);
      }
    } finally {
      this.busy = false;
    }
  }

  private async answer(request: EventEnvelope<'RebillRequested', RebillRequested['data']>): Promise<void> {
    const probe = this.probe();
    const d = request.data;
    const orderId = `rebill-${d.purchaseId}-${d.billingCycle}${d.attempt ? `-${d.attempt}` : ''}`;
    this.orders.set(orderId, d);
    const behaviour = this.cards.get(d.purchaseId) ?? 'APPROVE';
    const card = { token: `tok_${behaviour.toLowerCase()}`, brand: 'VISA', ...CARDS[behaviour] };
    const total = d.amount ?? d.quantity * d.unitPrice + d.shippingPrice;
    const snapshot = {
      orderId,
      customerId: d.customerId,
      campaignId: d.campaignId,
      currency: 'USD',
      paymentType: 'CARD',
      items: [{ orderItemId: 'oi-1', productId: d.productId, sku: 'SUB', name: 'Monthly box', quantity: d.quantity, unitPrice: d.unitPrice, price: d.quantity * d.unitPrice, shippingPrice: d.shippingPrice, billingType: 'RECURRING', rebillPrice: d.unitPrice, intervalDays: 30 }],
      totals: { subtotal: d.quantity * d.unitPrice, shipping: d.shippingPrice, salesTax: d.salesTax ?? 0, discount: 0, total, refunded: 0 },
      rebill: { purchaseId: d.purchaseId, billingCycle: d.billingCycle, originalOrderId: d.originalOrderId },
    };
    const placeOrder = () => probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', { ...snapshot, card, qa: { required: false, reasons: [] }, placedAt: new Date().toISOString() }, causedBy(request));
    const placedAfter = this.outcomeFirst.get(d.purchaseId);
    const late = placedAfter !== undefined;
    const placed = late ? request : await placeOrder();
    const transactionId = `${orderId}-charge-1`;
    const outcome = {
      transactionId,
      orderId,
      customerId: d.customerId,
      type: 'SALE',
      amount: total,
      currency: 'USD',
      card,
      merchantId: d.merchantId ?? 'mid-1',
      gatewayTransactionId: behaviour === 'APPROVE' ? `g-${randomUUID().slice(0, 8)}` : null,
      rerunOf: null,
      at: new Date().toISOString(),
      purpose: 'REBILL',
    };
    const txStream = `transaction-${transactionId}`;
    if (behaviour !== 'APPROVE') {
      if (late) throw new Error('outcomeBeforeOrder is for approvals');
      const response = behaviour === 'SOFT' ? 'SOFT_DECLINE' : 'HARD_DECLINE';
      await probe.publish(Topics.paymentsEvents, txStream, 'PaymentDeclined', { ...outcome, message: `Declined (${response})`, response }, causedBy(placed));
      return;
    }
    const approved = await probe.publish(Topics.paymentsEvents, txStream, 'PaymentApproved', { ...outcome, message: 'Approved', response: 'SUCCESS', prepaid: false }, causedBy(placed));
    if (late) {
      await placedAfter(orderId);
      await placeOrder();
    }
    const completed = await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', { ...snapshot, transactionId }, { ...causedBy(approved), streamVersion: 2 });
    await probe.publish(
      Topics.fulfillmentEvents,
      `fulfillment-f-${orderId}`,
      'FulfillmentCreated',
      {
        fulfillmentId: `f-${orderId}`,
        orderId,
        customerId: d.customerId,
        reference: `F-${orderId}`,
        items: [{ productId: d.productId, sku: 'SUB', name: 'Monthly box', quantity: d.quantity }],
        shippingAddress: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
        shippingMethod: 'STANDARD',
        cod: null,
        reshipOf: null,
        at: new Date().toISOString(),
      },
      causedBy(completed),
    );
  }
}

export interface SubscriptionsUnderTest extends ServiceUnderTest {
  readonly standIn: RebillStandIn;
  /** Publishes OrderCompleted for a new order with one recurring item (trial `trialDays`) and waits for its purchase; answers it. */
  startPurchase(options?: { card?: CardBehaviour; trialDays?: number; intervalDays?: number; finalBillCycle?: number }): Promise<Purchase>;
  purchase(purchaseId: string): Promise<Purchase>;
  /** Waits until the purchase satisfies `check`. */
  purchaseWhen(purchaseId: string, check: (purchase: Purchase) => boolean, what: string): Promise<Purchase>;
  /** POST /billing-runs as admin. */
  billingRun(asOf: string): Promise<{ billed: number; declined: number; requested: number; pending: number; cancelled: number }>;
  /** RebillRequested events of the purchase seen on subscriptions.events.v1. */
  rebillRequests(purchaseId: string): EventEnvelope[];
}

/** The purchase profile as GET /purchases/:id answers it (the fields the specs read). */
export interface Purchase {
  purchaseId: string;
  orderId: string;
  customerId: string;
  status: string;
  billingCycle: number;
  nextBillDate: string | null;
  trialType: string;
  price: number;
  history: { at: string; type: string; actor: { kind: string; id: string }; summary: string }[];
  transactions: { transactionId: string; orderId: string; response: string; amount: number; billingCycle: number }[];
  fulfillments: { fulfillmentId: string; orderId: string; status: string }[];
  [key: string]: unknown;
}

/**
 * Registers beforeAll/afterAll that run the subscriptions service for the calling spec file on its
 * own names, with a probe that reads subscriptions.events.v1 and its DLQ and publishes as orders,
 * payments and fulfillment do, and the rebill stand-in answering every RebillRequested.
 */
/** The data of an OrderCompleted card order with one recurring line (`oi-1`, the purchase `<orderId>-oi-1`). */
export function recurringOrderCompleted(orderId: string, customerId: string, { trialDays = 14, intervalDays = 30, finalBillCycle }: { trialDays?: number; intervalDays?: number; finalBillCycle?: number } = {}) {
  return {
    orderId,
    customerId,
    campaignId: 'camp-sub',
    currency: 'USD',
    paymentType: 'CARD',
    items: [
      {
        orderItemId: 'oi-1',
        productId: 'p-sub',
        sku: 'SUB',
        name: 'Monthly box',
        quantity: 1,
        unitPrice: 499,
        price: 499,
        shippingPrice: 295,
        billingType: 'RECURRING',
        trial: { price: 499, days: trialDays, type: 'STANDARD' },
        rebillPrice: 5999,
        intervalDays,
        ...(finalBillCycle !== undefined ? { finalBillCycle } : {}),
      },
    ],
    totals: { subtotal: 499, shipping: 295, salesTax: 0, discount: 0, total: 794, refunded: 0 },
    transactionId: `${orderId}-charge-1`,
  };
}

export function useSubscriptionsService(env: Record<string, string> = {}): SubscriptionsUnderTest {
  const sut = useServiceUnderTest({
    service: 'subscriptions',
    module: SubscriptionsModule,
    env: () => ({ RECYCLE_DELAYS_MS: '300,300', BILLING_RUN_WAIT_MS: '15000', ...env }),
    queues: (app) => [app.get(RecycleQueue).bullQueue, app.get(BillingRunQueue).bullQueue, app.get(RebillResolveQueue).bullQueue, app.get(RebillOutcomeSweeper).bullQueue],
    probe: { events: [Topics.subscriptionsEvents], deadLetters: [Topics.subscriptionsDlq], actor: { kind: 'service', id: 'it-orders' } },
    wait: subscriptionsWait,
  });
  const standIn = new RebillStandIn(() => sut.probe);
  beforeAll(() => standIn.start());
  afterAll(() => standIn.stop());

  const purchase = async (purchaseId: string): Promise<Purchase> => (await sut.http.get(`/purchases/${purchaseId}`).expect(200)).body;
  const purchaseWhen = (purchaseId: string, check: (p: Purchase) => boolean, what: string) =>
    eventually(
      async () => {
        const res = await sut.http.get(`/purchases/${purchaseId}`);
        return res.status === 200 && check(res.body) ? (res.body as Purchase) : undefined;
      },
      what,
      subscriptionsWait,
    );

  return {
    ...sut,
    standIn,
    purchase,
    purchaseWhen,
    async startPurchase({ card = 'APPROVE', trialDays = 14, intervalDays = 30, finalBillCycle } = {}) {
      const orderId = `ord-${randomUUID().slice(0, 8)}`;
      const customerId = `cus-${randomUUID().slice(0, 8)}`;
      const purchaseId = `${orderId}-oi-1`;
      standIn.card(purchaseId, card);
      await sut.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', recurringOrderCompleted(orderId, customerId, { trialDays, intervalDays, finalBillCycle }));
      return purchaseWhen(purchaseId, () => true, `purchase of ${orderId} started`);
    },
    async billingRun(asOf: string) {
      return (await sut.http.post('/billing-runs', { asOf }, 'dev-admin').expect(200)).body;
    },
    rebillRequests(purchaseId: string) {
      return sut.probe.events('RebillRequested', { purchaseId });
    },
  };
}

/**
 * A second subscriptions instance in this process, on the spec file's names (database, topics, queue
 * prefix: the environment useSubscriptionsService set for the file): its consumers join the same
 * groups, so the two instances split the partitions, and the lease gives one of them the relay.
 * Only inside tests; `close()` it before the file ends.
 */
export async function startSecondInstance(): Promise<{ app: NestExpressApplication; http: HttpAgent; close: () => Promise<void> }> {
  const moduleRef = await Test.createTestingModule({ imports: [SubscriptionsModule, PlatformHttpModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  try {
    configureApp(app, { config: loadPlatformConfig('subscriptions', process.env, { port: 0 }), title: 'Continuum subscriptions (second instance, test)' });
    await app.init();
    await app.get(Platform).consumersJoined();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return { app, http: httpAgent(() => app.getHttpServer()), close: () => app.close() };
}
