import { STATUS_CODES } from 'node:http';
import { ApiExtension, OpenAPIObject } from '@nestjs/swagger';
import { API_ROLES } from '../config';
import { CORRELATION_HEADER } from './correlation-id.middleware';
import { IDEMPOTENCY_HEADER } from './idempotency.store';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { BODY_ONE_OF_EXTENSION, REQUIRES_ONE_OF_EXTENSION, bodyOneOfDescription, requiresOneOfDescription } from './one-of-fields';
import { REQUEST_BODY_LIMITS } from './request-body.guard';

export const PROBLEMS_EXTENSION = 'x-problems';
export const ROLES_EXTENSION = 'x-roles';
export const PUBLIC_EXTENSION = 'x-public';
export const PROBLEM_SCHEMA = 'Problem';

/**
 * The error statuses an operation answers beyond the ones every operation of its kind answers
 * (documentTruthfully adds those): `@ApiProblems(404, 422)` on POST /orders, whose campaign may be
 * unknown and whose customer may be blacklisted.
 */
export const ApiProblems = (...statuses: number[]) => ApiExtension(PROBLEMS_EXTENSION, statuses);

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown> & {
  parameters?: Schema[];
  responses?: Record<string, Schema>;
  requestBody?: Schema;
  description?: string;
  security?: unknown[];
};

/** The body of every error answer (see problem.ts); open, as some problems add fields (e.g. `rule`). */
export const problemSchema = (): Schema => ({
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', minLength: 1, description: 'a URN naming the problem, or about:blank' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: { type: 'string', description: 'the business rule (DomainError code), for clients that react to one' },
    errors: {
      type: 'array',
      description: 'one entry per bad field, nested fields as dotted paths (items.0.quantity)',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
});

const correlationResponseHeader = (): Schema => ({
  description: 'The correlation id of the request: the one sent when valid, otherwise a new uuid. Every event the request causes carries it.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
});

const correlationParameter = (): Schema => ({
  name: CORRELATION_HEADER,
  in: 'header',
  required: false,
  description: 'Ties the request to the events it causes; 1..128 of [A-Za-z0-9._:-]; anything else is replaced by a new uuid (never refused).',
  schema: { type: 'string' },
});

const idempotencyParameter = (): Schema => ({
  name: IDEMPOTENCY_HEADER,
  in: 'header',
  required: false,
  description:
    'Makes the POST safe to repeat: the same key with the same body returns the first answer and changes nothing; with another body it is 422; while the first still runs, 409. Keys are per API user.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
});

const WHY: Record<number, string> = {
  400: 'Bad input: a query parameter or body field is missing, unknown or invalid, or the body is not a JSON object or is nested too deep (each bad field is named in `errors`).',
  401: 'No API key, or an unknown one.',
  403: 'The API key is known, but its role may not do this.',
  404: 'An id in the path or the body names nothing.',
  409: 'A concurrent change or a duplicate, or a request with the same Idempotency-Key is still running.',
  413: `The body is larger than ${REQUEST_BODY_LIMITS.maxBytes} bytes.`,
  415: 'The request has a body that is not application/json; nothing was done.',
  422: 'A business rule refused the request (its `code` names it), or the Idempotency-Key was used with another body.',
  503: 'A service this one needs (the card vault) cannot be reached; nothing was done, retry later.',
  504: 'The payment gateway did not answer in time; nothing was recorded as declined, retry with the same Idempotency-Key.',
};

function problemResponse(status: number): Schema {
  return {
    description: WHY[status] ?? STATUS_CODES[status] ?? 'Error',
    headers: { [CORRELATION_HEADER]: correlationResponseHeader() },
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } } },
  };
}

const WRITE_METHODS = new Set(['post', 'put', 'patch']);

/** The error statuses an operation can answer, from its kind (method, body, parameters, roles) and its own @ApiProblems. */
export function problemStatuses(method: string, path: string, operation: Operation): number[] {
  const statuses = new Set<number>((operation[PROBLEMS_EXTENSION] as number[] | undefined) ?? []);
  const roles = operation[ROLES_EXTENSION] as string[] | undefined;
  const isPublic = operation[PUBLIC_EXTENSION] === true;
  const hasQuery = (operation.parameters ?? []).some((parameter) => parameter['in'] === 'query');
  if (WRITE_METHODS.has(method)) [400, 413, 415].forEach((status) => statuses.add(status));
  if (hasQuery) statuses.add(400);
  if (method === 'post') [409, 422].forEach((status) => statuses.add(status)); // Idempotency-Key: in progress, reused
  if (!isPublic) statuses.add(401);
  if (!isPublic && roles !== undefined && roles.length < API_ROLES.length) statuses.add(403);
  if (path.includes('{')) statuses.add(404);
  return [...statuses].sort((a, b) => a - b);
}

