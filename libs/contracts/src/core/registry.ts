import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** A JSON Schema (draft 2020-12 subset that Ajv understands). */
export type JsonSchema = Record<string, unknown>;

/**
 * One versioned message kind: a domain event (`kind: 'event'`) or an integration message that is
 * not an event of ours (`kind: 'message'`, e.g. `PlaceOrder` on the intake topic).
 */
export interface MessageDefinition {
  readonly kind: 'event' | 'message';
  readonly type: string;
  readonly version: number;
  readonly topic: string;
  /** schema of `data` for events, of the whole message for integration messages */
  readonly schema: JsonSchema;
  readonly description: string;
}

export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  /** turns `data` of `fromVersion` into `data` of `fromVersion + 1` */
  readonly upcast: (data: any) => any;
}

export class SchemaValidationError extends Error {
  constructor(
    readonly messageType: string,
    readonly errors: { path: string; message: string }[],
  ) {
    super(`${messageType} is invalid: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    this.name = 'SchemaValidationError';
  }
}

const key = (type: string, version: number) => `${type}@${version}`;

/**
 * The catalogue of every event and integration message, with a validator per schema and the
 * upcasters that bring old versions to the current one.
 */
export class MessageRegistry {
  private readonly definitions = new Map<string, MessageDefinition>();
  private readonly latest = new Map<string, number>();
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }));

  define(definition: MessageDefinition): MessageDefinition {
    const k = key(definition.type, definition.version);
    if (this.definitions.has(k)) throw new Error(`${k} is defined twice`);
    this.definitions.set(k, definition);
    this.latest.set(definition.type, Math.max(this.latest.get(definition.type) ?? 0, definition.version));
    return definition;
  }

  registerUpcaster(upcaster: Upcaster): void {
    this.upcasters.set(key(upcaster.type, upcaster.fromVersion), upcaster);
  }

  all(): MessageDefinition[] {
    return [...this.definitions.values()];
  }

  has(type: string): boolean {
    return this.latest.has(type);
  }

  current(type: string): MessageDefinition {
    const version = this.latest.get(type);
    if (version === undefined) throw new SchemaValidationError(type, [{ path: '/type', message: `unknown message type "${type}"` }]);
    return this.definitions.get(key(type, version))!;
  }

  get(type: string, version: number): MessageDefinition | undefined {
    return this.definitions.get(key(type, version));
  }

  /** Throws SchemaValidationError naming each field that is wrong. */
  validate(type: string, version: number, payload: unknown): void {
    const definition = this.get(type, version);
    if (!definition) {
      throw new SchemaValidationError(type, [{ path: '/version', message: `no schema for ${key(type, version)}` }]);
    }
    const k = key(type, version);
    let validator = this.validators.get(k);
    if (!validator) {
      validator = this.ajv.compile(definition.schema);
      this.validators.set(k, validator);
    }
    if (!validator(payload)) {
      throw new SchemaValidationError(
        type,
        (validator.errors ?? []).map((e) => ({
          path: e.instancePath + (e.keyword === 'required' ? `/${(e.params as any).missingProperty}` : e.keyword === 'additionalProperties' ? `/${(e.params as any).additionalProperty}` : ''),
          message: e.message ?? 'is invalid',
        })),
      );
    }
  }

  /** Brings `data` of an older version up to the latest one, one version at a time. */
  upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
    const target = this.latest.get(type) ?? version;
    let current = { version, data };
    while (current.version < target) {
      const upcaster = this.upcasters.get(key(type, current.version));
      if (!upcaster) throw new Error(`no upcaster for ${key(type, current.version)}`);
      current = { version: current.version + 1, data: upcaster.upcast(current.data) };
    }
    return current;
  }
}

/** The one registry every service and the AsyncAPI document read. */
export const registry = new MessageRegistry();

/** Declares a domain event; returns its definition. */
export function defineEvent(type: string, topic: string, description: string, dataSchema: JsonSchema, version = 1): MessageDefinition {
  return registry.define({ kind: 'event', type, version, topic, schema: dataSchema, description });
}

/** Declares an integration message (not one of our events), validated as a whole. */
export function defineMessage(type: string, topic: string, description: string, schema: JsonSchema, version = 1): MessageDefinition {
  return registry.define({ kind: 'message', type, version, topic, schema, description });
}
