import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsIP,
  IsISO8601,
  IsNumber,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { JsonSchema } from '@continuum/contracts';
import { IsOmittable } from './omittable.decorator';

export interface SchemaFieldOptions {
  /** a field that may be left out (never null); default: required */
  readonly optional?: boolean;
  /** the DTO class of an object, or of an array's items */
  readonly nested?: () => ClassType<unknown>;
  /** shown in the OpenAPI document only */
  readonly example?: unknown;
  readonly description?: string;
}

/** An RFC 3339 date-time (JSON Schema's `date-time`): seconds and a time zone required. IsISO8601 checks the calendar. */
export const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)$/;

/** An RFC 3339 full-date (JSON Schema's `date`): `2026-03-02`; IsISO8601 checks the calendar. */
export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Schema keywords that OpenAPI 3.0 takes as they are. */
const OPENAPI_KEYWORDS = ['type', 'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum', 'minItems', 'maxItems', 'uniqueItems', 'description', 'anyOf'] as const;

const num = (schema: JsonSchema, key: string): number | undefined => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);

/** The class-validator decorators that check exactly what `schema` says (each: for array items). */
function validatorsOf(schema: JsonSchema, each: boolean, nested?: () => ClassType<unknown>): PropertyDecorator[] {
  const options = each ? { each: true } : {};
  const decorators: PropertyDecorator[] = [];
  const enumeration = schema['enum'] as readonly unknown[] | undefined;
  if (enumeration) decorators.push(IsIn([...enumeration], options));
  const minimum = num(schema, 'minimum');
  const maximum = num(schema, 'maximum');
  switch (schema['type']) {
    case 'string': {
      decorators.push(IsString(options));
      const minLength = num(schema, 'minLength');
      const maxLength = num(schema, 'maxLength');
      if (minLength !== undefined) decorators.push(MinLength(minLength, options));
      if (maxLength !== undefined) decorators.push(MaxLength(maxLength, options));
      if (typeof schema['pattern'] === 'string') {
        decorators.push(Matches(new RegExp(schema['pattern'], 'u'), { ...options, message: ({ property }) => `${property} must match ${String(schema['pattern'])}` }));
      }
      const formats = [schema['format'], ...((schema['anyOf'] as JsonSchema[] | undefined) ?? []).map((s) => s['format'])].filter((f) => f !== undefined);
      if (formats.includes('email')) decorators.push(IsEmail({}, options));
      if (formats.includes('date')) {
        decorators.push(Matches(CALENDAR_DATE, { ...options, message: ({ property }) => `${property} must be a date (2026-03-02)` }));
        decorators.push(IsISO8601({ strict: true }, options));
      }
      if (formats.includes('date-time')) {
        // RFC 3339, as OpenAPI and JSON Schema (and so the topics' Ajv) mean it: ISO-8601 alone would let a date without a time or zone through
        decorators.push(IsISO8601({ strict: true }, options));
        decorators.push(Matches(RFC3339_DATE_TIME, { ...options, message: ({ property }) => `${property} must be a date-time with seconds and a time zone (2026-03-02T10:00:00Z)` }));
      }
      if (formats.includes('ipv4') && formats.includes('ipv6')) decorators.push(IsIP(undefined, options));
      break;
    }
    case 'integer':
      decorators.push(IsInt(options));
      break;
    case 'number':
      decorators.push(IsNumber({ allowNaN: false, allowInfinity: false }, options));
      break;
    case 'boolean':
      decorators.push(IsBoolean(options));
      break;
    case 'object':
      if (!nested) throw new Error('SchemaField: an object needs `nested`, the DTO class of its fields');
      decorators.push(IsObject(options), ValidateNested(options), Type(nested));
      break;
    case 'array': {
      decorators.push(IsArray());
      const minItems = num(schema, 'minItems');
      const maxItems = num(schema, 'maxItems');
      if (minItems !== undefined) decorators.push(ArrayMinSize(minItems));
      if (maxItems !== undefined) decorators.push(ArrayMaxSize(maxItems));
      if (schema['uniqueItems'] === true) decorators.push(ArrayUnique());
      decorators.push(...validatorsOf(schema['items'] as JsonSchema, true, nested));
      break;
    }
    default:
      throw new Error(`SchemaField: unsupported schema type ${String(schema['type'])}`);
  }
  if (minimum !== undefined) decorators.push(Min(minimum, options));
  if (maximum !== undefined) decorators.push(Max(maximum, options));
  return decorators;
}

/** The OpenAPI form of `schema` for @ApiProperty; a nested DTO is referenced by its class. */
function openApiOf(schema: JsonSchema, nested?: () => ClassType<unknown>): Record<string, unknown> {
  // @nestjs/swagger takes a function as a lazy type only when it is named `type`, as this arrow is
  if (schema['type'] === 'object' && nested) return { type: () => nested() };
  if (schema['type'] === 'array') {
    const items = schema['items'] as JsonSchema;
    const bounds = Object.fromEntries(['minItems', 'maxItems', 'uniqueItems', 'description'].filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
    if (items['type'] === 'object' && nested) return { type: () => [nested()], ...bounds };
    return { type: 'array', items: openApiOf(items), ...bounds };
  }
  return Object.fromEntries(OPENAPI_KEYWORDS.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
}

/**
 * One DTO field, validated and documented from one JSON Schema, the same schema the contracts use
 * (so POST /orders and the PlaceOrder message on orders.intake.v1 cannot drift apart):
 *
 *   @SchemaField(placeOrderBodyProperties().campaignId) campaignId!: string;
 *   @SchemaField(addressInputSchema(), { optional: true, nested: () => AddressDto }) shippingAddress?: AddressDto;
 *
 * Supports string (minLength, maxLength, pattern, formats email, date and date-time (RFC 3339), ipv4+ipv6 as anyOf),
 * integer and number (minimum, maximum), boolean, enum, objects of a nested DTO and arrays of them.
 */
export function SchemaField(schema: JsonSchema, options: SchemaFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ...(options.optional ? [IsOmittable()] : []),
    ...validatorsOf(schema, false, options.nested),
    ApiProperty({
      required: !options.optional,
      ...openApiOf(schema, options.nested),
      ...(options.example !== undefined ? { example: options.example } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
    } as never),
  );
}
