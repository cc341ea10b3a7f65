import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { devKeys, HttpAgent } from './http-agent';

/**
 * A small property-based fuzzer over a service's own OpenAPI document (`/docs-json`), written here
 * because no fuzzing package is a dependency. Seeded, so a failure is replayed with its FUZZ_SEED.
 * Every request is either valid by the document or one deliberate violation of it; every answer must
 * be below 500, documented for its operation, and conform to that response's schema.
 */

type Schema = Record<string, any>;
type Doc = Schema;

/** mulberry32: a tiny deterministic PRNG. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof rng>;

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly op: Schema;
}

export function operations(doc: Doc): Operation[] {
  return Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );
}

const deref = (doc: Doc, schema: Schema | undefined): Schema => {
  let s = schema ?? {};
  while (typeof s['$ref'] === 'string') s = doc.components.schemas[s['$ref'].replace('#/components/schemas/', '')];
  return s;
};

/** Strings that satisfy the patterns of libs/contracts/src/core/input-schemas.ts (and anything else, by trial). */
const SAMPLES: Record<string, readonly string[]> = {
  '^[A-Z]{2}$': ['US', 'FR', 'DE', 'GB'],
  '^[A-Za-z]{3}$': ['USD', 'EUR', 'gbp'],
  '^[A-Z]{3}$': ['USD', 'EUR'],
  '^[0-9]{12,19}$': ['4111111111111111', '4000000000000002', '4000000000000077'],
  '^[0-9]{3,4}$': ['123', '9876'],
};
const TEXT = ['Ann', 'Lee', 'Zoë', 'O\'Brien', '李', 'Main St 1', 'a', 'x'.repeat(40), 'Île-de-France', 'TX', '78701', 'SW1A 1AA'];

function sampleString(schema: Schema, r: Rng, pool: Map<string, string[]>, name: string): string {
  const known = pool.get(name);
  if (known && known.length > 0 && r.chance(0.8)) return r.pick(known);
  if (schema['enum']) return r.pick(schema['enum']);
  const min = schema['minLength'] ?? 0;
  const max = schema['maxLength'] ?? 64;
  const format = schema['format'] ?? schema['anyOf']?.[0]?.format;
  if (format === 'email') return `fuzz-${r.int(1, 1e9)}@example.com`;
  if (format === 'date-time') return new Date(Date.UTC(2026, r.int(0, 11), r.int(1, 28), r.int(0, 23))).toISOString();
  if (format === 'date') return `2026-0${r.int(1, 9)}-1${r.int(0, 9)}`;
  if (format === 'ipv4') return `203.0.113.${r.int(1, 254)}`;
  const pattern: string | undefined = schema['pattern'];
  if (pattern && SAMPLES[pattern]) return r.pick(SAMPLES[pattern]);
  const re = pattern ? new RegExp(pattern, 'u') : undefined;
  const candidates = [
    ...TEXT,
    `id-${r.int(1, 1e6)}`,
    `+1 512 555 0${r.int(100, 999)}`,
    String(r.int(10000, 99999)),
    'a'.repeat(Math.max(min, 1)),
    'b'.repeat(max),
  ];
  for (let i = 0; i < 40; i++) {
    const c = r.pick(candidates);
    if (c.length >= min && c.length <= max && (!re || re.test(c))) return c;
  }
  return 'x'.repeat(Math.max(min, 1));
}

/** A value valid by `schema`; ids the pool has seen (by property name) are reused, so requests reach real things. */
export function valid(doc: Doc, schema0: Schema | undefined, r: Rng, pool: Map<string, string[]>, name = '', depth = 0): unknown {
  const schema = deref(doc, schema0);
  if (schema['enum'] && schema['type'] !== 'string') return r.pick(schema['enum']);
  switch (schema['type']) {
    case 'string':
      return sampleString(schema, r, pool, name);
    case 'integer': {
      const min = schema['minimum'] ?? 0;
      const max = Math.min(schema['maximum'] ?? 10_000, min + (r.chance(0.2) ? 1e9 : 5000));
      return r.chance(0.15) ? r.pick([min, max]) : r.int(min, max);
    }
    case 'number':
      return (schema['minimum'] ?? 0) + r.next() * ((schema['maximum'] ?? 1) - (schema['minimum'] ?? 0));
    case 'boolean':
      return r.chance(0.5);
    case 'array': {
      const count = r.int(schema['minItems'] ?? 0, Math.min(schema['maxItems'] ?? 3, 3));
      return Array.from({ length: count }, () => valid(doc, schema['items'], r, pool, name, depth + 1));
    }
    case 'object':
    default: {
      const out: Record<string, unknown> = {};
      const required: string[] = schema['required'] ?? [];
      for (const [key, prop] of Object.entries<any>(schema['properties'] ?? {})) {
        if (required.includes(key) || (depth < 4 && r.chance(0.4))) out[key] = valid(doc, prop, r, pool, key, depth + 1);
      }
      return out;
    }
  }
}

