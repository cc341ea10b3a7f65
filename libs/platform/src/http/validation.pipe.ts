import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException, problem } from './problem';

/**
 * One entry per bad field, nested fields as dotted paths (`address.zip`, `items.0.sku`).
 * A field with several broken constraints gets one entry with the messages joined by "; ".
 */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) flat.push({ field: field === '' ? 'body' : field, message: messages.join('; ') });
    if (error.children && error.children.length > 0) flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

/**
 * The global pipe: strips nothing silently (unknown fields are a 400 naming them), converts plain
 * JSON into the DTO classes and answers with a validation problem listing every bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new ProblemException(
        problem(400, `The request has ${fieldErrors.length} invalid field${fieldErrors.length === 1 ? '' : 's'}.`, {
          type: 'urn:continuum:problem:validation',
          errors: fieldErrors,
        }),
      );
    },
  });
}
