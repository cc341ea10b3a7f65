import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CANCEL_PURCHASES, CancelPurchases, PAYMENT_TYPES, PaymentType } from '@continuum/contracts';
import { AddressDto, NewCustomerDto } from './customer.dto';

export class OrderItemDto {
  @ApiProperty() @IsString() @IsNotEmpty() productId!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
  @ApiPropertyOptional({ description: 'overrides the catalog price, minor units; 0 = free replacement' }) @IsOptional() @IsInt() @Min(0) unitPrice?: number;
}

/** The raw card; exchanged at once for a token at payments' card vault: orders keeps token, brand, last four, BIN and expiry, never the number or cvv. */
export class CardDto {
  @ApiProperty({ example: '4111111111111111' }) @Matches(/^\d{12,19}$/, { message: 'number must be 12 to 19 digits' }) number!: string;
  @ApiProperty({ minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) expMonth!: number;
  @ApiProperty({ example: 2030 }) @IsInt() @Min(2000) @Max(2100) expYear!: number;
  @ApiProperty({ example: '123' }) @Matches(/^\d{3,4}$/, { message: 'cvv must be 3 or 4 digits' }) cvv!: string;
}

/** POST /orders: either `customerId` or `customer`. */
export class PlaceOrderDto {
  @ApiProperty() @IsString() @IsNotEmpty() campaignId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() customerId?: string;
  @ApiPropertyOptional({ type: () => NewCustomerDto }) @IsOptional() @ValidateNested() @Type(() => NewCustomerDto) customer?: NewCustomerDto;
  @ApiProperty({ type: () => [OrderItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
  @ApiProperty({ enum: PAYMENT_TYPES }) @IsIn(PAYMENT_TYPES) paymentType!: PaymentType;
  @ApiPropertyOptional({ type: () => CardDto }) @IsOptional() @ValidateNested() @Type(() => CardDto) card?: CardDto;
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) shippingAddress?: AddressDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() forceQa?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disableCustomerDedup?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() ipAddress?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() externalReference?: string;
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
  @ApiPropertyOptional() @IsOptional() @IsBoolean() fullRefund?: boolean;
  @ApiPropertyOptional({ enum: CANCEL_PURCHASES }) @IsOptional() @IsIn(CANCEL_PURCHASES) cancelPurchases?: CancelPurchases;
}

export class RerunOrderDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() merchantId?: string;
}

export class AddUpsellDto {
  @ApiProperty() @IsString() @IsNotEmpty() productId!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
  @ApiPropertyOptional({ description: 'minor units' }) @IsOptional() @IsInt() @Min(0) unitPrice?: number;
}

/** GET /orders?customerId= */
export class ListOrdersQueryDto {
  @ApiProperty() @IsString() @IsNotEmpty() customerId!: string;
}
