// The chaos run's client: places card, COD and recurring orders at a steady rate, each with an
// Idempotency-Key of its own that every retry repeats. A refused or reset connection, a timeout, a 5xx
// answer or 409 "this Idempotency-Key is still being processed" is retried after a back-off (the
// same key, the same body: the service answers the first order again or takes it now); any other 4xx
// is the order refused, a failure the run reports.
import { randomUUID } from 'node:crypto';
import { devKeys, HttpAgent, newCustomer, testCard } from '@continuum/testing';

export type OrderKind = 'card' | 'cod' | 'recurring';

/** What the run's orders are placed on (one campaign, made before the faults start). */
export interface Catalog {
  readonly campaignId: string;
  /** a one-off product (card and COD orders) */
  readonly productId: string;
  /** a product with a trial and rebills (recurring orders: a purchase in subscriptions) */
  readonly trialProductId: string;
}

export interface PlacedOrder {
  readonly index: number;
  readonly kind: OrderKind;
  readonly key: string;
  /** placed right after a fault to time the recovery (otherwise the steady load) */
  readonly probe: boolean;
  outcome: 'accepted' | 'refused' | 'gave-up';
  orderId?: string;
  customerId?: string;
  /** when the 201 came (ms since the epoch) */
  acceptedAt?: number;
  /** the refusal (status and body) or the last error when it gave up */
  reason?: string;
  retries: { connection: number; server: number; inProgress: number };
}

export interface RetryOptions {
  /** how long one order may be retried before the client gives up (ms) */
  readonly budgetMs: number;
  /** one request's time limit (ms): a request that hangs is sent again */
  readonly requestTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Card orders most, then COD and recurring ones: of every 7, 5 card, 1 COD, 1 recurring. */
export function kindOf(index: number): OrderKind {
  const slot = index % 7;
  return slot === 5 ? 'cod' : slot === 6 ? 'recurring' : 'card';
}

export function orderBody(kind: OrderKind, catalog: Catalog): Record<string, unknown> {
  const productId = kind === 'recurring' ? catalog.trialProductId : catalog.productId;
  const base = { campaignId: catalog.campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }] };
  return kind === 'cod' ? { ...base, paymentType: 'COD' } : { ...base, paymentType: 'CARD', card: testCard() };
}

/** Sends `send()` until it answers other than a retryable failure or the budget is spent; counts the retries on `order`. */
export async function withRetries(
  send: () => PromiseLike<{ status: number; body: any; text?: string }>,
  order: Pick<PlacedOrder, 'retries'>,
  options: RetryOptions,
): Promise<{ status: number; body: any } | { gaveUp: string }> {
  const deadline = Date.now() + options.budgetMs;
  let pause = 200;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    try {
      const answer = await send();
      const inProgress = answer.status === 409 && String(answer.body?.type ?? '').endsWith('idempotency-key-in-progress');
      if (answer.status < 500 && !inProgress) return answer;
      if (inProgress) order.retries.inProgress++;
      else order.retries.server++;
      last = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
    } catch (error) {
      // refused, reset or timed out: the instance is down or restarting
      order.retries.connection++;
      last = String((error as Error).message ?? error);
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 2_000);
  }
  return { gaveUp: last };
}

/** Places one order through `orders` (an agent over the orders instances) with retries under one key. */
export async function placeOrder(orders: HttpAgent, order: PlacedOrder, body: Record<string, unknown>, options: RetryOptions): Promise<PlacedOrder> {
  const answer = await withRetries(() => orders.post('/orders', body).set('Idempotency-Key', order.key).timeout(options.requestTimeoutMs), order, options);
  if ('gaveUp' in answer) {
    order.outcome = 'gave-up';
    order.reason = answer.gaveUp;
  } else if (answer.status === 201 || answer.status === 200) {
    order.outcome = 'accepted';
    order.orderId = answer.body.orderId;
    order.customerId = answer.body.customerId;
    order.acceptedAt = Date.now();
  } else {
    order.outcome = 'refused';
    order.reason = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
  }
  return order;
}

export function newOrder(index: number, kind: OrderKind, probe = false): PlacedOrder {
  return { index, kind, key: `chaos-${randomUUID()}`, probe, outcome: 'gave-up', retries: { connection: 0, server: 0, inProgress: 0 } };
}

