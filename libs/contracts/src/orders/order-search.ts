import { OrderStatus, PaymentType } from './order.events';

/** One order as the projections' `GET /orders/search` lists it. */
export interface OrderSearchItem {
  readonly orderId: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly email: string;
  readonly status: OrderStatus;
  readonly paymentType: PaymentType;
  readonly total: number;
  readonly currency: string;
  readonly createdAt: string;
}

/**
 * The order-search view's document: the item and what the filters look at. `seen` is how many
 * journal entries the row was folded from: a row folded from fewer never replaces one folded from more.
 */
export interface OrderSearchRow extends OrderSearchItem {
  readonly campaignId: string;
  readonly productIds: readonly string[];
  readonly seen: number;
}

/** The hour an order was placed in (`2026-03-02T10`): the bucket its keys are listed under. */
export const hourOf = (at: string): string => new Date(at).toISOString().slice(0, 13);

/**
 * The index keys of a row: `customer:<id>` (for `q`, through the customers the customer search
 * finds), `hour:<hour>` (every order), and per filter value its key in that hour: `status:<s>@<hour>`,
 * `campaign:<id>@<hour>`, `product:<id>@<hour>` (each product on the order), `payment:<type>@<hour>`.
 * So a search walks hours newest first and reads, per hour, one key listing only what it asks for.
 * The view lists its rows under them and the order-search bench seeds rows under them.
 */
export function orderSearchKeys(row: OrderSearchRow | null): string[] {
  if (row === null) return [];
  const hour = hourOf(row.createdAt);
  return [
    `customer:${row.customerId}`,
    `hour:${hour}`,
    `status:${row.status}@${hour}`,
    `campaign:${row.campaignId}@${hour}`,
    ...row.productIds.map((productId) => `product:${productId}@${hour}`),
    `payment:${row.paymentType}@${hour}`,
  ];
}
