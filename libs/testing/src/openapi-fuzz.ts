import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';

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
