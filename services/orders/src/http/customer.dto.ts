import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Length, ValidateNested } from 'class-validator';
import { IsOmittable } from '@continuum/platform';

/** A postal address; `country` is ISO 3166-1 alpha-2. */
export class AddressDto {
  @ApiProperty({ example: '1 Main St' }) @IsString() @IsNotEmpty() line1!: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() line2?: string;
  @ApiProperty({ example: 'Austin' }) @IsString() @IsNotEmpty() city!: string;
  @ApiProperty({ example: 'TX' }) @IsString() @IsNotEmpty() state!: string;
  @ApiProperty({ example: '78701' }) @IsString() @IsNotEmpty() postalCode!: string;
  @ApiProperty({ example: 'US' }) @IsString() @IsNotEmpty() country!: string;
}

/** POST /customers, and `customer` of POST /orders. */
export class NewCustomerDto {
  @ApiProperty({ example: 'Ann' }) @IsString() @IsNotEmpty() firstName!: string;
  @ApiProperty({ example: 'Lee' }) @IsString() @IsNotEmpty() lastName!: string;
  @ApiProperty({ example: 'ann@example.com' }) @IsEmail() email!: string;
  @ApiPropertyOptional({ example: '+1 512 555 0100' }) @IsOmittable() @IsString() @IsNotEmpty() phone?: string;
  @ApiProperty({ type: () => AddressDto }) @ValidateNested() @Type(() => AddressDto) billingAddress!: AddressDto;
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOmittable() @ValidateNested() @Type(() => AddressDto) shippingAddress?: AddressDto;
}

/** PATCH /customers/:id: any profile field. */
export class UpdateCustomerDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() firstName?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() lastName?: string;
  @ApiPropertyOptional() @IsOmittable() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() phone?: string;
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOmittable() @ValidateNested() @Type(() => AddressDto) billingAddress?: AddressDto;
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOmittable() @ValidateNested() @Type(() => AddressDto) shippingAddress?: AddressDto;
}

/**
 * POST /customers/:id/notes. The message is trimmed before it is checked and stored, so 1..500
 * characters means after trimming: a blank note is 400, as is a 501st character that is not whitespace.
 */
export class AddNoteDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'Called about a late package', description: '1..500 characters after trimming' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 500, { message: 'message must have 1 to 500 characters (not counting leading and trailing whitespace)' })
  message!: string;
}

/** POST /customers/:id/merge: `fromCustomerId` is merged into the customer of the path. */
export class MergeCustomerDto {
  @ApiProperty() @IsString() @IsNotEmpty() fromCustomerId!: string;
}
