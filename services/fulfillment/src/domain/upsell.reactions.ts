import { IncomingEvent, UpsellAdded, UpsellDeclined } from '@continuum/contracts';
import { orderFulfillmentId, upsellFulfillmentId } from './fulfillment-ids';
import { Fulfillment, isUnshipped, upsellsOf } from './fulfillment.state';
import type { FulfillmentWork } from './order.reactions';

/**
 * What fulfillment does when an upsell is added to an order or its charge is declined, given the
 * order's fulfillments (docs/fulfillment.md, "Upsells"):
 * - UpsellAdded, the order's fulfillment (`<orderId>-F1`) in HOLD: its lines join it
 *   (`AddFulfillmentItems`), so the export request carries them;
 * - UpsellAdded, the order's fulfillment exported (any status past HOLD but CANCELLED): the upsell
 *   ships on its own, a new fulfillment `<orderId>-U-<orderItemId>` in HOLD with the same address and
 *   method;
 * - UpsellAdded before the order has a fulfillment (still in progress or in QA): nothing, the
 *   order's completion carries every line it has then; with the fulfillment cancelled: nothing;
 * - UpsellDeclined: the lines leave the order's fulfillment if it is still in HOLD
 *   (`RemoveFulfillmentItems`), and the upsell's own fulfillment is cancelled if it has not shipped.
 */
export function onUpsell(event: IncomingEvent<UpsellAdded | UpsellDeclined>, fulfillments: readonly Fulfillment[]): FulfillmentWork[] {
  const { orderId, orderItemId } = event.data;
  const main = fulfillments.find((f) => f.fulfillmentId === orderFulfillmentId(orderId));
  const own = fulfillments.find((f) => f.fulfillmentId === upsellFulfillmentId(orderId, orderItemId));
  const inMain = main !== undefined && upsellsOf(main).some((upsell) => upsell.orderItemId === orderItemId);
  if (event.type === 'UpsellDeclined') {
    return [
      ...(inMain ? [{ type: 'RemoveFulfillmentItems' as const, data: { fulfillmentId: main.fulfillmentId, orderItemId } }] : []),
      ...(own && isUnshipped(own) ? [{ type: 'CancelIfUnshipped' as const, data: { fulfillmentId: own.fulfillmentId, reason: `upsell ${orderItemId} declined` } }] : []),
    ];
  }
  if (main === undefined || main.status === 'CANCELLED' || inMain || own !== undefined) return [];
  const { productId, sku, name, quantity } = event.data.item;
  const items = [{ productId, sku, name, quantity }];
  if (main.status === 'HOLD') return [{ type: 'AddFulfillmentItems', data: { fulfillmentId: main.fulfillmentId, orderItemId, items } }];
  const fulfillmentId = upsellFulfillmentId(orderId, orderItemId);
  return [
    {
      type: 'CreateFulfillment',
      data: {
        fulfillmentId,
        orderId,
        customerId: event.data.customerId,
        reference: fulfillmentId,
        items,
        shippingAddress: main.shippingAddress,
        shippingMethod: main.shippingMethod,
        cod: null,
        reshipOf: null,
        ...(main.campaignId !== null ? { campaignId: main.campaignId } : {}),
      },
    },
  ];
}
