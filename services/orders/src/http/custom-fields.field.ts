import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { CUSTOM_FIELD_LIMITS, customFieldChangesInputSchema, customFieldsInputSchema } from '@continuum/contracts';
import { IsOmittable, ProblemException, problem } from '@continuum/platform';
import { CustomFieldsInput, customFieldsProblems } from '../domain';

/** The OpenAPI 3.0 form of a name -> string map (no `propertyNames` there: the name rule is in the description). */
function openApi(input: CustomFieldsInput): Record<string, unknown> {
  const schema = input === 'set' ? customFieldsInputSchema() : customFieldChangesInputSchema();
  const value = { type: 'string', maxLength: CUSTOM_FIELD_LIMITS.valueLength, ...(input === 'patch' ? { nullable: true } : {}) };
  return { type: 'object', maxProperties: schema['maxProperties'], additionalProperties: value, description: schema['description'], example: { loyaltyTier: 'gold' } };
}

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An optional `customFields` of a body: `set` on POST /customers and POST /orders, `patch` (a value,
 * "" or null per name) on PATCH /customers/:id. The validation pipe checks that it is an object; its
 * names and values are checked by `refuseBadCustomFields` in the handler, so each error names its
 * own `customFields.<name>` (a field path the pipe cannot give a map's keys).
 */
export const CustomFieldsField = (input: CustomFieldsInput): PropertyDecorator =>
  applyDecorators(
    IsOmittable(),
    ValidateBy({
      name: 'customFields',
      validator: { validate: isPlainObject, defaultMessage: () => 'customFields must be an object of name -> string value' },
    }),
    ApiProperty({ required: false, ...openApi(input) } as never),
  );

/**
 * 400 (before anything runs) when a body's `customFields` breaks the rule of domain/custom-fields.ts:
 * more than 20 given (40 named by a PATCH), a name or value out of bounds; one `errors` entry per
 * offending field (`customFields`, `customFields.<name>`). The limit of 20 after a PATCH is merged
 * is the decider's (422 TOO_MANY_CUSTOM_FIELDS).
 */
export function refuseBadCustomFields(value: unknown, input: CustomFieldsInput): void {
  if (value === undefined) return;
  const errors = customFieldsProblems(value, input);
  if (errors.length === 0) return;
  throw new ProblemException(
    problem(400, `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`, { type: 'urn:continuum:problem:validation', errors }),
  );
}
