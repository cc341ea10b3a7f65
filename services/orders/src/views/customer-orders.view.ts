import { Inject, Injectable } from '@nestjs/common';
import { OrderEvent, OrderStatus } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { orderDecider, OrderState, orderStreamId, PlacedOrder } from '../domain';

/** The key of an order's status in one campaign (index `status-campaign`). */
const statusInCampaign = (status: string, campaignId: string) => `${status}@${campaignId}`;

/**
 * Orders as their streams fold them, listed by customer, by status and by status in a campaign. An
 * order is listed under its status when it reaches it and taken off when it leaves, so a status list
 * is in the order the orders reached that status (version 2: the status indexes).
 */
export const customerOrdersViewDefinition: ViewDefinition<OrderState, OrderEvent> = {
  name: 'orders',
  version: 2,
  streamPrefix: 'order-',
  initial: () => orderDecider.initialState(),
  evolve: orderDecider.evolve,
  indexes: {
    customer: (state) => (state.status === 'ABSENT' ? [] : [state.order.customerId]),
    status: (state) => (state.status === 'ABSENT' ? [] : [state.status]),
    'status-campaign': (state) => (state.status === 'ABSENT' ? [] : [statusInCampaign(state.status, state.order.campaignId)]),
  },
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

  /**
   * One page of the orders in `status` (in one campaign when given), in the order they reached it:
   * at most `limit` after the order `after`. Reads only that page of the status index and its orders;
   * an order listed but no longer in that status (it moved on meanwhile) is left out.
   */
  async inStatus(status: OrderStatus, page: { campaignId?: string; after?: string; limit: number }): Promise<PlacedOrder[]> {
    const [index, key] = page.campaignId !== undefined ? ['status-campaign', statusInCampaign(status, page.campaignId)] : ['status', status];
    const ids = await this.view.idsPage(index, key, { limit: page.limit, ...(page.after !== undefined ? { after: orderStreamId(page.after) } : {}) });
    const found: PlacedOrder[] = [];
    for (const id of ids) {
      const state = await this.view.get(id);
      if (state && state.status === status && (page.campaignId === undefined || state.order.campaignId === page.campaignId)) found.push(state);
    }
    return found;
  }

  /** Order ids of a customer, oldest first. */
  async orderIdsOf(customerId: string): Promise<string[]> {
    return (await this.ordersOf(customerId)).flatMap((state) => (state.status === 'ABSENT' ? [] : [state.order.orderId]));
  }
}
