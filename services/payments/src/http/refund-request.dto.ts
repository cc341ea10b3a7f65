import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { IsOmittable } from '@continuum/platform';

/** Body of POST /transactions/:id/refund and POST /orders/:orderId/refund. */
export class RefundRequestDto {
  @ApiPropertyOptional({ description: 'integer minor units; default: all that remains', example: 1999, minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  amount?: number;
}
