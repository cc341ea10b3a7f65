import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeOf, OrderPlaced } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';

/** When an order was placed, as its OrderPlaced said. */
export interface PlacedOrder {
  readonly placedAt?: string;
}

/**
 * The placing time of each new order with a recurring line (`view_placed_orders`, one document per
 * order), from orders' OrderPlaced. Its OrderCompleted or OrderApproved carries the order but not
 * when it was placed, and a purchase's order date is when the order was placed.
 */
export const placedOrdersViewDefinition: ViewDefinition<PlacedOrder, OrderPlaced> = {
  name: 'placed_orders',
  streamPrefix: 'order-',
  documentId: (event) => (event.data as OrderPlaced['data']).orderId,
  initial: () => ({}),
  evolve: (_order, event: EnvelopeOf<OrderPlaced>) => ({ placedAt: event.data.placedAt }),
};

/** Fed by the order-reactions consumer; read when a new order's completion or approval starts its purchases. */
@Injectable()
export class PlacedOrders {
  private readonly view: ViewStore<PlacedOrder, OrderPlaced>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.readModel(placedOrdersViewDefinition);
  }

  /** Keeps the placing time of a new order that may start purchases (not a rebill order, with a RECURRING line). */
  async apply(event: EnvelopeOf<OrderPlaced>): Promise<void> {
    if (event.data.rebill !== undefined || !event.data.items.some((item) => item.billingType === 'RECURRING')) return;
    await this.view.applyEvent(event);
  }

  /** When the order was placed; undefined for an order whose OrderPlaced this service never kept. */
  async placedAt(orderId: string): Promise<string | undefined> {
    return (await this.view.get(orderId))?.placedAt;
  }
}
