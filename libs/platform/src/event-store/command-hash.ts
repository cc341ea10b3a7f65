import { createHash } from 'node:crypto';
import { DomainError } from '@continuum/contracts';

/** What a commit's idempotency key was given for: a command's type and data (never its metadata). */
export interface HashedCommand {
  readonly type: string;
  readonly data: unknown;
}

/** JSON with object keys sorted and undefined fields left out, so key order does not make another command. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * sha256 of the commands' types and data in canonical JSON: what "the same command" means for a
 * repeated idempotency key. The metadata (clock, actor) is left out, so a retry decided later by
 * another caller is still the same command. The data ends up in the commit's events anyway, so the
 * digest tells nothing that is not stored beside it.
 */
export function commandHash(commands: readonly HashedCommand[]): string {
  return createHash('sha256')
    .update(canonicalJson(commands.map(({ type, data }) => ({ type, data }))))
    .digest('hex');
}

/**
 * An idempotency key that an earlier commit of the stream used for another command: a caller bug (two
 * commands under one key), not a retry, so it is refused (422) instead of answered as a replay.
 */
export function idempotencyKeyReused(streamId: string, idempotencyKey: string): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    `idempotency key "${idempotencyKey}" was already used on stream ${streamId} for a different command`,
    'rule',
    { field: 'idempotencyKey', streamId, idempotencyKey },
  );
}
