import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { DomainError } from '@continuum/contracts';
import { isDuplicateKey } from '../store/insert-once';

/** One bad input field; nested fields are dotted paths (`items.0.sku`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The body of every error answer, sent as `application/problem+json` (RFC 9457). */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The DomainError code, for clients that react to a specific rule. */
  readonly code?: string;
  readonly errors?: readonly FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Throw this to answer with exactly this problem. */
export class ProblemException extends HttpException {
  constructor(readonly problem: Problem) {
    super(problem, problem.status);
  }
}

/** Builds a problem with the standard title of its status. */
export function problem(status: number, detail: string, extra: { type?: string; code?: string; errors?: readonly FieldError[] } = {}): Problem {
  return {
    type: extra.type ?? 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(extra.errors !== undefined ? { errors: extra.errors } : {}),
  };
}

const DOMAIN_STATUS = { rule: 422, 'not-found': 404, conflict: 409 } as const;

/** Matches errors by name as well, so a DomainError from a second copy of the contracts still maps. */
function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError || (error instanceof Error && error.name === 'DomainError' && 'code' in error && 'kind' in error);
}

/** A store's duplicate key (only the driver's errors: another 11000 is no identity clash). */
function isStoreDuplicateKey(error: unknown): boolean {
  return error instanceof Error && /Mongo/.test(error.name) && isDuplicateKey(error);
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/**
 * Maps anything a handler throws to the problem the client sees: DomainError rule 422 (with
 * `errors: [{ field, message }]` when its details name a `field`), not-found
 * 404, conflict 409; ConcurrencyError and duplicate keys 409; HttpExceptions keep their status;
 * anything else is a 500 whose detail reveals nothing internal.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemException) return error.problem;
  if (isDomainError(error)) {
    const status = DOMAIN_STATUS[error.kind] ?? 422;
    // a rule about one field names it, as a validation problem does
    const field = error.details?.['field'];
    return problem(status, error.message, {
      type: `urn:continuum:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
      code: error.code,
      ...(typeof field === 'string' ? { errors: [{ field, message: error.message }] } : {}),
    });
  }
  if (error instanceof Error && error.name === 'ConcurrencyError') {
    return problem(409, 'The resource was changed by another request at the same time; reload it and try again.', {
      type: 'urn:continuum:problem:concurrent-change',
    });
  }
  if (isStoreDuplicateKey(error)) {
    return problem(409, 'A resource with the same identity already exists.', { type: 'urn:continuum:problem:duplicate' });
  }
  if (error instanceof HttpException) return problem(error.getStatus(), httpExceptionDetail(error));
  return problem(500, 'An unexpected error occurred; it has been logged.');
}
