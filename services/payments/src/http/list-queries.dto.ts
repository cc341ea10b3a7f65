import { idRef } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

/** GET /transactions?orderId= */
export class TransactionsQueryDto {
  @SchemaField(idRef(), { example: 'ord-123' })
  orderId!: string;
}

export const REFUND_STATUS_FILTERS = ['PENDING', 'QUEUED', 'SUCCEEDED', 'ABANDONED'] as const;

/** GET /refunds?status= */
export class RefundsQueryDto {
  @SchemaField({ type: 'string', enum: [...REFUND_STATUS_FILTERS] }, { optional: true, example: 'QUEUED' })
  status?: (typeof REFUND_STATUS_FILTERS)[number];
}
