import { IncomingMessage, ServerResponse } from 'node:http';
import { checkContract, contractCases } from './openapi-fuzz';

/** A document of two operations: a list that needs one of two filters, and a create with a closed body. */
const doc = {
  openapi: '3.0.0',
  paths: {
    '/things': {
      get: {
        'x-roles': ['agent'],
        'x-requires-one-of': ['owner', 'status'],
        parameters: [
          { name: 'owner', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 5 } },
          { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['NEW', 'OLD'] } },
        ],
        responses: { '200': {}, '400': {} },
      },
      post: {
        'x-roles': ['agent'],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        responses: { '201': {}, '400': {} },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', maxLength: 3, pattern: '^[a-z]+$', example: 'abc' },
          size: { type: 'integer', minimum: 1, maximum: 9 },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
};

const keys = { agent: 'key-agent' };

/** A server that checks what the document says, except for what `lax` names (laxer, or stricter: size at most 8). */
const server = (lax: { sizeMaximum?: boolean; oneOf?: boolean; strictSize?: boolean } = {}) => (request: IncomingMessage, response: ServerResponse) => {
  let raw = '';
  request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  request.on('end', () => {
    const refuse = (field: string) => {
      response.statusCode = 400;
      response.setHeader('Content-Type', 'application/problem+json');
      response.setHeader('X-Correlation-Id', 'c-1');
      response.end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: field, errors: [{ field, message: 'bad' }] }));
    };
    const url = new URL(request.url ?? '/', 'http://x');
    if (request.method === 'GET') {
      const owner = url.searchParams.get('owner');
      const status = url.searchParams.get('status');
      if (owner === null && status === null && !lax.oneOf) return refuse('owner');
      if (owner !== null && (owner.length < 1 || owner.length > 5)) return refuse('owner');
      if (status !== null && !['NEW', 'OLD'].includes(status)) return refuse('status');
      response.end('[]');
      return;
    }
    const body = JSON.parse(raw);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('body');
    const unknown = Object.keys(body).find((key) => !['name', 'size', 'at'].includes(key));
    if (unknown) return refuse(unknown);
    if (typeof body.name !== 'string' || !/^[a-z]+$/.test(body.name) || body.name.length > 3) return refuse('name');
    if ('size' in body && (!Number.isInteger(body.size) || body.size < 1 || (!lax.sizeMaximum && body.size > (lax.strictSize ? 8 : 9)))) return refuse('size');
    if ('at' in body && (typeof body.at !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(body.at))) return refuse('at');
    response.statusCode = 201;
    response.end('{}');
  });
};

describe('contract cases from an OpenAPI document', () => {
  const cases = contractCases(doc, keys);
  const find = (what: string) => cases.find((c) => c.what === what);

  it('a minimal valid request gives the first of the filters one of which is required, and the body its required fields', () => {
    expect(cases.filter((c) => c.what === 'the minimal valid request').map((c) => [c.operation, c.request.query, c.request.body, c.request.role])).toEqual([
      ['GET /things', { owner: 'Ann' }, undefined, 'agent'],
      ['POST /things', {}, { name: 'abc' }, 'agent'],
    ]);
  });

  it('each declared constraint gives an invalid case naming its field, judged by the document', () => {
    expect(find('none of owner, status')).toMatchObject({ request: { query: {} }, invalid: ['owner', 'status'] });
    expect(find('query owner: longer than maxLength 5')).toMatchObject({ request: { query: { owner: expect.stringMatching(/^.{6}$/) } }, invalid: ['owner'] });
    expect(find('query status: not one of its enum')).toMatchObject({ invalid: ['status'] });
    expect(find('body required name left out')).toMatchObject({ request: { body: {} }, invalid: ['name'] });
    expect(find('body an unknown field')).toMatchObject({ invalid: ['unexpectedField'] });
    expect(find('body name: not matching pattern ^[a-z]+$')).toMatchObject({ invalid: ['name'] });
    expect(find('body size: above maximum 9')).toMatchObject({ request: { body: { name: 'abc', size: 10 } }, invalid: ['size'] });
    expect(find('body at: a date without a time')).toMatchObject({ invalid: ['at'] });
  });

  it('values at a bound, and others the document accepts, are valid cases', () => {
    expect(find('query owner: at maxLength 5')?.invalid).toBeUndefined();
    expect(find('body size: at maximum 9')?.invalid).toBeUndefined();
    expect(find('body at: a date-time with an offset')?.invalid).toBeUndefined();
    expect(find('body optional size given')?.invalid).toBeUndefined();
  });
});

describe('checkContract', () => {
  it('finds nothing when the server refuses exactly what the document says is invalid', async () => {
    const report = await checkContract(doc, { server: () => server(), keys });
    expect(report.mismatches).toEqual([]);
    expect(report.operations).toEqual(new Set(['GET /things', 'POST /things']));
  });

  it('reports a bound the server does not enforce, a filter rule it does not keep, and a refusal the document does not state', async () => {
    const lax = await checkContract(doc, { server: () => server({ sizeMaximum: true, oneOf: true }), keys });
    expect(lax.mismatches.map((m) => `${m.operation}: ${m.what} -> ${m.status}`)).toEqual([
      'GET /things: none of owner, status -> 200',
      'POST /things: body size: above maximum 9 -> 201',
    ]);
    const strict = await checkContract(doc, { server: () => server({ strictSize: true }), keys });
    expect(strict.mismatches.map((m) => `${m.operation}: ${m.what} -> ${m.problem.split(':')[0]}`)).toEqual(['POST /things: body size: at maximum 9 -> a document-valid request refused with 400']);
  });
});