const HOSTILE_VALUES: readonly unknown[] = [null, '', ' ', -1, 0, 1.5, 2 ** 53, 1e308, true, [], {}, 'a\u0000b', 'x\u202Ey', 'é'.repeat(5000), '__proto__', { __proto__: 1 }];

/** One deliberate violation of a valid body: a field removed, retyped, added, or pushed past a bound. */
export function mutate(doc: Doc, schema0: Schema | undefined, body: unknown, r: Rng): unknown {
  const schema = deref(doc, schema0);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return r.pick(HOSTILE_VALUES);
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(body));
  const keys = Object.keys(copy);
  switch (r.int(0, 4)) {
    case 0:
      if (keys.length > 0) delete copy[r.pick(keys)];
      else copy['unexpected'] = 1;
      return copy;
    case 1:
      copy[r.pick(['unexpected', 'constructor', 'isAdmin', 'amount'])] = r.pick(HOSTILE_VALUES);
      return copy;
    case 2: {
      const key = keys.length > 0 ? r.pick(keys) : 'x';
      copy[key] = r.pick(HOSTILE_VALUES);
      return copy;
    }
    case 3: {
      const key = keys.length > 0 ? r.pick(keys) : undefined;
      if (!key) return copy;
      const prop = deref(doc, schema['properties']?.[key]);
      if (prop['maximum'] !== undefined) copy[key] = prop['maximum'] + 1;
      else if (prop['maxLength'] !== undefined) copy[key] = 'z'.repeat(prop['maxLength'] + 1);
      else if (prop['type'] === 'object') copy[key] = mutate(doc, prop, copy[key], r);
      else copy[key] = r.pick(HOSTILE_VALUES);
      return copy;
    }
    default:
      return { ...copy, nested: JSON.parse('['.repeat(40) + ']'.repeat(40)) };
  }
}

export interface FuzzFinding {
  readonly request: string;
  readonly status: number;
  readonly problem: string;
}

export interface FuzzStats {
  requests: number;
  byStatus: Record<string, number>;
  findings: FuzzFinding[];
  /** correlation ids of requests answered 4xx: none of them may have written an event */
  refused: string[];
  operationsHit: Set<string>;
}

export interface FuzzTarget {
  readonly server: () => unknown;
  /** API key per role; a request goes out with one of the operation's roles (sometimes another, or none) */
  readonly keys: Record<string, string>;
}

function responseValidator(ajv: Ajv, doc: Doc, cache: Map<string, ValidateFunction>, key: string, schema: Schema): ValidateFunction {
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile({ ...schema, components: doc.components } as Schema);
    cache.set(key, v);
  }
  return v;
}

/** Harvests every string id of a response into the pool, by property name (`orderId`, `productId`, ...). */
function harvest(value: unknown, pool: Map<string, string[]>, key = ''): void {
  if (Array.isArray(value)) return value.forEach((v) => harvest(v, pool, key));
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) harvest(v, pool, k);
    return;
  }
  if (typeof value === 'string' && /Id$/.test(key)) {
    const list = pool.get(key) ?? [];
    if (!list.includes(value)) list.push(value);
    pool.set(key, list.slice(-20));
  }
}

/**
 * Runs `runs` requests: each picks an operation (or, in stateful steps, follows a link from the last
 * success), fills its path, query and body validly or with one violation, and checks the answer.
 */
