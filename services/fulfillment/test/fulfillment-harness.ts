import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually, ServiceUnderTest, useServiceUnderTest } from '@continuum/testing';
import { FulfillmentModule } from '../src/fulfillment.module';
import { ExportRunQueue } from '../src/jobs';
import { ShipToView } from '../src/views';

/** How long the fulfillment specs wait for an outcome (an event crosses Kafka twice). */
export const fulfillmentWait = { timeoutMs: 30_000, intervalMs: 150 };

export const austin = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };

/** A fulfillment as GET /fulfillments answers it (the fields the specs read). */
export interface FulfillmentBody {
  fulfillmentId: string;
  orderId: string;
  reference: string;
  status: string;
  items: Array<{ productId: string; sku: string; name: string; quantity: number }>;
  shippingMethod: string;
  trackingNumber?: string;
  carrier?: string;
  shippedAt?: string;
  deliveredAt?: string;
  cod?: { status: string; amount: number; currency: string; deliveryConfirmation?: string };
  reships: string[];
  exportAttempts: number;
}

type OrderEventType = 'OrderCompleted' | 'OrderAwaitingCod' | 'OrderApproved';

export interface FulfillmentUnderTest extends ServiceUnderTest {
  /** Publishes CustomerRegistered (Ann Lee) for a new customer and waits until fulfillment knows who to ship to. */
  registerCustomer(): Promise<string>;
  /** Publishes an order event that may ship (as orders does) for a new order and waits for its fulfillment in HOLD. */
  orderThatShips(options?: { type?: OrderEventType; paymentType?: 'CARD' | 'COD' | 'EXTERNAL'; customerId?: string; total?: number }): Promise<FulfillmentBody>;
  /** POST /export-runs as the admin; answers `exported`. */
  exportRun(): Promise<number>;
  /** GET /fulfillments/:id */
  fulfillment(id: string): Promise<FulfillmentBody>;
  /** Waits until GET /fulfillments/:id satisfies `check`. */
  fulfillmentWhen(id: string, check: (f: FulfillmentBody) => boolean, what: string): Promise<FulfillmentBody>;
  /** The requests on fulfillment.requests.v1 keyed by `reference`, parsed. */
  requestsFor(reference: string): Array<Record<string, unknown>>;
  /** How many events of `type` the stream of fulfillment `id` holds. */
  storedEvents(id: string, type: string): Promise<number>;
}

/** An order snapshot as orders puts it on OrderCompleted, OrderAwaitingCod and OrderApproved. */
export function orderSnapshot(orderId: string, customerId: string, paymentType: 'CARD' | 'COD' | 'EXTERNAL' = 'CARD', total = 5000) {
  return {
    orderId,
    customerId,
    campaignId: 'camp-1',
    currency: 'USD',
    paymentType,
    items: [{ orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2, unitPrice: Math.floor(total / 2), price: total, shippingPrice: 0, billingType: 'STRAIGHT' }],
    totals: { subtotal: total, shipping: 0, salesTax: 0, discount: 0, total, refunded: 0 },
    shippingAddress: austin,
    transactionId: `${orderId}-${paymentType === 'COD' ? 'cod' : 'charge-1'}`,
  };
}

export const newOrderId = (): string => `ord-${randomUUID().slice(0, 8)}`;

/**
 * Registers beforeAll/afterAll that run the fulfillment service for the calling spec file on its own
 * names, with a probe that reads fulfillment.events.v1, fulfillment.dlq.v1 and fulfillment.requests.v1
 * and publishes as orders, payments and customers do.
 */
export function useFulfillmentService(options: { env?: Record<string, string> } = {}): FulfillmentUnderTest {
  const sut = useServiceUnderTest({
    service: 'fulfillment',
    module: FulfillmentModule,
    env: () => ({ EXPORT_INTERVAL_MS: '3600000', ...options.env }),
    queues: (app) => [app.get(ExportRunQueue).bullQueue],
    probe: { events: [Topics.fulfillmentEvents], deadLetters: [Topics.fulfillmentDlq], topics: [Topics.fulfillmentRequests], actor: { kind: 'service', id: 'it-orders' } },
    wait: fulfillmentWait,
  });
  const { http, probe, app } = sut;
  const fulfillment = async (id: string) => (await http.get(`/fulfillments/${id}`).expect(200)).body as FulfillmentBody;

  const harness: FulfillmentUnderTest = {
    ...sut,
    async registerCustomer() {
      const customerId = `cus-${randomUUID().slice(0, 8)}`;
      await probe.publish(Topics.customersEvents, `customer-${customerId}`, 'CustomerRegistered', {
        customerId,
        firstName: 'Ann',
        lastName: 'Lee',
        email: `${customerId}@example.test`,
        billingAddress: austin,
      });
      await eventually(() => app().get(ShipToView).shipTo(customerId), 'customer known to fulfillment', fulfillmentWait);
      return customerId;
    },
    async orderThatShips({ type = 'OrderCompleted', paymentType = 'CARD', customerId, total = 5000 } = {}) {
      const orderId = newOrderId();
      const customer = customerId ?? (await harness.registerCustomer());
      await probe.publish(Topics.ordersEvents, `order-${orderId}`, type, orderSnapshot(orderId, customer, paymentType, total));
      return harness.fulfillmentWhen(`${orderId}-F1`, (f) => f.status === 'HOLD', `fulfillment of ${orderId} in HOLD`);
    },
    async exportRun() {
      return (await http.post('/export-runs', {}, devKeys.admin).expect(200)).body.exported;
    },
    fulfillment,
    async fulfillmentWhen(id, check, what) {
      return eventually(
        async () => {
          const response = await http.get(`/fulfillments/${id}`);
          return response.status === 200 && check(response.body) ? (response.body as FulfillmentBody) : undefined;
        },
        what,
        fulfillmentWait,
      );
    },
    requestsFor(reference) {
      return probe.records.filter((r) => r.topic === Topics.fulfillmentRequests && r.key === reference).map((r) => JSON.parse(r.value));
    },
    async storedEvents(id, type) {
      const commits = await sut.commits({ streamId: `fulfillment-${id}` });
      return commits.flatMap((c) => c.events).filter((e) => e.type === type).length;
    },
  };
  return harness;
}
