import { Actor, CampaignProduct, OrderItem, PurchaseStarted, RebillRequested, SubscriptionEvent } from '@continuum/contracts';
import { PurchaseCommand } from './purchase.commands';

/** Shared test data of the purchase specs (not used by the service). */
export const agent: Actor = { kind: 'agent', id: 'alice' };
export const NOW = '2026-03-10T15:00:00.000Z';

export const cmd = <T extends PurchaseCommand['type']>(
  type: T,
  data: Extract<PurchaseCommand, { type: T }>['data'],
  now = NOW,
): Extract<PurchaseCommand, { type: T }> => ({ type, data, metadata: { now, actor: agent } }) as Extract<PurchaseCommand, { type: T }>;

export const recurringItem: OrderItem = {
  orderItemId: 'oi-1',
  productId: 'p-sub',
  sku: 'SUB',
  name: 'Monthly box',
  quantity: 1,
  unitPrice: 499,
  price: 499,
  shippingPrice: 295,
  billingType: 'RECURRING',
  trial: { price: 499, days: 14, type: 'STANDARD' },
  rebillPrice: 5999,
  intervalDays: 30,
  finalBillCycle: 4,
};

export const started: PurchaseStarted = {
  type: 'PurchaseStarted',
  data: {
    purchaseId: 'pu-1',
    customerId: 'cu-1',
    orderId: 'o-1',
    orderItemId: 'oi-1',
    campaignId: 'c-1',
    currency: 'USD',
    orderDate: '2026-03-01T10:00:00.000Z',
    productId: 'p-sub',
    sku: 'SUB',
    name: 'Monthly box',
    quantity: 1,
    unitPrice: 5999,
    price: 5999,
    shippingPrice: 295,
    salesTax: { mode: 'AUTO' },
    billingInterval: { unit: 'DAY', count: 30 },
    finalBillCycle: 4,
    insureShipment: false,
    billingType: 'RECURRING',
    trialType: 'STANDARD',
    trialDays: 14,
    status: 'TRIAL',
    billingCycle: 1,
    nextBillDate: '2026-03-15',
    timeZone: 'UTC',
    transactionId: 'o-1-charge-1',
    amount: 794,
  },
};

const ref = { purchaseId: 'pu-1', customerId: 'cu-1' };

export const rebillRequested = (billingCycle: number, billDate: string, trigger: 'SCHEDULED' | 'FORCE' | 'SKIP_TRIAL' | 'RECYCLE' = 'SCHEDULED', attempt = 0, at = NOW): RebillRequested => ({
  type: 'RebillRequested',
  data: {
    ...ref,
    originalOrderId: 'o-1',
    campaignId: 'c-1',
    productId: 'p-sub',
    quantity: 1,
    unitPrice: 5999,
    shippingPrice: 295,
    billingCycle,
    salesTax: 0,
    amount: 6294,
    attempt,
    trigger,
    billDate,
    at,
  },
});

export const orderPlaced = (orderId: string, billingCycle: number, attempt = 0): SubscriptionEvent => ({
  type: 'PurchaseRebillOrderPlaced',
  data: { ...ref, orderId, billingCycle, attempt },
});

const charge = (orderId: string) => ({ orderId, transactionId: `${orderId}-charge-1`, amount: 6294, currency: 'USD', cardLast4: '1111', cardBrand: 'VISA', message: 'Approved', at: '2026-03-15T01:00:00.000Z' });

export const billed = (orderId: string, billingCycle: number, nextBillDate: string | null, previousStatus: 'TRIAL' | 'ACTIVE' | 'RECYCLE_BILLING' = 'TRIAL'): SubscriptionEvent => ({
  type: 'PurchaseBilled',
  data: { ...ref, ...charge(orderId), billingCycle, previousStatus, status: 'ACTIVE', nextBillDate },
});

export const approvedCommand = (orderId: string, now = NOW) => cmd('RecordRebillApproved', charge(orderId), now);
export const declinedCommand = (orderId: string, response: 'SOFT_DECLINE' | 'HARD_DECLINE', recycleDelaysMs: readonly number[] = [86_400_000, 86_400_000], now = NOW) =>
  cmd('RecordRebillDeclined', { ...charge(orderId), message: 'Declined', response, recycleDelaysMs }, now);

export const declined = (orderId: string, billingCycle: number, attempt: number, response: 'SOFT_DECLINE' | 'HARD_DECLINE' = 'SOFT_DECLINE'): SubscriptionEvent => ({
  type: 'PurchaseRebillDeclined',
  data: { ...ref, ...charge(orderId), message: 'Declined', response, billingCycle, attempt },
});

export const recycleScheduled = (billingCycle: number, attempt: number, retryAt: string, previousStatus: 'TRIAL' | 'ACTIVE' | 'RECYCLE_BILLING' = 'TRIAL'): SubscriptionEvent => ({
  type: 'PurchaseRecycleScheduled',
  data: { ...ref, billingCycle, attempt, delayMs: 86_400_000, retryAt, previousStatus },
});

export const otherProduct: CampaignProduct = {
  productId: 'p-big',
  sku: 'BIG',
  name: 'Big box',
  price: 999,
  shippingPrice: 495,
  billingType: 'RECURRING',
  trial: { price: 999, days: 7, type: 'ACCELERATED' },
  rebillPrice: 7999,
  intervalDays: 14,
  finalBillCycle: 6,
};

export const purchaseRef = ref;

/** The fields a payment outcome of rebill order o-r2 carries (PaymentApproved / PaymentDeclined data without their own). */
export const rebillChargeOutcome = {
  transactionId: 'o-r2-charge-1',
  orderId: 'o-r2',
  customerId: 'cu-1',
  type: 'SALE',
  amount: 6294,
  currency: 'USD',
  card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '411111' },
  merchantId: 'mid-1',
  gatewayTransactionId: 'g-1',
  rerunOf: null,
  at: '2026-03-15T01:00:00.000Z',
};