export async function fuzz(doc: Doc, target: FuzzTarget, options: { runs: number; seed: number; correlationPrefix: string; seedIds?: Record<string, string[]> }): Promise<FuzzStats> {
  const r = rng(options.seed);
  const ajv = addFormats(new Ajv({ strict: false, allErrors: false, validateFormats: true }));
  const validators = new Map<string, ValidateFunction>();
  const ops = operations(doc);
  const byId = new Map(ops.map((o) => [o.op.operationId as string, o]));
  const pool = new Map<string, string[]>(Object.entries(options.seedIds ?? {}));
  const stats: FuzzStats = { requests: 0, byStatus: {}, findings: [], refused: [], operationsHit: new Set() };
  let followUps: { operation: Operation; params: Record<string, string> }[] = [];

  for (let i = 0; i < options.runs; i++) {
    const next = followUps.length > 0 && r.chance(0.7) ? followUps.shift()! : { operation: r.pick(ops), params: {} as Record<string, string> };
    const { method, path, op } = next.operation;
    const hostile = r.chance(0.35);
    const roles: string[] = op['x-roles'] ?? [];
    const role = op.security?.length === 0 || r.chance(0.04) ? undefined : r.chance(0.9) && roles.length > 0 ? r.pick(roles) : r.pick(Object.keys(target.keys));
    const params: Record<string, string> = { ...next.params };
    for (const p of op.parameters ?? []) {
      if (p.in !== 'path' || params[p.name] !== undefined) continue;
      const known = [...pool.entries()].filter(([k]) => k.toLowerCase().endsWith('id')).flatMap(([, v]) => v);
      params[p.name] = known.length > 0 && r.chance(0.8) ? r.pick(known) : `nope-${r.int(1, 1e6)}`;
    }
    const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name]));
    const query: Record<string, unknown> = {};
    for (const p of op.parameters ?? []) {
      if (p.in === 'query' && (p.required || r.chance(0.5))) query[p.name] = valid(doc, p.schema, r, pool, p.name);
    }
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    let body: unknown = bodySchema ? valid(doc, bodySchema, r, pool) : undefined;
    if (hostile && bodySchema) body = mutate(doc, bodySchema, body, r);
    const correlationId = `${options.correlationPrefix}-${i}`;

    let req = (request(target.server() as never) as any)[method](url).set('X-Correlation-Id', correlationId);
    if (role !== undefined) req = req.set('Authorization', `Bearer ${target.keys[role]}`);
    if (Object.keys(query).length > 0) req = req.query(query);
    if (hostile && !bodySchema && method === 'post' && r.chance(0.3)) req = req.set('Content-Type', 'text/plain').send('{"amount":1}');
    else if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    const res = await req;

    stats.requests += 1;
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
    stats.operationsHit.add(`${method.toUpperCase()} ${path}`);
    const described = `${method.toUpperCase()} ${url} ${body === undefined ? '' : JSON.stringify(body).slice(0, 300)}`;
    const documented = op.responses?.[String(res.status)];
    if (res.status >= 500) stats.findings.push({ request: described, status: res.status, problem: `server error: ${res.text.slice(0, 300)}` });
    else if (!documented) stats.findings.push({ request: described, status: res.status, problem: `undocumented status (documented: ${Object.keys(op.responses ?? {}).join(', ')}): ${res.text.slice(0, 200)}` });
    else {
      const [mediaType, content] = Object.entries<any>(documented.content ?? {})[0] ?? [];
      if (mediaType && !String(res.headers['content-type'] ?? '').startsWith(mediaType)) {
        stats.findings.push({ request: described, status: res.status, problem: `content type ${res.headers['content-type']} is not ${mediaType}` });
      } else if (content?.schema && mediaType !== 'text/plain') {
        const validate = responseValidator(ajv, doc, validators, `${method} ${path} ${res.status}`, content.schema);
        if (!validate(res.body)) stats.findings.push({ request: described, status: res.status, problem: `response does not match its schema: ${ajv.errorsText(validate.errors)}` });
      }
      if (!res.headers['x-correlation-id']) stats.findings.push({ request: described, status: res.status, problem: 'no X-Correlation-Id on the answer' });
    }
    if (res.status >= 400 && res.status < 500) stats.refused.push(correlationId);
    if (res.status < 300) {
      harvest(res.body, pool);
      for (const link of Object.values<any>(documented?.links ?? {})) {
        const operation = byId.get(link.operationId);
        if (!operation) continue;
        const linked: Record<string, string> = {};
        for (const [name, expression] of Object.entries<string>(link.parameters ?? {})) {
          const pointer = expression.replace('$response.body#/', '').split('/');
          const value = pointer.reduce<any>((node, part) => node?.[part], res.body);
          if (typeof value === 'string') linked[name] = value;
        }
        followUps.push({ operation, params: linked });
      }
      followUps = followUps.slice(-30);
    }
  }
  return stats;
}

