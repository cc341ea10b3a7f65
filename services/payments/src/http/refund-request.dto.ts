import { amount } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

/** Body of POST /transactions/:id/refund and POST /orders/:orderId/refund. */
export class RefundRequestDto {
  @SchemaField({ ...amount(1), description: 'integer minor units; default: all that remains' }, { optional: true, example: 1999 })
  amount?: number;
}
