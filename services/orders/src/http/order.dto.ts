import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CANCEL_PURCHASES, CancelPurchases, PAYMENT_TYPES, PaymentType } from '@continuum/contracts';
import { AddressDto, NewCustomerDto } from './customer.dto';
import { IsOmittable } from '@continuum/platform';

export class OrderItemDto {
  @ApiProperty() @IsString() @IsNotEmpty() productId!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
  @ApiPropertyOptional({ description: 'overrides the catalog price, minor units; 0 = free replacement' }) @IsOmittable() @IsInt() @Min(0) unitPrice?: number;
}

/** The raw card; only the number (as the gateway token) and display fields are kept, never the cvv. */
export class CardDto {
  @ApiProperty({ example: '4111111111111111' }) @Matches(/^\d{12,19}$/, { message: 'number must be 12 to 19 digits' }) number!: string;
  @ApiProperty({ minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) expMonth!: number;
  @ApiProperty({ example: 2030 }) @IsInt() @Min(2000) @Max(2100) expYear!: number;
  @ApiProperty({ example: '123' }) @Matches(/^\d{3,4}$/, { message: 'cvv must be 3 or 4 digits' }) cvv!: string;
}

/** POST /orders: either `customerId` or `customer`. */
export class PlaceOrderDto {
  @ApiProperty() @IsString() @IsNotEmpty() campaignId!: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() customerId?: string;
  @ApiPropertyOptional({ type: () => NewCustomerDto }) @IsOmittable() @ValidateNested() @Type(() => NewCustomerDto) customer?: NewCustomerDto;
  @ApiProperty({ type: () => [OrderItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
  @ApiProperty({ enum: PAYMENT_TYPES }) @IsIn(PAYMENT_TYPES) paymentType!: PaymentType;
  @ApiPropertyOptional({ type: () => CardDto }) @IsOmittable() @ValidateNested() @Type(() => CardDto) card?: CardDto;
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOmittable() @ValidateNested() @Type(() => AddressDto) shippingAddress?: AddressDto;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() forceQa?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() disableCustomerDedup?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() ipAddress?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() externalReference?: string;
}

export class QaDecisionDto {
  @ApiProperty({ enum: ['APPROVE', 'DECLINE'] }) @IsIn(['APPROVE', 'DECLINE']) action!: 'APPROVE' | 'DECLINE';
}

export class CancelOrderDto {
  /** Blank (whitespace-only) is bad input, 400 naming `reason`; the domain still refuses one (REASON_REQUIRED). */
  @ApiProperty({ example: 'customer changed their mind', description: 'at least one non-whitespace character' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() fullRefund?: boolean;
  @ApiPropertyOptional({ enum: CANCEL_PURCHASES }) @IsOmittable() @IsIn(CANCEL_PURCHASES) cancelPurchases?: CancelPurchases;
}

export class RerunOrderDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() merchantId?: string;
}

export class AddUpsellDto {
  @ApiProperty() @IsString() @IsNotEmpty() productId!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
  @ApiPropertyOptional({ description: 'minor units' }) @IsOmittable() @IsInt() @Min(0) unitPrice?: number;
}

/** GET /orders?customerId= */
export class ListOrdersQueryDto {
  @ApiProperty() @IsString() @IsNotEmpty() customerId!: string;
}