function resolve(document: OpenAPIObject, schema: Schema | undefined): Schema | undefined {
  const ref = schema?.['$ref'];
  if (typeof ref !== 'string') return schema;
  return (document.components?.schemas as Record<string, Schema> | undefined)?.[ref.replace('#/components/schemas/', '')];
}

/** Names of the component schemas `schema` uses, itself included, following properties, items and combinators. */
function referencedSchemas(document: OpenAPIObject, schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) {
    schema.forEach((item) => referencedSchemas(document, item, into));
    return into;
  }
  if (schema === null || typeof schema !== 'object') return into;
  const ref = (schema as Schema)['$ref'];
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (into.has(name)) return into;
    into.add(name);
    return referencedSchemas(document, (document.components?.schemas as Record<string, unknown> | undefined)?.[name], into);
  }
  Object.values(schema as Schema).forEach((value) => referencedSchemas(document, value, into));
  return into;
}

function describeAccess(operation: Operation): string {
  if (operation[PUBLIC_EXTENSION] === true) return 'No API key needed.';
  const roles = (operation[ROLES_EXTENSION] as string[] | undefined) ?? [...API_ROLES];
  return `Roles: ${roles.join(', ')}.`;
}

/**
 * Makes a Nest-generated OpenAPI document say what the platform does for every operation:
 * each error status it can answer with the problem+json schema, X-Correlation-Id on every request
 * and response, Idempotency-Key on every POST, the roles that may call it (`x-roles` and the
 * description), the rule of a list that needs one of its filters (`x-requires-one-of`, kept, and the
 * description), a body that takes exactly one of some fields (`oneOf` in its schema, and the
 * description), no security on public operations, `requestBody.required` only when the body has a
 * required field, and `additionalProperties: false` on every request schema (unknown fields are 400).
 */
export function documentTruthfully(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {}) as Record<string, Schema>;
  schemas[PROBLEM_SCHEMA] = problemSchema();
  const requestSchemas = new Set<string>();

  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const operation = value as Operation;
      const responses = (operation.responses ??= {});
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) response['headers'] = { ...(response['headers'] as Schema | undefined), [CORRELATION_HEADER]: correlationResponseHeader() };
        if (method === 'post' && Number(status) < 300) {
          response['headers'] = {
            ...(response['headers'] as Schema),
            'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
          };
        }
      }
      for (const status of problemStatuses(method, path, operation)) responses[String(status)] ??= problemResponse(status);
      operation.parameters = [...(operation.parameters ?? []), correlationParameter(), ...(method === 'post' ? [idempotencyParameter()] : [])];
      if (operation[PUBLIC_EXTENSION] === true) operation.security = [];
      const oneOf = operation[REQUIRES_ONE_OF_EXTENSION] as string[] | undefined;
      const bodyOneOf = operation[BODY_ONE_OF_EXTENSION] as string[] | undefined;
      operation.description = [
        operation.description,
        oneOf ? requiresOneOfDescription(oneOf) : undefined,
        bodyOneOf ? bodyOneOfDescription(bodyOneOf) : undefined,
        describeAccess(operation),
      ]
        .filter((text) => text !== undefined && text !== '')
        .join('\n\n');
      if (operation[ROLES_EXTENSION] === undefined && operation[PUBLIC_EXTENSION] !== true) operation[ROLES_EXTENSION] = [...API_ROLES];
      delete operation[PROBLEMS_EXTENSION];
      delete operation[BODY_ONE_OF_EXTENSION];
      delete operation[PUBLIC_EXTENSION];

      const body = operation.requestBody;
      if (body) {
        const schema = (body['content'] as Record<string, { schema?: Schema }> | undefined)?.['application/json']?.schema;
        const resolved = resolve(document, schema);
        if (bodyOneOf && resolved) resolved['oneOf'] = bodyOneOf.map((field) => ({ required: [field] }));
        const required = resolved?.['required'];
        body['required'] = Array.isArray(required) && required.length > 0;
        referencedSchemas(document, schema, requestSchemas);
      }
    }
  }
  for (const name of requestSchemas) {
    const schema = schemas[name];
    if (schema && schema['type'] === 'object') schema['additionalProperties'] = false;
  }
  return document;
}