/** One line per figure, for the log of a fuzz run. */
export function summary(name: string, stats: FuzzStats, totalOperations: number, ms: number): string {
  const statuses = Object.entries(stats.byStatus)
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
  return `[fuzz] ${name}: ${stats.requests} requests in ${(ms / 1000).toFixed(1)} s, ${stats.operationsHit.size}/${totalOperations} operations, statuses ${statuses}, findings ${stats.findings.length}`;
}

/*
 * The contract check: for each operation of a service's document, a minimal document-valid request
 * and one request per constraint the document declares (a required filter left out, a bound crossed,
 * a pattern, format or enum broken, an unknown field), each judged by the document itself (Ajv);
 * the server must refuse exactly the invalid ones (400, or 422, naming the field) and refuse none
 * of the valid ones with 400.
 */

/** The request of one contract case. */
export interface ContractRequest {
  readonly method: string;
  readonly url: string;
  readonly query: Record<string, string>;
  /** request headers beyond the key: a header parameter under test */
  readonly headers?: Record<string, string>;
  /** undefined: no body is sent */
  readonly body?: unknown;
  /** the role whose key goes with it (undefined: none, for a public operation) */
  readonly role?: string;
}

/** One request and what the document says of it. */
export interface ContractCase {
  /** `GET /fulfillments` */
  readonly operation: string;
  /** what was done to the request, e.g. `query status: not one of its enum` */
  readonly what: string;
  readonly request: ContractRequest;
  /** undefined: the document accepts the request; otherwise the fields (any one of them) the refusal must name */
  readonly invalid?: readonly string[];
}

export interface ContractMismatch {
  readonly operation: string;
  readonly what: string;
  readonly status: number;
  readonly problem: string;
}

export interface ContractReport {
  readonly cases: number;
  readonly invalidCases: number;
  readonly mismatches: ContractMismatch[];
  readonly operations: Set<string>;
}

interface Violation {
  readonly what: string;
  /** the refused field, relative to the value violated ('' = the value itself) */
  readonly field: string;
  readonly value: unknown;
}

export interface ContractOptions {
  /**
   * Body fields of an operation whose own description states a rule JSON Schema cannot (a card number's
   * Luhn sum, an expiry not in the past): `{ 'POST /cards': ['number', 'expYear'] }`. A document-valid
   * request refused with 400 naming only such fields agrees with the document; each field must have
   * that description.
   */
  readonly statedInWords?: Record<string, readonly string[]>;
}

/** The OpenAPI extension of an operation that needs one of several query filters (libs/platform query-filters.ts). */
export const REQUIRES_ONE_OF = 'x-requires-one-of';

class DocumentJudge {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: false, validateFormats: true }));
  private readonly compiled = new WeakMap<Schema, ValidateFunction>();

  constructor(readonly doc: Doc) {}

  accepts(schema: Schema | undefined, value: unknown): boolean {
    const target = schema ?? {};
    let validate = this.compiled.get(target);
    if (!validate) {
      validate = this.ajv.compile({ ...target, components: this.doc['components'] } as Schema);
      this.compiled.set(target, validate);
    }
    return validate(value) === true;
  }
}

const CONTRACT_TEXT = ['contract-1', 'Ann', 'US', 'USD', 'a', '78701', '+1 512 555 0100', 'Main St 1', '123', '4111111111111111'];

