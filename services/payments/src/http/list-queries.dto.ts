import { idRef, pageLimitSchema } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

/** GET /transactions?orderId= */
export class TransactionsQueryDto {
  @SchemaField(idRef(), { example: 'ord-123' })
  orderId!: string;
}

export const REFUND_STATUS_FILTERS = ['PENDING', 'QUEUED', 'SUCCEEDED', 'ABANDONED'] as const;

/** GET /refunds?status=[&limit=][&after=]: one page, oldest request first. */
export class RefundsQueryDto {
  @SchemaField({ type: 'string', enum: [...REFUND_STATUS_FILTERS] }, { optional: true, example: 'QUEUED' })
  status?: (typeof REFUND_STATUS_FILTERS)[number];

  @SchemaField(pageLimitSchema('refunds'), { optional: true, example: '50' })
  limit?: string;

  @SchemaField(idRef(), { optional: true, description: 'the last refundId of the previous page' })
  after?: string;
}
