import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EventEnvelope, MessageRegistry, SchemaValidationError, envelopeSchema } from '@continuum/contracts';
import { REPLAY_OF_HEADER } from './dead-letter';
import { IncomingMessage, ParseMode, RecordSource } from './incoming-message';

/** ok: hand it to its handler; skip: nobody here handles this type; invalid: dead-letter it at once. */
export type DecodeResult =
  | { readonly kind: 'ok'; readonly message: IncomingMessage }
  | { readonly kind: 'skip'; readonly type: string }
  | { readonly kind: 'invalid'; readonly reason: 'invalid-json' | 'schema-invalid'; readonly error: Error };

let envelopeValidator: ValidateFunction | undefined;

function validateEnvelopeShape(value: unknown): void {
  envelopeValidator ??= addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })).compile(envelopeSchema());
  if (!envelopeValidator(value)) {
    const type = typeof (value as { type?: unknown })?.type === 'string' ? (value as { type: string }).type : 'EventEnvelope';
    throw new SchemaValidationError(type, (envelopeValidator.errors ?? []).map(describeAjvError));
  }
}

function describeAjvError(e: ErrorObject): { path: string; message: string } {
  const field = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
  return { path: e.instancePath + field, message: e.message ?? 'is invalid' };
}

/**
 * Turns a raw Kafka record into an IncomingMessage, checking it against the contracts. Payloads
 * are checked only for types this consumer handles: another group's schema trouble is not ours.
 */
export class RecordDecoder {
  constructor(
    private readonly registry: MessageRegistry,
    private readonly mode: ParseMode,
    /** mode 'message' only: every record is this registered message, whatever its own `type` field says */
    private readonly fixedType?: string,
  ) {}

  /**
   * Envelope mode: the type the record's `type` header names (the relay sets it from the envelope)
   * when nobody here handles it, so the record is skipped without reading its value; undefined
   * otherwise (no such header, a handled type, or message mode, whose records come from outside).
   * Most of a topic's events are for other groups: each group parsing and checking every one of them
   * cost more than the few it handles.
   */
  skippedByHeader(source: RecordSource, handles: (type: string) => boolean): string | undefined {
    if (this.mode !== 'envelope') return undefined;
    const type = source.headers['type'];
    return type !== undefined && type !== '' && !handles(type) ? type : undefined;
  }

  decode(value: string | null, source: RecordSource, handles: (type: string) => boolean): DecodeResult {
    let parsed: unknown;
    try {
      if (value === null) throw new SyntaxError('record has no value');
      parsed = JSON.parse(value);
    } catch (error) {
      return { kind: 'invalid', reason: 'invalid-json', error: error as Error };
    }
    try {
      return this.mode === 'envelope' ? this.decodeEnvelope(parsed, source, handles) : this.decodeMessage(parsed, source, handles);
    } catch (error) {
      return { kind: 'invalid', reason: 'schema-invalid', error: error as Error };
    }
  }

  private decodeEnvelope(parsed: unknown, source: RecordSource, handles: (type: string) => boolean): DecodeResult {
    validateEnvelopeShape(parsed);
    let envelope = parsed as EventEnvelope;
    if (!handles(envelope.type)) return { kind: 'skip', type: envelope.type };
    if (this.registry.has(envelope.type)) {
      // An envelope newer than anything registered stays as it is and validate() finds no schema for it.
      const current = this.registry.upcast(envelope.type, envelope.version, envelope.data);
      this.registry.validate(envelope.type, current.version, current.data);
      envelope = { ...envelope, version: current.version, data: current.data };
    }
    return { kind: 'ok', message: { ...this.context(source), envelope, type: envelope.type, dedupId: envelope.eventId } };
  }

  private decodeMessage(parsed: unknown, source: RecordSource, handles: (type: string) => boolean): DecodeResult {
    const message = parsed as { type?: unknown; version?: unknown; messageId?: unknown } | null;
    if (this.fixedType !== undefined) {
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        throw new SchemaValidationError(this.fixedType, [{ path: '', message: 'must be a JSON object' }]);
      }
      return this.validated(this.fixedType, message, source, handles);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof message.type !== 'string' || message.type === '') {
      throw new SchemaValidationError('message', [{ path: '/type', message: 'must be a non-empty string naming the message type' }]);
    }
    return this.validated(message.type, message, source, handles);
  }

  private validated(type: string, message: { version?: unknown; messageId?: unknown }, source: RecordSource, handles: (type: string) => boolean): DecodeResult {
    if (!handles(type)) return { kind: 'skip', type };
    this.registry.validate(type, typeof message.version === 'number' ? message.version : 1, message);
    // without a messageId a message is known by its position; a replayed dead letter by the position of the record first dead-lettered
    const position = source.headers[REPLAY_OF_HEADER] ?? `${source.topic}:${source.partition}:${source.offset}`;
    const dedupId = typeof message.messageId === 'string' && message.messageId !== '' ? message.messageId : position;
    return { kind: 'ok', message: { ...this.context(source), message, type, dedupId } };
  }

  private context(source: RecordSource) {
    return { topic: source.topic, partition: source.partition, offset: source.offset, key: source.key };
  }
}