/** A deterministic document-valid value of `schema`: its example when valid, else the smallest plausible value. */
function exampleOf(judge: DocumentJudge, schema0: Schema | undefined, depth = 0): unknown {
  const schema = deref(judge.doc, schema0);
  if (schema['example'] !== undefined && judge.accepts(schema0, schema['example'])) return schema['example'];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  switch (schema['type']) {
    case 'string': {
      const r = rng(7);
      for (let attempt = 0; attempt < 60; attempt++) {
        const candidate = attempt < CONTRACT_TEXT.length ? CONTRACT_TEXT[attempt] : sampleString(schema, r, new Map(), '');
        if (judge.accepts(schema0, candidate)) return candidate;
      }
      return sampleString(schema, r, new Map(), '');
    }
    case 'integer':
    case 'number': {
      const min: number = schema['minimum'] ?? 0;
      const max: number = schema['maximum'] ?? Math.max(min, 1);
      return min <= 1 && 1 <= max ? 1 : min;
    }
    case 'boolean':
      return true;
    case 'array': {
      const count = Math.min(Math.max(schema['minItems'] ?? 0, 1), schema['maxItems'] ?? 1);
      return Array.from({ length: count }, () => exampleOf(judge, schema['items'], depth + 1));
    }
    default: {
      const out: Record<string, unknown> = {};
      const required: string[] = schema['required'] ?? [];
      const chosen = [...required, ...alternativesOf(schema)[0] ?? []];
      for (const [key, property] of Object.entries<Schema>(schema['properties'] ?? {})) {
        if (chosen.includes(key)) out[key] = exampleOf(judge, property, depth + 1);
      }
      return out;
    }
  }
}

/** The `required` lists of an object's `oneOf` (exactly one of them must hold). */
const alternativesOf = (schema: Schema): string[][] =>
  ((schema['oneOf'] as Schema[] | undefined) ?? []).map((alternative) => alternative['required']).filter((required): required is string[] => Array.isArray(required));

/** A string of `length` made of the first character of `base` that is not whitespace (so trimming cannot shorten it). */
const stretch = (base: unknown, length: number): string => (String(base).match(/\S/)?.[0] ?? 'a').repeat(length);

const PATTERN_BREAKERS = ['!', '#x#', 'a b', '<a>', '~', '\u00e9\u00e9', 'ab', '--', '0', ' a'];
const FORMAT_BREAKERS: Record<string, string> = { 'date-time': 'not-a-date-time', date: 'not-a-date', email: 'not-an-email', ipv4: 'not-an-ip', ipv6: 'not-an-ip' };

const join = (parent: string, child: string) => (parent === '' ? child : child === '' ? parent : `${parent}.${child}`);

