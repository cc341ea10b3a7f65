import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { JsonSchema, ORDER_EMAIL_KINDS, OrderEmailKind, oneOf, openObj, str } from '@continuum/contracts';

/** POST /orders/:id/resend-email: which of the order's emails goes to the customer again. */
export class ResendEmailDto {
  @ApiProperty({ enum: ORDER_EMAIL_KINDS, description: "CONFIRMATION: the order confirmation (orders sends it); REFUND: the email of the order's last refund or void (payments sends it)" })
  @IsIn(ORDER_EMAIL_KINDS, { message: `kind must be one of ${ORDER_EMAIL_KINDS.join(', ')}` })
  kind!: OrderEmailKind;
}

/** The 202 answer: the resend is recorded (OrderEmailResendRequested); the email follows. */
export const resendEmailResponse = (): JsonSchema => openObj({ orderId: str(), kind: oneOf(...ORDER_EMAIL_KINDS) }, ['orderId', 'kind']);
