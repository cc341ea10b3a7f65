import { ApiProperty } from '@nestjs/swagger';
import { IsDateString } from 'class-validator';
import { COD_UNDELIVERED_REASONS, CodUndeliveredReason, FULFILLMENT_STATUSES, FULFILLMENT_UPDATE_TYPES, FulfillmentStatus, FulfillmentUpdateType, idRef, text } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

const isoDateTime = (): Record<string, unknown> => ({ type: 'string', format: 'date-time' });

/** GET /fulfillments?orderId= or ?status= (one of them). */
export class FulfillmentsQueryDto {
  @SchemaField(idRef(), { optional: true, example: 'ord-123' })
  orderId?: string;

  @SchemaField({ type: 'string', enum: [...FULFILLMENT_STATUSES] }, { optional: true, example: 'HOLD' })
  status?: FulfillmentStatus;
}

/** POST /fulfillments/:id/ship */
export class ShipDto {
  @SchemaField(idRef(), { example: '1Z999AA10123456784' })
  trackingNumber!: string;

  @SchemaField(text(50), { optional: true, example: 'UPS' })
  carrier?: string;

  @SchemaField(isoDateTime(), { optional: true, example: '2026-03-02T10:00:00Z', description: 'default now' })
  shippedAt?: string;
}

/** POST /fulfillments/:id/deliver */
export class DeliverDto {
  @SchemaField(isoDateTime(), { optional: true, example: '2026-03-04T15:00:00Z', description: 'default now' })
  deliveredAt?: string;
}

/** POST /fulfillments/:id/rma */
export class RmaDto {
  @SchemaField(idRef(), { example: 'RMA-1001' })
  rmaNumber!: string;
}

/** POST /fulfillments/:id/return */
export class ReturnDto {
  @SchemaField(isoDateTime(), { optional: true, example: '2026-03-10T09:00:00Z', description: 'default now' })
  returnedAt?: string;
}

/** POST /fulfillments/:id/cancel */
export class CancelDto {
  @SchemaField(text(500), { example: 'customer changed their mind' })
  reason!: string;
}

/** POST /fulfillments/:id/cod/paid */
export class CodPaidDto {
  @SchemaField(idRef(), { example: 'DC-20260305-17' })
  deliveryConfirmation!: string;

  @ApiProperty({ description: 'the date the cash was collected (ISO-8601 date or date-time)', example: '2026-03-05', format: 'date' })
  @IsDateString()
  date!: string;
}

/** POST /fulfillments/:id/cod/undelivered */
export class CodUndeliveredDto {
  @SchemaField({ type: 'string', enum: [...COD_UNDELIVERED_REASONS] }, { example: 'SCHEDULED_FOR_REATTEMPT' })
  status!: CodUndeliveredReason;
}

/** POST /fulfillment-updates: the same JSON a house sends on fulfillment.updates.v1. */
export class FulfillmentUpdateDto {
  @SchemaField(idRef(), { example: 'ord-123-F1' })
  reference!: string;

  @SchemaField({ type: 'string', enum: [...FULFILLMENT_UPDATE_TYPES] }, { example: 'SHIPPED' })
  type!: FulfillmentUpdateType;

  @SchemaField(idRef(), { optional: true, example: '1Z999AA10123456784', description: 'required for SHIPPED' })
  trackingNumber?: string;

  @SchemaField(text(50), { optional: true, example: 'UPS' })
  carrier?: string;

  @SchemaField(isoDateTime(), { example: '2026-03-02T10:00:00Z' })
  at!: string;

  @SchemaField(text(500), { optional: true, example: 'address not found', description: 'required for FAILED' })
  reason?: string;
}