/** The values that break one constraint `schema` declares, each the valid `base` with that one change. */
function violationsOf(judge: DocumentJudge, schema0: Schema | undefined, base: unknown, inQuery: boolean, depth = 0): Violation[] {
  const schema = deref(judge.doc, schema0);
  const out: Violation[] = [];
  if (Array.isArray(schema['enum'])) out.push({ what: 'not one of its enum', field: '', value: schema['type'] === 'string' ? 'NOT_AN_OPTION' : 987654321 });
  switch (schema['type']) {
    case 'string': {
      if (!inQuery) out.push({ what: 'a number instead of a string', field: '', value: 12345 });
      // a value the document accepts that the example is not: a format or pattern the server checks but the document omits shows here
      const other = schema['enum'] === undefined ? CONTRACT_TEXT.find((text) => text !== base && judge.accepts(schema0, text)) : undefined;
      if (other !== undefined) out.push({ what: `another document-valid string (${other})`, field: '', value: other });
      if ((schema['minLength'] ?? 0) > 0) {
        out.push({ what: `shorter than minLength ${schema['minLength']}`, field: '', value: stretch(base, schema['minLength'] - 1) });
        out.push({ what: `at minLength ${schema['minLength']}`, field: '', value: stretch(base, schema['minLength']) });
      }
      if (schema['maxLength'] !== undefined) {
        out.push({ what: `longer than maxLength ${schema['maxLength']}`, field: '', value: stretch(base, schema['maxLength'] + 1) });
        out.push({ what: `at maxLength ${schema['maxLength']}`, field: '', value: stretch(base, schema['maxLength']) });
      }
      if (typeof schema['pattern'] === 'string') {
        const re = new RegExp(schema['pattern'], 'u');
        const candidates = [...PATTERN_BREAKERS, ...['!', '~', ' '].map((c) => c.repeat(Math.max(schema['minLength'] ?? 1, 1)))];
        const breaker = candidates.find((c) => !re.test(c) && c.length >= (schema['minLength'] ?? 0) && c.length <= (schema['maxLength'] ?? Infinity));
        if (breaker !== undefined) out.push({ what: `not matching pattern ${schema['pattern']}`, field: '', value: breaker });
      }
      const formats = [schema['format'], ...((schema['anyOf'] as Schema[] | undefined) ?? []).map((s) => s['format'])].filter((f): f is string => typeof f === 'string');
      const format = formats.find((f) => FORMAT_BREAKERS[f] !== undefined);
      if (format !== undefined) out.push({ what: `not a ${formats.join(' or ')}`, field: '', value: FORMAT_BREAKERS[format] });
      if (formats.includes('date')) out.push({ what: 'a date-time for a date', field: '', value: '2026-03-02T10:00:00Z' });
      if (formats.includes('date-time')) {
        out.push({ what: 'a date without a time', field: '', value: '2026-03-02' });
        out.push({ what: 'a date-time without a time zone', field: '', value: '2026-03-02T10:00:00' });
        out.push({ what: 'a date-time with an offset', field: '', value: '2026-03-02T10:00:00.250+01:00' });
      }
      break;
    }
    case 'integer':
    case 'number': {
      if (!inQuery) out.push({ what: 'a string instead of a number', field: '', value: 'one' });
      if (!inQuery && schema['type'] === 'integer') out.push({ what: 'not an integer', field: '', value: (typeof base === 'number' ? base : 1) + 0.5 });
      if (schema['minimum'] !== undefined) {
        out.push({ what: `below minimum ${schema['minimum']}`, field: '', value: schema['minimum'] - 1 });
        out.push({ what: `at minimum ${schema['minimum']}`, field: '', value: schema['minimum'] });
      }
      if (schema['maximum'] !== undefined) {
        out.push({ what: `above maximum ${schema['maximum']}`, field: '', value: schema['maximum'] + 1 });
        out.push({ what: `at maximum ${schema['maximum']}`, field: '', value: schema['maximum'] });
      }
      if (inQuery) return out.map((v) => ({ ...v, value: String(v.value) }));
      break;
    }
    case 'boolean':
      if (!inQuery) out.push({ what: 'a string instead of a boolean', field: '', value: 'yes' });
      break;
    case 'array': {
      if (inQuery) break;
      const items = Array.isArray(base) ? base : [];
      out.push({ what: 'a string instead of an array', field: '', value: 'x' });
      if ((schema['minItems'] ?? 0) > 0) out.push({ what: `fewer than minItems ${schema['minItems']}`, field: '', value: [] });
      if (schema['maxItems'] !== undefined && items.length > 0) out.push({ what: `more than maxItems ${schema['maxItems']}`, field: '', value: Array.from({ length: schema['maxItems'] + 1 }, () => items[0]) });
      if (items.length > 0 && depth < 4) {
        for (const v of violationsOf(judge, schema['items'], items[0], false, depth + 1)) {
          out.push({ what: `item 0: ${v.what}`, field: join('0', v.field), value: [v.value, ...items.slice(1)] });
        }
      }
      break;
    }
    default: {
      if (inQuery || schema['properties'] === undefined) break;
      const object = (base ?? {}) as Record<string, unknown>;
      out.push({ what: 'a string instead of an object', field: '', value: 'x' });
      const required: string[] = schema['required'] ?? [];
      for (const key of required) {
        const { [key]: _left, ...rest } = object;
        out.push({ what: `required ${key} left out`, field: key, value: rest });
      }
      if (schema['additionalProperties'] === false) out.push({ what: 'an unknown field', field: 'unexpectedField', value: { ...object, unexpectedField: 1 } });
      const alternatives = alternativesOf(schema);
      if (alternatives.length > 0) {
        const fields = alternatives.flat();
        const properties = schema['properties'] as Record<string, Schema>;
        out.push({ what: `none of ${fields.join(', ')}`, field: fields.join('|'), value: Object.fromEntries(Object.entries(object).filter(([key]) => !fields.includes(key))) });
        const all = Object.fromEntries(fields.map((key) => [key, key in object ? object[key] : exampleOf(judge, properties[key], depth + 1)]));
        out.push({ what: `all of ${fields.join(', ')}`, field: fields.join('|'), value: { ...object, ...all } });
      }
      if (depth < 4) {
        for (const [key, property] of Object.entries<Schema>(schema['properties'])) {
          const present = key in object ? object[key] : exampleOf(judge, property, depth + 1);
          if (!(key in object) && !alternatives.flat().includes(key)) out.push({ what: `optional ${key} given`, field: key, value: { ...object, [key]: present } });
          for (const v of violationsOf(judge, property, present, false, depth + 1)) {
            out.push({ what: `${key}: ${v.what}`, field: join(key, v.field), value: { ...object, [key]: v.value } });
          }
        }
      }
    }
  }
  return out;
}

