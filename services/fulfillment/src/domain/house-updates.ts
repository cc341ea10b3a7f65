import { FulfillmentUpdate } from '@continuum/contracts';
import { DeliverFulfillment, ReportFailure, ReturnFulfillment, ShipFulfillment } from './fulfillment.commands';

type Input<C> = C extends { type: infer T; data: infer D } ? { readonly type: T; readonly data: D } : never;

/** The command a fulfillment house's update asks for (fulfillment.updates.v1 or POST /fulfillment-updates). */
export type HouseCommand = Input<ShipFulfillment> | Input<DeliverFulfillment> | Input<ReportFailure> | Input<ReturnFulfillment>;

/**
 * A house update as a command on the fulfillment whose reference it names: SHIPPED -> ship (tracking,
 * carrier, shipped at `at`), DELIVERED -> deliver, FAILED -> report the failure, RETURNED -> return.
 * The schema already made SHIPPED carry a tracking number and FAILED a reason.
 */
export function houseCommand(update: FulfillmentUpdate): HouseCommand {
  switch (update.type) {
    case 'SHIPPED':
      return { type: 'ShipFulfillment', data: { trackingNumber: update.trackingNumber ?? '', carrier: update.carrier ?? null, shippedAt: update.at } };
    case 'DELIVERED':
      return { type: 'DeliverFulfillment', data: { deliveredAt: update.at } };
    case 'FAILED':
      return { type: 'ReportFailure', data: { reason: update.reason ?? 'no reason given', at: update.at } };
    case 'RETURNED':
      return { type: 'ReturnFulfillment', data: { returnedAt: update.at, reason: update.reason ?? null } };
  }
}
