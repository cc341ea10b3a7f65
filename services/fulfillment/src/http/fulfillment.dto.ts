import { IsDateString } from 'class-validator';
import {
  carrierInput,
  COD_UNDELIVERED_REASONS,
  CodUndeliveredReason,
  collectionDateInput,
  deliveryConfirmationInput,
  eventTimeInput,
  FULFILLMENT_STATUSES,
  fulfillmentReasonInput,
  fulfillmentUpdateProperties,
  FulfillmentStatus,
  FulfillmentUpdateType,
  idRef,
  INPUT_LIMITS,
  pageLimitSchema,
  rmaNumberInput,
  text,
  trackingNumberInput,
} from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

// Every field takes its bounds from libs/contracts/src/fulfillment/fulfillment-inputs.ts, as the
// FulfillmentUpdate message on fulfillment.updates.v1 does: HTTP and Kafka accept the same input.
const update = fulfillmentUpdateProperties();

/** GET /fulfillments?orderId= or ?status=[&limit=][&after=] (one of them; a status alone is paged). */
export class FulfillmentsQueryDto {
  @SchemaField(idRef(), { optional: true, example: 'ord-123' })
  orderId?: string;

  @SchemaField({ type: 'string', enum: [...FULFILLMENT_STATUSES] }, { optional: true, example: 'HOLD' })
  status?: FulfillmentStatus;

  @SchemaField(pageLimitSchema('with `status`: fulfillments'), { optional: true, example: '50' })
  limit?: string;

  @SchemaField(idRef(), { optional: true, description: 'with `status`: the last fulfillmentId of the previous page' })
  after?: string;
}

/** POST /fulfillments/:id/ship */
export class ShipDto {
  @SchemaField(trackingNumberInput(), { example: '1Z999AA10123456784' })
  trackingNumber!: string;

  @SchemaField(carrierInput(), { optional: true, example: 'UPS' })
  carrier?: string;

  @SchemaField(eventTimeInput(), { optional: true, example: '2026-03-02T10:00:00Z', description: 'default now' })
  shippedAt?: string;
}

/** POST /fulfillments/:id/deliver */
export class DeliverDto {
  @SchemaField(eventTimeInput(), { optional: true, example: '2026-03-04T15:00:00Z', description: 'default now' })
  deliveredAt?: string;
}

/** POST /fulfillments/:id/rma */
export class RmaDto {
  @SchemaField(rmaNumberInput(), { example: 'RMA-1001' })
  rmaNumber!: string;
}

/** POST /fulfillments/:id/return */
export class ReturnDto {
  @SchemaField(eventTimeInput(), { optional: true, example: '2026-03-10T09:00:00Z', description: 'default now' })
  returnedAt?: string;
}

/** POST /fulfillments/:id/cancel */
export class CancelDto {
  @SchemaField(fulfillmentReasonInput(), { example: 'customer changed their mind' })
  reason!: string;
}

/** One line of POST /fulfillments/:id/reship: a product of the order (by sku) and how many to ship. */
export class ReshipItemDto {
  @SchemaField(text(INPUT_LIMITS.referenceLength), { example: 'SKU-1', description: "one of the order's products (else 422 PRODUCT_NOT_IN_ORDER naming items.<i>.sku)" })
  sku!: string;

  // only the type here: 1..the campaign's maxQuantity is the reship rule's (422 naming items.<i>.quantity)
  @SchemaField({ type: 'integer' }, { example: 1, description: "1 to the campaign's maxQuantity (else 422 INVALID_QUANTITY or QUANTITY_LIMIT naming items.<i>.quantity)" })
  quantity!: number;
}

/** POST /fulfillments/:id/reship: `items` ships these lines instead of the original's; absent, the original's. */
export class ReshipDto {
  @SchemaField(
    { type: 'array', items: { type: 'object' }, maxItems: INPUT_LIMITS.maxItems },
    { optional: true, nested: () => ReshipItemDto, description: 'the corrected lines; at least one (else 422 NO_ITEMS); each sku once (else 422 DUPLICATE_SKU)' },
  )
  items?: ReshipItemDto[];
}

/** POST /fulfillments/:id/cod/paid */
export class CodPaidDto {
  @SchemaField(deliveryConfirmationInput(), { example: 'DC-20260305-17' })
  deliveryConfirmation!: string;

  @SchemaField(collectionDateInput(), { example: '2026-03-05', description: 'the date the cash was collected (ISO-8601 date or date-time)' })
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
  @SchemaField(update['reference'], { example: 'ord-123-F1' })
  reference!: string;

  @SchemaField(update['type'], { example: 'SHIPPED' })
  type!: FulfillmentUpdateType;

  @SchemaField(update['trackingNumber'], { optional: true, example: '1Z999AA10123456784', description: 'required for SHIPPED' })
  trackingNumber?: string;

  @SchemaField(update['carrier'], { optional: true, example: 'UPS' })
  carrier?: string;

  @SchemaField(update['at'], { example: '2026-03-02T10:00:00Z' })
  at!: string;

  @SchemaField(update['reason'], { optional: true, example: 'address not found', description: 'required for FAILED' })
  reason?: string;
}
