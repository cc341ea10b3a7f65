import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString } from 'class-validator';
import { IsOmittable } from '@continuum/platform';

/** GET /transactions?orderId= */
export class TransactionsQueryDto {
  @ApiProperty({ example: 'ord-123' })
  @IsString()
  @IsNotEmpty()
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
