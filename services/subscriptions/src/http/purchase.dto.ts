import { ApiHideProperty } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { CANCEL_WHEN, CancelWhen, INPUT_LIMITS, PURCHASE_STATUSES, PurchaseStatus, SALES_TAX_MODES, SalesTaxMode, amount, idRef, pageLimitSchema, quantity, text } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

const calendarDate = () => ({ type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/** GET /purchases?customerId=&orderId=&status=[&limit=][&after=] (at least one; every one given must match; with `status`, one page). */
export class PurchasesQueryDto {
  @SchemaField(idRef(), { optional: true, example: 'cus-123' })
  customerId?: string;

  @SchemaField(idRef(), { optional: true, example: 'ord-123' })
  orderId?: string;

  @SchemaField({ type: 'string', enum: [...PURCHASE_STATUSES] }, { optional: true, example: 'RECYCLE_FAILED' })
  status?: PurchaseStatus;

  @SchemaField(pageLimitSchema('with `status`: purchases'), { optional: true, example: '50' })
  limit?: string;

  @SchemaField(idRef(), { optional: true, description: 'with `status`: the last purchaseId of the previous page' })
  after?: string;
}

export class SalesTaxDto {
  @SchemaField({ type: 'string', enum: [...SALES_TAX_MODES] }, { example: 'CUSTOM' })
  mode!: SalesTaxMode;

  @SchemaField({ ...amount(), description: 'minor units; CUSTOM only' }, { optional: true, example: 480 })
  amount?: number;
}

/** PATCH /purchases/:id (Update purchase). Billing type and trial type are fixed: sending them is refused, naming the field. */
export class UpdatePurchaseDto {
  @SchemaField({ ...amount(), description: 'minor units: quantity x unit price' }, { optional: true, example: 5999 })
  price?: number;

  @SchemaField({ ...amount(), description: 'minor units' }, { optional: true, example: 495 })
  shippingPrice?: number;

  @SchemaField(quantity(), { optional: true, example: 2 })
  quantity?: number;

  @SchemaField({ ...amount(), description: 'minor units; required with a new quantity unless price is given' }, { optional: true, example: 2999 })
  unitPrice?: number;

  @SchemaField({ ...calendarDate(), description: 'YYYY-MM-DD in the account time zone: any day from today on, earlier or later than the current one (a past date: 422 NEXT_BILL_DATE_IN_PAST)' }, { optional: true, example: '2026-04-15' })
  nextBillDate?: string;

  @SchemaField({ type: 'object' }, { optional: true, nested: () => SalesTaxDto })
  salesTax?: SalesTaxDto;

  @SchemaField(idRef(), { optional: true, example: 'mid-2' })
  merchantId?: string;

  @SchemaField({ type: 'integer', minimum: 1, maximum: 120, description: 'the last cycle billed (docs/api-limits.md: 1..120, as on a campaign)' }, { optional: true, example: 6 })
  finalBillCycle?: number;

  @SchemaField({ type: 'boolean' }, { optional: true, example: true })
  insureShipment?: boolean;

  /** fixed by the offer: accepted here only to be refused by name (422 FIELD_FIXED) */
  @ApiHideProperty()
  @Allow()
  billingType?: unknown;

  @ApiHideProperty()
  @Allow()
  trialType?: unknown;
}

/** POST /purchases/:id/cancel */
export class CancelPurchaseDto {
  @SchemaField({ type: 'string', enum: [...CANCEL_WHEN] }, { example: 'AFTER_NEXT_BILL' })
  when!: CancelWhen;

  @SchemaField({ ...calendarDate(), description: 'ON_DATE only: YYYY-MM-DD, after today' }, { optional: true, example: '2026-05-01' })
  date?: string;

  @SchemaField(text(INPUT_LIMITS.reasonLength), { example: 'customer request' })
  reason!: string;
}

/** POST /purchases/:id/pause */
export class PausePurchaseDto {
  @SchemaField(text(INPUT_LIMITS.reasonLength), { optional: true, example: 'travelling' })
  reason?: string;
}

/** POST /purchases/:id/change-product */
export class ChangeProductDto {
  @SchemaField(idRef(), { example: 'prod-456' })
  productId!: string;

  @SchemaField({ type: 'boolean', description: "also take the new product's price, shipping and billing terms" }, { example: true })
  applyProductDetails!: boolean;
}

/** POST /billing-runs */
export class BillingRunDto {
  @SchemaField({ type: 'string', format: 'date-time', description: 'bill every purchase due by this time (default: now)' }, { optional: true, example: '2026-03-15T00:00:00Z' })
  asOf?: string;
}