/** The campaign of the run: one one-off product and one with a trial, no QA hold (qaRate 0). */
export async function createCatalog(orders: HttpAgent, options: RetryOptions): Promise<Catalog> {
  const tally = { retries: { connection: 0, server: 0, inProgress: 0 } };
  const body = {
    name: 'Chaos run',
    currency: 'USD',
    qaRate: 0,
    products: [
      { sku: 'CH-1', name: 'Chaos bottle', price: 2999, shippingPrice: 499, billingType: 'STRAIGHT' },
      { sku: 'CH-TRIAL', name: 'Chaos monthly', price: 499, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 499, days: 14, type: 'STANDARD' }, rebillPrice: 3999, intervalDays: 30 },
    ],
  };
  const key = `chaos-campaign-${randomUUID()}`;
  const answer = await withRetries(() => orders.post('/campaigns', body, devKeys.admin).set('Idempotency-Key', key).timeout(options.requestTimeoutMs), tally, options);
  if ('gaveUp' in answer || answer.status !== 201) throw new Error(`POST /campaigns failed: ${'gaveUp' in answer ? answer.gaveUp : `${answer.status} ${JSON.stringify(answer.body)}`}`);
  const products = answer.body.products as { productId: string; sku: string }[];
  return {
    campaignId: answer.body.campaignId,
    productId: products.find((p) => p.sku === 'CH-1')!.productId,
    trialProductId: products.find((p) => p.sku === 'CH-TRIAL')!.productId,
  };
}

/** Where the load waits for the faults: `before(i)` resolves when order i may be sent, `sent(i)` says it was. */
export interface LoadPacing {
  before(index: number): Promise<void>;
  sent(index: number): void;
}

/**
 * Places `count` orders, one every 1/`ratePerSecond` s at most (each retried on its own, so a slow one
 * does not hold the next back), and resolves with all of them once each has an outcome. `placed`
 * gets every order as it starts, for the probes the faults add; `pacing` holds an order back until
 * the fault before it has begun (see interleave).
 */
export async function runLoad(
  orders: HttpAgent,
  catalog: Catalog,
  count: number,
  ratePerSecond: number,
  options: RetryOptions,
  placed: PlacedOrder[],
  pacing: LoadPacing = { before: async () => undefined, sent: () => undefined },
): Promise<void> {
  const running: Promise<PlacedOrder>[] = [];
  let last = 0;
  for (let i = 0; i < count; i++) {
    await pacing.before(i);
    const due = last + 1000 / ratePerSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    last = Date.now();
    const order = newOrder(placed.length, kindOf(i));
    placed.push(order);
    running.push(placeOrder(orders, order, orderBody(order.kind, catalog), options));
    pacing.sent(i);
  }
  await Promise.all(running);
}

/**
 * Spreads `count` orders over `faults` faults: the orders fall into faults + 1 batches in turn; fault
 * k waits until batch k has been sent, and batch k + 1 is sent only once fault k has begun. So every
 * fault meets orders in flight and orders sent while it lasts, however long the faults take.
 */
export function interleave(count: number, faults: number): { load: LoadPacing; beforeFault(k: number): Promise<void>; faultBegan(k: number): void } {
  const batches = faults + 1;
  const batchOf = (index: number) => Math.floor((index * batches) / Math.max(count, 1));
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };
  const batchSent = Array.from({ length: batches }, deferred);
  const faultBegun = Array.from({ length: faults }, deferred);
  const lastOf = new Map<number, number>();
  for (let i = 0; i < count; i++) lastOf.set(batchOf(i), i);
  // a batch with no order (fewer orders than faults) counts as sent
  for (let k = 0; k < batches; k++) if (!lastOf.has(k)) batchSent[k]!.resolve();
  return {
    load: {
      before: (index) => (batchOf(index) > 0 ? faultBegun[batchOf(index) - 1]!.promise : Promise.resolve()),
      sent: (index) => {
        if (lastOf.get(batchOf(index)) === index) batchSent[batchOf(index)]!.resolve();
      },
    },
    beforeFault: (k) => batchSent[k]!.promise,
    faultBegan: (k) => faultBegun[k]?.resolve(),
  };
}
