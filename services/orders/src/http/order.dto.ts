import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { amount, CANCEL_PURCHASES, CancelPurchases, idRef, INPUT_LIMITS, ORDER_STATUSES, orderDiscountProperties, orderLineProperties, OrderStatus, PaymentType, placeOrderBodyProperties, quantity } from '@continuum/contracts';
import { IsOmittable, SchemaField } from '@continuum/platform';
import { AddressDto, NewCustomerDto } from './customer.dto';
import { CustomFieldsField } from './custom-fields.field';

const line = orderLineProperties();
const body = placeOrderBodyProperties();

/** One line of POST /orders, from the same schema as a PlaceOrder message's line. */
export class OrderItemDto {
  @SchemaField(line['productId']) productId!: string;
  @SchemaField(line['quantity']) quantity!: number;
  @SchemaField(line['unitPrice'], { optional: true }) unitPrice?: number;
  @SchemaField(line['subscribe'], { optional: true }) subscribe?: boolean;
}

const discount = orderDiscountProperties();

/** The discount of POST /orders (agents and admins). */
export class OrderDiscountDto {
  @SchemaField({ ...discount['amount'], description: 'minor units, at most subtotal + shipping (else 422 DISCOUNT_EXCEEDS_TOTAL)' }) amount!: number;
  @SchemaField(discount['reason']) reason!: string;
}

/** The shapes the document states and the validators check (one declaration each). */
const CARD_NUMBER = '^[0-9]{12,19}$';
const CVV = '^[0-9]{3,4}$';

/** The raw card; exchanged at once for a token at payments' card vault: orders keeps token, brand, last four, BIN and expiry, never the number or cvv. */
export class CardDto {
  @ApiProperty({ example: '4111111111111111', pattern: CARD_NUMBER, description: 'Luhn-valid (the card vault refuses it otherwise)' })
  @Matches(new RegExp(CARD_NUMBER), { message: 'number must be 12 to 19 digits' })
  number!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) expMonth!: number;
  @ApiProperty({ type: 'integer', example: 2030, minimum: 2000, maximum: 2100 }) @IsInt() @Min(2000) @Max(2100) expYear!: number;
  @ApiProperty({ example: '123', pattern: CVV }) @Matches(new RegExp(CVV), { message: 'cvv must be 3 or 4 digits' }) cvv!: string;
}

/**
 * POST /orders: either `customerId` or `customer`, not both. Every field is validated from
 * placeOrderBodyProperties(), the schema the PlaceOrder message on orders.intake.v1 uses too.
 */
export class PlaceOrderDto {
  @SchemaField(body['campaignId']) campaignId!: string;
  @SchemaField(body['customerId'], { optional: true, description: 'an existing customer; or give `customer`, not both' }) customerId?: string;
  @SchemaField(body['customer'], { optional: true, nested: () => NewCustomerDto, description: 'a new customer (deduplicated); or give `customerId`, not both' }) customer?: NewCustomerDto;
  @SchemaField(body['items'], { nested: () => OrderItemDto }) items!: OrderItemDto[];
  @SchemaField(body['paymentType']) paymentType!: PaymentType;
  @ApiPropertyOptional({ type: () => CardDto }) @IsOmittable() @ValidateNested() @Type(() => CardDto) card?: CardDto;
  @SchemaField(body['shippingAddress'], { optional: true, nested: () => AddressDto }) shippingAddress?: AddressDto;
  @SchemaField(body['shippingMethod'], { optional: true, example: 'STANDARD', description: "one of the campaign's shippingMethods (default its first; a campaign that lists none ships STANDARD only)" }) shippingMethod?: string;
  @SchemaField(body['forceQa'], { optional: true }) forceQa?: boolean;
  @SchemaField(body['disableCustomerDedup'], { optional: true }) disableCustomerDedup?: boolean;
  @SchemaField(body['ipAddress'], { optional: true, example: '203.0.113.7' }) ipAddress?: string;
  @SchemaField(body['externalReference'], { optional: true }) externalReference?: string;
  @SchemaField(body['discount'], { optional: true, nested: () => OrderDiscountDto, description: 'agents and admins: taken off the total, shown in totals.discount' }) discount?: OrderDiscountDto;
  @CustomFieldsField('set') customFields?: { [name: string]: string };
}

export class QaDecisionDto {
  @ApiProperty({ enum: ['APPROVE', 'DECLINE'] }) @IsIn(['APPROVE', 'DECLINE']) action!: 'APPROVE' | 'DECLINE';
}

export class CancelOrderDto {
  /** Blank (whitespace-only) is bad input, 400 naming `reason`; the domain still refuses one (REASON_REQUIRED). */
  @ApiProperty({ example: 'customer changed their mind', description: 'at least one non-whitespace character', minLength: 1, maxLength: INPUT_LIMITS.reasonLength, pattern: '\\S' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(INPUT_LIMITS.reasonLength)
  reason!: string;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() fullRefund?: boolean;
  @ApiPropertyOptional({ enum: CANCEL_PURCHASES }) @IsOmittable() @IsIn(CANCEL_PURCHASES) cancelPurchases?: CancelPurchases;
}

export class RerunOrderDto {
  @SchemaField(idRef(), { optional: true, description: 'another merchant account to run the card on' }) merchantId?: string;
}

/** POST /orders/:id/upsells: the order's campaign limits apply to the order with the upsell. */
export class AddUpsellDto {
  @SchemaField(line['productId']) productId!: string;
  @SchemaField(quantity()) quantity!: number;
  @SchemaField({ ...amount(), description: 'overrides the catalog price, integer minor units; on CARD and COD orders only roles the campaign allows' }, { optional: true }) unitPrice?: number;
}

/** Orders of one status a page holds: `limit` 1..200, 50 when not given. */
export const ORDER_PAGE = { min: 1, max: 200, default: 50 } as const;

/** GET /orders?customerId= (a customer's orders), or ?status=[&campaignId=][&limit=][&after=] (one status, paged: the QA queue is PENDING). */
export class ListOrdersQueryDto {
  @SchemaField(idRef(), { optional: true, description: "a customer's orders; or give `status`" }) customerId?: string;
  @SchemaField({ type: 'string', enum: [...ORDER_STATUSES] }, { optional: true, example: 'PENDING', description: 'the orders in this status, in the order they reached it; or give `customerId`' })
  status?: OrderStatus;
  @SchemaField(idRef(), { optional: true, description: 'with `status`: only this campaign\'s orders' }) campaignId?: string;
  @SchemaField(
    { type: 'string', pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$', description: `with \`status\`: orders per page, ${ORDER_PAGE.min}..${ORDER_PAGE.max} (default ${ORDER_PAGE.default})` },
    { optional: true, example: '50' },
  )
  limit?: string;
  @SchemaField(idRef(), { optional: true, description: 'with `status`: the last orderId of the previous page' }) after?: string;
}