/** The contract cases of every operation of `doc`; keys: role -> API key, used to pick a role the operation allows. */
export function contractCases(doc: Doc, keys: Record<string, string>): ContractCase[] {
  const judge = new DocumentJudge(doc);
  const cases: ContractCase[] = [];
  for (const { method, path, op } of operations(doc)) {
    const operation = `${method.toUpperCase()} ${path}`;
    const roles: string[] = (op['x-roles'] ?? []).filter((role: string) => keys[role] !== undefined);
    const role = op['security']?.length === 0 ? undefined : (roles[0] ?? Object.keys(keys)[0]);
    const parameters: Schema[] = op['parameters'] ?? [];
    const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => `contract-${name}`);
    const queryParameters = parameters.filter((p) => p['in'] === 'query');
    const oneOf: string[] = op[REQUIRES_ONE_OF] ?? [];
    const query: Record<string, string> = {};
    for (const p of queryParameters) {
      if (p['required'] === true || p['name'] === oneOf[0]) query[p['name']] = String(exampleOf(judge, p['schema']));
    }
    const bodySchema: Schema | undefined = op['requestBody']?.content?.['application/json']?.schema;
    const body = bodySchema ? exampleOf(judge, bodySchema) : undefined;
    const request = (changes: Partial<ContractRequest>): ContractRequest => ({ method, url, query, body, role, ...changes });

    cases.push({ operation, what: 'the minimal valid request', request: request({}) });
    for (const p of queryParameters) {
      const name: string = p['name'];
      if (query[name] === undefined) cases.push({ operation, what: `query ${name} given`, request: request({ query: { ...query, [name]: String(exampleOf(judge, p['schema'])) } }) });
      if (p['required'] === true) {
        const { [name]: _left, ...rest } = query;
        cases.push({ operation, what: `required query ${name} left out`, request: request({ query: rest }), invalid: [name] });
      }
      for (const v of violationsOf(judge, p['schema'], query[name] ?? exampleOf(judge, p['schema']), true)) {
        const valid = judge.accepts(p['schema'], v.value);
        cases.push({ operation, what: `query ${name}: ${v.what}`, request: request({ query: { ...query, [name]: v.value as string } }), ...(valid ? {} : { invalid: [join(name, v.field)] }) });
      }
    }
    for (const p of parameters.filter((parameter) => parameter['in'] === 'header')) {
      const name: string = p['name'];
      for (const v of violationsOf(judge, p['schema'], exampleOf(judge, p['schema']), true)) {
        const valid = judge.accepts(p['schema'], v.value);
        cases.push({ operation, what: `header ${name}: ${v.what}`, request: request({ headers: { [name]: String(v.value) } }), ...(valid ? {} : { invalid: [name] }) });
      }
    }
    if (oneOf.length > 0) {
      const rest = Object.fromEntries(Object.entries(query).filter(([name]) => !oneOf.includes(name)));
      cases.push({ operation, what: `none of ${oneOf.join(', ')}`, request: request({ query: rest }), invalid: oneOf });
    }
    if (bodySchema) {
      if (!judge.accepts(bodySchema, body)) throw new Error(`contractCases: no document-valid body for ${operation} (built ${JSON.stringify(body)})`);
      for (const v of violationsOf(judge, bodySchema, body, false)) {
        const valid = judge.accepts(bodySchema, v.value);
        cases.push({ operation, what: `body ${v.what}`, request: request({ body: v.value }), ...(valid ? {} : { invalid: v.field === '' ? ['body'] : v.field.split('|') }) });
      }
    }
  }
  return cases;
}

