import { ORDER_STATUSES, OrderStatus, PAYMENT_TYPES, PaymentType } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';
import { REBUILDABLE_VIEWS, RebuildableView } from '../rebuilds/rebuilds.service';

/** The longest search text; longer input is 400 (no email, phone, id or name is that long). */
export const SEARCH_TEXT_MAX = 200;

/** GET /customers/:id/history?asOf= */
export class HistoryQueryDto {
  @SchemaField(
    { type: 'string', format: 'date-time', description: 'answer the history as it stood at this moment (ISO-8601 date-time)' },
    { optional: true, example: '2026-03-02T10:00:00Z' },
  )
  asOf?: string;
}

/** GET /customers/search?q= */
export class SearchQueryDto {
  @SchemaField(
    {
      type: 'string',
      minLength: 1,
      maxLength: SEARCH_TEXT_MAX,
      description: 'an email, a phone number, an order id, the last four digits of a card, or the start of a name (a name matches from 2 characters)',
    },
    { example: 'jane@example.com' },
  )
  q!: string;
}

export class RebuildDto {
  @SchemaField({ type: 'string', enum: [...REBUILDABLE_VIEWS], description: 'the view to rebuild (the three are folds of one customer journal and are rebuilt together)' })
  view!: RebuildableView;
}

/** The largest page of an order search, and the page when `limit` is left out. */
export const ORDER_SEARCH_LIMIT_MAX = 200;
export const ORDER_SEARCH_LIMIT_DEFAULT = 50;

/** A calendar date (`2026-03-02`) or an RFC 3339 date-time with seconds and a time zone. */
const DATE_OR_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}(:?\\d{2})?))?$';
const id = (description: string) => ({ type: 'string', minLength: 1, maxLength: SEARCH_TEXT_MAX, description });

/** GET /orders/search?status=&campaignId=&productId=&paymentType=&from=&to=&q=&limit=&after= */
export class OrderSearchQueryDto {
  @SchemaField({ type: 'string', enum: [...ORDER_STATUSES], description: "the order's status" }, { optional: true, example: 'PENDING' })
  status?: OrderStatus;

  @SchemaField(id('orders placed on this campaign'), { optional: true })
  campaignId?: string;

  @SchemaField(id('orders with this product on a line'), { optional: true })
  productId?: string;

  @SchemaField({ type: 'string', enum: [...PAYMENT_TYPES], description: 'how the order is paid' }, { optional: true, example: 'CARD' })
  paymentType?: PaymentType;

  @SchemaField({ type: 'string', pattern: DATE_OR_DATE_TIME, description: 'placed at or after (a date is its first moment, UTC)' }, { optional: true, example: '2026-03-01' })
  from?: string;

  @SchemaField({ type: 'string', pattern: DATE_OR_DATE_TIME, description: 'placed at or before (a date is its last moment, UTC)' }, { optional: true, example: '2026-03-31' })
  to?: string;

  @SchemaField(
    { type: 'string', minLength: 1, maxLength: SEARCH_TEXT_MAX, description: "the customer search's text: the orders of the customers it finds" },
    { optional: true, example: 'jane@example.com' },
  )
  q?: string;

  @SchemaField(
    { type: 'string', pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$', description: `orders per page, 1..${ORDER_SEARCH_LIMIT_MAX} (default ${ORDER_SEARCH_LIMIT_DEFAULT})` },
    { optional: true, example: '50' },
  )
  limit?: string;

  @SchemaField(id('the last orderId of the previous page (its `next`)'), { optional: true })
  after?: string;
}
