import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { addressInputProperties, idRef, INPUT_LIMITS, newCustomerProperties, text } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';
import { CustomFieldChanges, CustomFields } from '@continuum/contracts';
import { CustomFieldsField } from './custom-fields.field';

const address = addressInputProperties();
const customer = newCustomerProperties();

/** A postal address; `country` is ISO 3166-1 alpha-2. Validated from the contracts' input schema (docs/api-limits.md). */
export class AddressDto {
  @SchemaField(address['line1'], { example: '1 Main St' }) line1!: string;
  @SchemaField(address['line2'], { optional: true }) line2?: string;
  @SchemaField(address['city'], { example: 'Austin' }) city!: string;
  @SchemaField(address['state'], { example: 'TX' }) state!: string;
  @SchemaField(address['postalCode'], { example: '78701' }) postalCode!: string;
  @SchemaField(address['country'], { example: 'US' }) country!: string;
}

/** POST /customers, and `customer` of POST /orders (the same schema as `customer` of a PlaceOrder message). */
export class NewCustomerDto {
  @SchemaField(customer['firstName'], { example: 'Ann' }) firstName!: string;
  @SchemaField(customer['lastName'], { example: 'Lee' }) lastName!: string;
  @SchemaField(customer['email'], { example: 'ann@example.com' }) email!: string;
  @SchemaField(customer['phone'], { optional: true, example: '+1 512 555 0100' }) phone?: string;
  @SchemaField(customer['billingAddress'], { nested: () => AddressDto }) billingAddress!: AddressDto;
  @SchemaField(customer['shippingAddress'], { optional: true, nested: () => AddressDto }) shippingAddress?: AddressDto;
}

/** POST /customers: a new customer and its custom fields (the `customer` of POST /orders takes none: the order's own `customFields` are the order's). */
export class RegisterCustomerDto extends NewCustomerDto {
  @CustomFieldsField('set') customFields?: CustomFields;
}

/** PATCH /customers/:id: any profile field; `customFields` merges by name ("" or null removes one). */
export class UpdateCustomerDto {
  @SchemaField(customer['firstName'], { optional: true }) firstName?: string;
  @SchemaField(customer['lastName'], { optional: true }) lastName?: string;
  @SchemaField(customer['email'], { optional: true }) email?: string;
  @SchemaField(customer['phone'], { optional: true }) phone?: string;
  @SchemaField(customer['billingAddress'], { optional: true, nested: () => AddressDto }) billingAddress?: AddressDto;
  @SchemaField(customer['shippingAddress'], { optional: true, nested: () => AddressDto }) shippingAddress?: AddressDto;
  @CustomFieldsField('patch') customFields?: CustomFieldChanges;
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
  @SchemaField(idRef()) fromCustomerId!: string;
}

/** POST /customers/:id/blacklist (admins): why, and whether only COD orders are blocked. */
export class BlacklistCustomerDto {
  @SchemaField({ type: 'boolean' }, { optional: true, description: 'block COD orders only (default false: every order)' }) codOnly?: boolean;
  @SchemaField(text(INPUT_LIMITS.reasonLength), { example: 'chargebacks on three orders' }) reason!: string;
}
