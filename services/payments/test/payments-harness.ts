import { randomUUID } from 'node:crypto';
import { CardOnFile, EventEnvelope, Topics, TokenisedCard } from '@continuum/contracts';
import { devKeys, eventually, ServiceUnderTest, testCard, tokeniseCard, useServiceUnderTest } from '@continuum/testing';
import { GatewayResult, PAYMENT_GATEWAY, RefundRequest, TEST_CARDS, TestGateway, VoidRequest } from '../src/gateway';
import { ChargeQueue, PaymentsSweepsQueue, RefundRetryQueue, SettlementQueue, SettlementRunQueue } from '../src/jobs';
import { CustomerEmailsView } from '../src/views';
import { PaymentsModule } from '../src/payments.module';
import { CardNumberSource, CardVault, RevealedCard } from '../src/vault';

/** How long the payments specs wait for an outcome (a charge crosses Kafka, BullMQ retries and SMTP). */
export const paymentsWait = { timeoutMs: 30_000, intervalMs: 150 };

/** What orders keeps of a tokenised card and puts on its events (no expiry). */
export const cardOnFile = ({ token, brand, last4, bin }: TokenisedCard): CardOnFile => ({ token, brand, last4, bin });

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
  /** environment beyond the defaults (REFUND_RETRY_DELAY_MS=300, NOTIFY_EMAILS), restored after the file */
  readonly env?: Record<string, string>;
  /** replaces the test gateway (it reads card numbers from the app's vault) */
  readonly gateway?: RecordingGateway;
}

/** One spec file's payments service (the kit's ServiceUnderTest) and the steps most specs take with it. */
export interface PaymentsUnderTest extends ServiceUnderTest {
  /** the Notify Emails address of this file (NOTIFY_EMAILS) */
  readonly notifyEmail: string;
  /** Tokenises the test card `number` in the app's vault (POST /cards). */
  tokenise(number: string): Promise<TokenisedCard>;
  /** Tokenises `card` (a test card number), publishes OrderPlaced (returned as `placed`) for a new order and waits until its charge is in the views. */
  placeCardOrder(options?: { card?: string; total?: number; customerId?: string }): Promise<{ orderId: string; transactionId: string; placed: EventEnvelope }>;
  /** Settles every unsettled charge now (a settlement run as `key`); answers how many it settled. */
  settleAll(key?: string): Promise<number>;
  /** Publishes CustomerRegistered for a new customer and waits until payments knows the email. */
  registerCustomer(): Promise<{ customerId: string; email: string }>;
}

/**
 * Registers beforeAll/afterAll that run the payments service for the calling spec file on its own
 * names (database, topics, queues), with a probe on payments.events.v1 and payments.dlq.v1 that
 * publishes as orders, customers and fulfillment do. Call it at the top of the describe.
 */
export function usePaymentsService(options: PaymentsServiceOptions = {}): PaymentsUnderTest {
  const gateway = options.gateway;
  const sut = useServiceUnderTest({
    service: 'payments',
    module: PaymentsModule,
    env: (names) => ({ REFUND_RETRY_DELAY_MS: '300', NOTIFY_EMAILS: notifyEmailOf(names.name('ops')), ...options.env }),
    overrides: gateway ? [{ provide: PAYMENT_GATEWAY, useFactory: (vault: CardVault) => gateway.useVault(vault), inject: [CardVault] }] : [],
    queues: (app) => [app.get(ChargeQueue).bullQueue, app.get(RefundRetryQueue).bullQueue, app.get(SettlementQueue).bullQueue, app.get(SettlementRunQueue).bullQueue, app.get(PaymentsSweepsQueue).bullQueue],
    probe: { events: [Topics.paymentsEvents], deadLetters: [Topics.paymentsDlq], actor: { kind: 'service', id: 'it-orders' } },
    wait: paymentsWait,
  });
  const { probe, http, app } = sut;
  const tokenise = (number: string) => tokeniseCard(http, testCard(number));

  return {
    ...sut,
    notifyEmail: notifyEmailOf(sut.names.name('ops')),
    tokenise,
    async placeCardOrder({ card = TEST_CARDS.approve, total = 4999, customerId } = {}) {
      const orderId = newOrderId();
      const token = await tokenise(card);
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
    async settleAll(key = devKeys.admin) {
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
  };
}

const notifyEmailOf = (localPart: string) => `${localPart}@example.test`;

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
