import { EventEnvelope } from '@continuum/contracts';

/** The customer an event names in its data, if any (`customerId`; a reassignment names the new owner). */
export function customerNamed(event: EventEnvelope): string | undefined {
  const data = event.data as { customerId?: unknown };
  return typeof data.customerId === 'string' ? data.customerId : undefined;
}

/** The order an event is about, if any (`orderId`, or a rebill's `originalOrderId`). */
export function orderNamed(event: EventEnvelope): string | undefined {
  const data = event.data as { orderId?: unknown; originalOrderId?: unknown };
  if (typeof data.orderId === 'string') return data.orderId;
  return typeof data.originalOrderId === 'string' ? data.originalOrderId : undefined;
}

/** A customer merge, read from either side's event: `from`'s records now belong to `into`. */
export function mergeOf(event: EventEnvelope): { from: string; into: string } | undefined {
  if (event.type === 'CustomersMerged') {
    const data = event.data as { customerId: string; fromCustomerId: string };
    return { from: data.fromCustomerId, into: data.customerId };
  }
  if (event.type === 'CustomerMergedInto') {
    const data = event.data as { customerId: string; intoCustomerId: string };
    return { from: data.customerId, into: data.intoCustomerId };
  }
  return undefined;
}

/** The topic's context is the service that publishes it; customers' events come from the orders service. */
export function sourceServiceOf(topic: string): string {
  const context = topic.split('.').slice(-3)[0] ?? topic;
  return context === 'customers' ? 'orders' : context;
}
