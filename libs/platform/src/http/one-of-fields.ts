import { applyDecorators, CanActivate, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ProblemException, problem } from './problem';

/** The OpenAPI extension listing the query parameters of which at least one must be given. */
export const REQUIRES_ONE_OF_EXTENSION = 'x-requires-one-of';

/** The sentence documentTruthfully adds to an operation's description for REQUIRES_ONE_OF_EXTENSION. */
export const requiresOneOfDescription = (fields: readonly string[]): string =>
  `Give at least one of the query parameters ${fields.map((field) => `\`${field}\``).join(', ')}: without any of them the answer is 400, naming each in \`errors\`.`;

/** The 400 of a request that gives none of `fields`: one `errors` entry per field. */
export function missingFiltersProblem(fields: readonly string[]) {
  return problem(400, `Give at least one of ${fields.join(', ')}.`, {
    type: 'urn:continuum:problem:validation',
    errors: fields.map((field) => ({ field, message: `give ${field}, or one of ${fields.filter((other) => other !== field).join(', ')}` })),
  });
}

class RequiresOneOfGuard implements CanActivate {
  constructor(private readonly fields: readonly string[]) {}

  canActivate(context: ExecutionContext): boolean {
    const query = (context.switchToHttp().getRequest<{ query?: Record<string, unknown> }>().query ?? {}) as Record<string, unknown>;
    if (this.fields.some((field) => query[field] !== undefined)) return true;
    throw new ProblemException(missingFiltersProblem(this.fields));
  }
}

/**
 * A list that needs at least one filter: `@RequiresOneOf('orderId', 'status')` on the handler. The
 * one declaration both refuses a request without any of them (400 problem+json naming each field,
 * after the API key check) and documents the rule (`x-requires-one-of` and the operation's
 * description). The filters themselves stay optional fields of the query DTO.
 */
export const RequiresOneOf = (...fields: string[]) => applyDecorators(ApiExtension(REQUIRES_ONE_OF_EXTENSION, fields), UseGuards(new RequiresOneOfGuard(fields)));

/** The OpenAPI extension of an operation whose body takes exactly one of several fields (turned into the body schema's `oneOf`). */
export const BODY_ONE_OF_EXTENSION = 'x-body-one-of';

/** The sentence documentTruthfully adds to an operation's description for BODY_ONE_OF_EXTENSION. */
export const bodyOneOfDescription = (fields: readonly string[]): string =>
  `Give exactly one of ${fields.map((field) => `\`${field}\``).join(', ')} in the body: none of them, or more than one, is 400.`;

/**
 * Documents a body that takes exactly one of `fields` (`customerId` or `customer` on POST /orders):
 * the body schema gets `oneOf: [{ required: [customerId] }, { required: [customer] }]` and the
 * operation's description says so. The handler refuses the request itself (400 naming the field).
 */
export const ApiBodyOneOf = (...fields: string[]) => ApiExtension(BODY_ONE_OF_EXTENSION, fields);
