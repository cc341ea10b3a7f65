import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { id, int, minor, obj } from '../core/schema-helpers';
import { Topics } from '../core/topics';

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
  }
>;

export type SubscriptionEvent = RebillRequested;

/** The subscription event type strings, for consumers that dispatch on `type`. */
export const SUBSCRIPTION_EVENT_TYPES = { RebillRequested: 'RebillRequested' } as const satisfies {
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
    },
    ['purchaseId', 'customerId', 'originalOrderId', 'campaignId', 'productId', 'quantity', 'unitPrice', 'shippingPrice', 'billingCycle'],
  ),
);
