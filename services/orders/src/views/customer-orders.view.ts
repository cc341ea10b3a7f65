import { Inject, Injectable } from '@nestjs/common';
import { OrderEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { orderDecider, OrderState, orderStreamId } from '../domain';

/** Orders as their streams fold them, listed by customer. */
export const customerOrdersViewDefinition: ViewDefinition<OrderState, OrderEvent> = {
  name: 'orders',
  streamPrefix: 'order-',
  initial: () => orderDecider.initialState(),
  evolve: orderDecider.evolve,
  indexes: { customer: (state) => (state.status === 'ABSENT' ? [] : [state.order.customerId]) },
};

/** Which orders belong to which customer: for merges and GET /orders?customerId=. */
@Injectable()
export class CustomerOrdersView {
  private readonly view: ViewStore<OrderState, OrderEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.view(customerOrdersViewDefinition);
  }

  /** The order as the view shows it (one `_id` read; the relay puts a command's events here before it answers). */
  async order(orderId: string): Promise<OrderState> {
    return (await this.view.get(orderStreamId(orderId))) ?? orderDecider.initialState();
  }

  /** The orders of a customer, oldest first. */
  async ordersOf(customerId: string): Promise<OrderState[]> {
    const found = await this.view.findBy('customer', customerId);
    const placedAt = (state: OrderState) => (state.status === 'ABSENT' ? '' : state.order.placedAt);
    return found
      .map(({ view }) => view)
      .sort((a, b) => placedAt(a).localeCompare(placedAt(b)) || (a.status === 'ABSENT' || b.status === 'ABSENT' ? 0 : a.order.orderId.localeCompare(b.order.orderId)));
  }

  /** Order ids of a customer, oldest first. */
  async orderIdsOf(customerId: string): Promise<string[]> {
    return (await this.ordersOf(customerId)).flatMap((state) => (state.status === 'ABSENT' ? [] : [state.order.orderId]));
  }
}
