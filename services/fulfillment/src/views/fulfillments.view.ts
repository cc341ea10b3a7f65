import { Inject, Injectable } from '@nestjs/common';
import { FulfillmentEvent, FulfillmentStatus, ListPage } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { Fulfillment, FulfillmentState, evolveFulfillment, fulfillmentStreamId, initialFulfillmentState } from '../domain';

const STREAM_PREFIX = fulfillmentStreamId('');

/** Fulfillments as their streams fold them, listed by order and by status (the ops lists and the export run). */
export const fulfillmentsViewDefinition: ViewDefinition<FulfillmentState, FulfillmentEvent> = {
  name: 'fulfillments',
  streamPrefix: STREAM_PREFIX,
  initial: initialFulfillmentState,
  evolve: evolveFulfillment,
  indexes: {
    order: (state) => (state.status === 'NONE' ? [] : [state.orderId]),
    status: (state) => (state.status === 'NONE' ? [] : [state.status]),
  },
};

const existing = (rows: Array<{ view: FulfillmentState }>): Fulfillment[] =>
  rows.flatMap(({ view }) => (view.status === 'NONE' ? [] : [view])).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.fulfillmentId.localeCompare(b.fulfillmentId));

/** The fulfillment reads: one by id, an order's, and those in one status; all `_id` reads of the view. */
@Injectable()
export class FulfillmentsView {
  private readonly view: ViewStore<FulfillmentState, FulfillmentEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.view(fulfillmentsViewDefinition);
  }

  async get(fulfillmentId: string): Promise<Fulfillment | undefined> {
    const state = await this.view.get(fulfillmentStreamId(fulfillmentId));
    return state && state.status !== 'NONE' ? state : undefined;
  }

  async ofOrder(orderId: string): Promise<Fulfillment[]> {
    return existing(await this.view.findBy('order', orderId));
  }

  async inStatus(status: FulfillmentStatus): Promise<Fulfillment[]> {
    return existing(await this.view.findBy('status', status));
  }

  /** One page of those in `status`, in the order they reached it: `limit` of them after the fulfillment `after`. */
  async inStatusPage(status: FulfillmentStatus, page: ListPage): Promise<Fulfillment[]> {
    const ids = await this.view.idsPage('status', status, { limit: page.limit, ...(page.after !== undefined ? { after: fulfillmentStreamId(page.after) } : {}) });
    const found: Fulfillment[] = [];
    for (const id of ids) {
      const state = await this.view.get(id);
      if (state && state.status !== 'NONE' && state.status === status) found.push(state);
    }
    return found;
  }
}
