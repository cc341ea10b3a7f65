import { Inject, Injectable } from '@nestjs/common';
import { Collection } from 'mongoose';
import { OrderStatus } from '@continuum/contracts';
import { Platform } from '@continuum/platform';
import { OrderState } from '../domain';

interface CustomerOrderRow {
  readonly _id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly createdAt: string;
}

export const CUSTOMER_ORDERS_COLLECTION = 'view_customer_orders';

/** Which orders belong to which customer: for merges and GET /orders?customerId=. */
@Injectable()
export class CustomerOrdersView {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  private get rows(): Collection<CustomerOrderRow> {
    return this.platform.connection.collection<CustomerOrderRow>(CUSTOMER_ORDERS_COLLECTION);
  }

  async save(state: OrderState): Promise<void> {
    if (state.status === 'ABSENT') return;
    const { orderId, customerId, placedAt } = state.order;
    await this.rows.replaceOne({ _id: orderId }, { orderId, customerId, status: state.status, createdAt: placedAt }, { upsert: true });
  }

  /** Order ids of a customer, oldest first. */
  async orderIdsOf(customerId: string): Promise<string[]> {
    const rows = await this.rows.find({ customerId }).sort({ createdAt: 1, _id: 1 }).toArray();
    return rows.map((row) => row.orderId);
  }
}
