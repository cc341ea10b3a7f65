import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { idRef } from '@continuum/contracts';
import { IsOmittable, SchemaField } from '@continuum/platform';

/** GET /transactions?orderId= */
export class TransactionsQueryDto {
  @SchemaField(idRef(), { example: 'ord-123' })
  orderId!: string;
}

export const REFUND_STATUS_FILTERS = ['PENDING', 'QUEUED', 'SUCCEEDED', 'ABANDONED'] as const;

/** GET /refunds?status= */
export class RefundsQueryDto {
  @ApiPropertyOptional({ enum: REFUND_STATUS_FILTERS, example: 'QUEUED' })
  @IsOmittable()
  @IsIn(REFUND_STATUS_FILTERS)
  status?: (typeof REFUND_STATUS_FILTERS)[number];
}