const namesField = (errors: unknown, fields: readonly string[]): boolean =>
  Array.isArray(errors) &&
  errors.some((error) => {
    const named = String((error as { field?: unknown }).field);
    return fields.some((field) => named === field || named.startsWith(`${field}.`) || (field.startsWith(`${named}.`) && named.includes('.')));
  });

/**
 * Sends every case of contractCases(doc) and reports each answer that disagrees with the document:
 * a valid request refused with 400 (or failing with a 5xx its operation does not document: the
 * card vault's 503 of POST /orders, with no vault running, is documented), an invalid one not refused with 400/422
 * naming its field, an error that is not problem+json or carries no X-Correlation-Id.
 */
export async function checkContract(doc: Doc, target: FuzzTarget, options: ContractOptions = {}): Promise<ContractReport> {
  const cases = contractCases(doc, target.keys);
  const byOperation = new Map(operations(doc).map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.op]));
  const op = (c: ContractCase): Schema => byOperation.get(c.operation) ?? {};
  const mismatches: ContractMismatch[] = [];
  const operationsSeen = new Set<string>();
  for (const c of cases) {
    const { method, url, query, headers, body, role } = c.request;
    let req = (request(target.server() as never) as any)[method](url);
    for (const [name, value] of Object.entries(headers ?? {})) req = req.set(name, value);
    if (role !== undefined) req = req.set('Authorization', `Bearer ${target.keys[role]}`);
    if (Object.keys(query).length > 0) req = req.query(query);
    if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    const res = await req;
    operationsSeen.add(c.operation);
    const report = (problem: string) => mismatches.push({ operation: c.operation, what: c.what, status: res.status, problem: `${problem}: ${res.text.slice(0, 300)}` });
    if (res.status >= 400) {
      if (!String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) report('an error that is not application/problem+json');
      if (!res.headers['x-correlation-id']) report('no X-Correlation-Id');
    }
    if (c.invalid === undefined) {
      const stated = options.statedInWords?.[c.operation] ?? [];
      const named: string[] = Array.isArray(res.body?.errors) ? res.body.errors.map((e: { field?: unknown }) => String(e.field)) : [];
      if (res.status === 400 && !(named.length > 0 && named.every((field) => stated.includes(field)))) report('a document-valid request refused with 400');
      else if (res.status >= 500 && op(c).responses?.[String(res.status)] === undefined) report('a document-valid request failed with an undocumented status');
    } else if (res.status !== 400 && res.status !== 422) report(`expected 400 naming ${c.invalid.join(' or ')}`);
    else if (!namesField(res.body?.errors, c.invalid)) report(`the refusal does not name ${c.invalid.join(' or ')}`);
  }
  for (const [operation, fields] of Object.entries(options.statedInWords ?? {})) {
    const body = deref(doc, byOperation.get(operation)?.['requestBody']?.content?.['application/json']?.schema);
    for (const field of fields) {
      const description = deref(doc, body['properties']?.[field])['description'];
      if (typeof description !== 'string' || description === '') mismatches.push({ operation, what: `${field} stated in words`, status: 0, problem: `${field} has no description stating its rule` });
    }
  }
  return { cases: cases.length, invalidCases: cases.filter((c) => c.invalid !== undefined).length, mismatches, operations: operationsSeen };
}

/**
 * A service's contract spec in one call: reads its OpenAPI document, runs checkContract with the
 * development keys, and expects no mismatch and every documented operation tried; answers the report
 * (a spec still says how many invalid cases its document must at least give):
 *
 *   expect((await expectContractKept(sut)).invalidCases).toBeGreaterThanOrEqual(40);
 */
export async function expectContractKept(sut: { readonly http: HttpAgent; app(): { getHttpServer(): unknown } }, options: ContractOptions = {}): Promise<ContractReport> {
  const doc = (await sut.http.get('/docs-json').expect(200)).body as Doc;
  const report = await checkContract(doc, { server: () => sut.app().getHttpServer(), keys: devKeys }, options);
  expect(report.mismatches).toEqual([]);
  expect([...report.operations].sort()).toEqual(operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`).sort());
  return report;
}
