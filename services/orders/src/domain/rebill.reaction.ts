import { Address, IncomingEvent, PaymentType, RebillInfo, RebillRequested } from '@continuum/contracts';
import { CardDetails } from './order.commands';
import { OrderState } from './order.state';

/** The rebill order to place for a RebillRequested, and the seed its ids derive from. */
export interface RebillPlacement {
  /**
   * `rebill:<purchaseId>:<cycle>` (`:<attempt>` for a recycle retry): a redelivered request finds the order it
   * placed and changes nothing; each recycle retry of a cycle is an order of its own
   */
  readonly seed: string;
  readonly campaignId: string;
  readonly customerId: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number; readonly unitPrice: number; readonly shippingPrice: number }[];
  readonly paymentType: PaymentType;
  readonly card?: CardDetails;
  readonly shippingAddress?: Address;
  readonly rebill: RebillInfo;
  /** the purchase's sales tax for this bill, when it has one */
  readonly salesTax?: number;
}

/**
 * Subscriptions' RebillRequested -> one rebill order: the same customer and campaign, the purchase's
 * product, quantity, price and shipping, and the payment type, stored card token and shipping address
 * of the original order. Nothing when the original order is unknown (the consumer dead-letters that).
 */
export function onRebillRequested(event: IncomingEvent<RebillRequested>, original: OrderState): RebillPlacement[] {
  if (original.status === 'ABSENT') return [];
  const d = event.data;
  const { order } = original;
  return [
    {
      seed: `rebill:${d.purchaseId}:${d.billingCycle}${d.attempt ? `:${d.attempt}` : ''}`,
      campaignId: d.campaignId,
      customerId: d.customerId,
      items: [{ productId: d.productId, quantity: d.quantity, unitPrice: d.unitPrice, shippingPrice: d.shippingPrice }],
      paymentType: order.paymentType,
      ...(order.card ? { card: order.card } : {}),
      ...(order.shippingAddress ? { shippingAddress: order.shippingAddress } : {}),
      rebill: { purchaseId: d.purchaseId, billingCycle: d.billingCycle, originalOrderId: d.originalOrderId, ...(d.merchantId !== undefined ? { merchantId: d.merchantId } : {}) },
      ...(d.salesTax ? { salesTax: d.salesTax } : {}),
    },
  ];
}
