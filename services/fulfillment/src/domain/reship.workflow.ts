import { DomainError } from '@continuum/contracts';
import { CreateFulfillment } from './fulfillment.commands';
import { Fulfillment } from './fulfillment.state';

/**
 * A reship in two decisions on two fulfillments: the original records the reship (`ReshipFulfillment`,
 * which names the new id), then the new fulfillment is created in HOLD from what the original
 * holds. This is the second step: the creation, from the original as the first step left it.
 * The new one has the same order, customer, items, address and method; its courier collects only
 * what is still owed (the COD amount, unless the original's COD was paid).
 */
export function reshipCreation(original: Fulfillment): CreateFulfillment['data'] {
  const reshipId = original.reships[original.reships.length - 1];
  if (reshipId === undefined) throw new DomainError('RESHIP_NOT_RECORDED', `The reship of ${original.fulfillmentId} was not recorded`, 'conflict');
  const cod = original.cod && original.cod.status !== 'PAID' ? { amount: original.cod.amount, currency: original.cod.currency } : null;
  return {
    fulfillmentId: reshipId,
    orderId: original.orderId,
    customerId: original.customerId,
    reference: reshipId,
    items: original.items,
    shippingAddress: original.shippingAddress,
    shippingMethod: original.shippingMethod,
    cod,
    reshipOf: original.fulfillmentId,
  };
}
