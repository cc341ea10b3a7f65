import { IHeaders } from 'kafkajs';
import { RecordSource } from './incoming-message';
import { RECORD_TOO_LARGE_CODE } from './dead-letter';

/** How much of an oversize record a dead letter keeps (its value, its key, each header value), in characters. */
export const OVERSIZE_KEPT_CHARS = 4096;
/** How many headers of an oversize record a dead letter keeps. */
const OVERSIZE_KEPT_HEADERS = 32;

/** The part of a Kafka record that counts towards its size. */
export interface SizedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

/** A record larger than its consumer accepts: dead-lettered as schema-invalid before it is parsed. */
export class RecordTooLargeError extends Error {
  readonly code = RECORD_TOO_LARGE_CODE;

  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the record is ${bytes} bytes (key, value and headers); at most ${maxBytes} bytes are accepted, so it was not parsed (the dead letter keeps its first ${OVERSIZE_KEPT_CHARS} characters)`);
    this.name = 'RecordTooLargeError';
  }
}

const bytesOf = (value: Buffer | string | undefined | null): number => (value === undefined || value === null ? 0 : typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length);

/** The bytes of a record's key, value and headers (names and values) together. */
export function recordBytes(record: SizedRecord): number {
  let bytes = bytesOf(record.key) + bytesOf(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(name, 'utf8');
    for (const part of Array.isArray(value) ? value : [value]) bytes += bytesOf(part);
  }
  return bytes;
}

/** A RecordTooLargeError when the record has more than `maxBytes`; undefined when it fits or there is no limit. */
export function oversize(record: SizedRecord, maxBytes: number | undefined): RecordTooLargeError | undefined {
  if (maxBytes === undefined) return undefined;
  const bytes = recordBytes(record);
  return bytes > maxBytes ? new RecordTooLargeError(bytes, maxBytes) : undefined;
}

/** Where an oversize record came from, cut to what a dead letter of it keeps (its key and headers may be what was large). */
export function boundedSource(source: RecordSource): RecordSource {
  const cut = (text: string) => text.slice(0, OVERSIZE_KEPT_CHARS);
  return {
    ...source,
    key: source.key === null ? null : cut(source.key),
    headers: Object.fromEntries(
      Object.entries(source.headers)
        .slice(0, OVERSIZE_KEPT_HEADERS)
        .map(([name, value]) => [cut(name), cut(value)]),
    ),
  };
}
