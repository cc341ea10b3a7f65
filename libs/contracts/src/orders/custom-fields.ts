import { PRINTABLE_TEXT } from '../core/input-schemas';
import { JsonSchema } from '../core/registry';

/**
 * Custom fields: free name/value pairs an agent or a client keeps on a customer or an order
 * (`{ "loyaltyTier": "gold" }`). Values are strings only.
 */
export type CustomFields = { readonly [name: string]: string };

/** What a PATCH asks for: a value sets the field, "" or null removes it; fields not named stay as they are. */
export type CustomFieldChanges = { readonly [name: string]: string | null };

export const CUSTOM_FIELD_LIMITS = {
  /** fields on one customer or order (after a PATCH is merged) */
  maxFields: 20,
  /** names have 1..40 characters */
  nameLength: 40,
  /** values have up to 500 characters */
  valueLength: 500,
  /** names one PATCH may mention: enough to replace a full set (remove 20, add 20) in one request */
  maxChangesPerRequest: 40,
} as const;

/**
 * A name: printable, no `.` anywhere, no `$` first, no whitespace at either end. Names are keys of
 * the stored documents (which take neither a dot nor a leading `$`), and `customFields.<name>` is how
 * an error names the field.
 */
export const CUSTOM_FIELD_NAME_PATTERN = '^(?![$\\s])(?![\\s\\S]*\\s$)[^.\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF]+$';

export const customFieldNameSchema = (): JsonSchema => ({ type: 'string', minLength: 1, maxLength: CUSTOM_FIELD_LIMITS.nameLength, pattern: CUSTOM_FIELD_NAME_PATTERN });

/** A value as clients send it: printable text of up to 500 characters ("" means no value). */
export const customFieldValueSchema = (): JsonSchema => ({ type: 'string', maxLength: CUSTOM_FIELD_LIMITS.valueLength, pattern: PRINTABLE_TEXT });

const LIMITS_IN_WORDS = `at most ${CUSTOM_FIELD_LIMITS.maxFields} fields; names of 1..${CUSTOM_FIELD_LIMITS.nameLength} characters (no \`.\`, no leading \`$\`, no whitespace at either end), values strings of up to ${CUSTOM_FIELD_LIMITS.valueLength} characters`;

/** The custom fields an event stores: 1..20 names, each with a non-empty value. */
export const customFieldsSchema = (): JsonSchema => ({
  type: 'object',
  minProperties: 1,
  maxProperties: CUSTOM_FIELD_LIMITS.maxFields,
  propertyNames: customFieldNameSchema(),
  additionalProperties: { type: 'string', minLength: 1, maxLength: CUSTOM_FIELD_LIMITS.valueLength },
});

/** `customFields` of POST /customers, POST /orders and a PlaceOrder message: a field given "" is not stored. */
export const customFieldsInputSchema = (): JsonSchema => ({
  type: 'object',
  maxProperties: CUSTOM_FIELD_LIMITS.maxFields,
  propertyNames: customFieldNameSchema(),
  additionalProperties: customFieldValueSchema(),
  description: `name -> value: ${LIMITS_IN_WORDS}; a field given "" is not stored`,
});

/** `customFields` of PATCH /customers/:id: merged by name; "" or null removes a field; the limits apply to the result. */
export const customFieldChangesInputSchema = (): JsonSchema => ({
  type: 'object',
  maxProperties: CUSTOM_FIELD_LIMITS.maxChangesPerRequest,
  propertyNames: customFieldNameSchema(),
  additionalProperties: { anyOf: [customFieldValueSchema(), { type: 'null' }] },
  description: `merged by name into the customer's fields: a value sets the field, "" or null removes it, fields not named stay; ${LIMITS_IN_WORDS} (counted on the result; at most ${CUSTOM_FIELD_LIMITS.maxChangesPerRequest} names per request)`,
});
