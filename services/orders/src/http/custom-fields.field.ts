import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { CUSTOM_FIELD_LIMITS, customFieldChangesInputSchema, customFieldsInputSchema } from '@continuum/contracts';
import { IsOmittable } from '@continuum/platform';
import { CustomFieldsInput, customFieldsProblems } from '../domain';

/** The OpenAPI 3.0 form of a name -> string map (no `propertyNames` there: the name rule is in the description). */
function openApi(input: CustomFieldsInput): Record<string, unknown> {
  const schema = input === 'set' ? customFieldsInputSchema() : customFieldChangesInputSchema();
  const value = { type: 'string', maxLength: CUSTOM_FIELD_LIMITS.valueLength, ...(input === 'patch' ? { nullable: true } : {}) };
  return { type: 'object', maxProperties: schema['maxProperties'], additionalProperties: value, description: schema['description'], example: { loyaltyTier: 'gold' } };
}

/**
 * An optional `customFields` of a body: `set` on POST /customers and POST /orders, `patch` (a value,
 * "" or null per name) on PATCH /customers/:id. Checked by the same rule the deciders apply
 * (domain/custom-fields.ts), so a bad map is 400 here, its message naming each `customFields.<name>`;
 * the limit of 20 after a PATCH is merged is the decider's (422 TOO_MANY_CUSTOM_FIELDS).
 */
export const CustomFieldsField = (input: CustomFieldsInput): PropertyDecorator =>
  applyDecorators(
    IsOmittable(),
    ValidateBy({
      name: 'customFields',
      validator: {
        validate: (value: unknown) => customFieldsProblems(value, input).length === 0,
        defaultMessage: (args) =>
          customFieldsProblems(args?.value, input)
            .map((problem) => (problem.field === 'customFields' ? problem.message : `${problem.field}: ${problem.message}`))
            .join('; '),
      },
    }),
    ApiProperty({ required: false, ...openApi(input) } as never),
  );
