import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { id, int, isoDate, minor, obj, oneOf } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { BILL_TRIGGERS, BillTrigger, PURCHASE_EVENT_TYPES, PurchaseEvent } from './purchase.events';

/**
 * A purchase is due for billing cycle `billingCycle`; orders answers by placing a rebill order
 * for `quantity` x `unitPrice` plus `shippingPrice` on the original order's payment details.
 */
export type RebillRequested = DomainEvent<
  'RebillRequested',
  {
    readonly purchaseId: string;
    readonly customerId: string;
    readonly originalOrderId: string;
    readonly campaignId: string;
    readonly productId: string;
    readonly quantity: number;
    readonly unitPrice: number;
    readonly shippingPrice: number;
    readonly billingCycle: number;
    readonly merchantId?: string;
    /** the purchase's sales tax for this bill in minor units (AUTO: the account's rules, today 0) */
    readonly salesTax?: number;
    /** price x quantity + shipping + tax as the purchase says at billing time */
    readonly amount?: number;
    /** the request's number within its cycle: 0 the first, then one more per recycle retry or new request (orders derives one rebill order per request from it) */
    readonly attempt?: number;
    /** why the bill was requested */
    readonly trigger?: BillTrigger;
    /** the calendar date (account time zone) this bill stands for; the next bill date moves one interval from it */
    readonly billDate?: string;
    /** when the bill was requested (absent on requests stored before it was added) */
    readonly at?: string;
  }
>;

export type SubscriptionEvent = RebillRequested | PurchaseEvent;

/** The subscription event type strings, for consumers that dispatch on `type`. */
export const SUBSCRIPTION_EVENT_TYPES = { RebillRequested: 'RebillRequested', ...PURCHASE_EVENT_TYPES } as const satisfies {
  [K in SubscriptionEvent['type']]: K;
};

defineEvent(
  SUBSCRIPTION_EVENT_TYPES.RebillRequested,
  Topics.subscriptionsEvents,
  'A purchase is due for its next billing cycle; the orders service places the rebill order.',
  obj(
    {
      purchaseId: id(),
      customerId: id(),
      originalOrderId: id(),
      campaignId: id(),
      productId: id(),
      quantity: int({ minimum: 1 }),
      unitPrice: minor(),
      shippingPrice: minor(),
      billingCycle: int({ minimum: 2 }),
      merchantId: id(),
      salesTax: minor(),
      amount: minor(),
      attempt: int({ minimum: 0 }),
      trigger: oneOf(...BILL_TRIGGERS),
      billDate: { type: 'string', format: 'date' },
      at: isoDate(),
    },
    ['purchaseId', 'customerId', 'originalOrderId', 'campaignId', 'productId', 'quantity', 'unitPrice', 'shippingPrice', 'billingCycle'],
  ),
);
