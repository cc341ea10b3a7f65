import { ExportFacts } from './fulfillment.commands';
import { OrderFacts, ShipToFacts, customerAddress } from './order.reactions';

/**
 * What an export run tells the decider about one fulfillment's order and customer, from the read
 * models of other services' events: whether the order waits in QA or was paid with a test card on a
 * live gateway, and who to ship to (the customer's name; the customer's shipping, else billing,
 * address for an order that named none). A customer not seen yet gives no name and no address.
 */
export function exportFacts(order: OrderFacts, shipTo: ShipToFacts | null): ExportFacts {
  return {
    orderInQa: order.inQa,
    testCardOnLiveGateway: order.testCardOnLiveGateway,
    shipToName: shipTo?.name ?? null,
    customerAddress: customerAddress(shipTo),
  };
}
