import { redactCardText } from '../card-data';
import { OutgoingRecord } from './kafka-publisher';
import { RecordSource } from './incoming-message';

/** Header a replayed dead letter carries: how many times it was replayed (one more than the record it replays carried). */
export const REPLAY_COUNT_HEADER = 'x-replay-count';
/**
 * Header a replayed dead letter carries: `<topic>:<partition>:<offset>` of the record first
 * dead-lettered. A message without an id of its own is recognised by it instead of its new position.
 */
export const REPLAY_OF_HEADER = 'x-replay-of';
/** Header a replayed dead letter carries: the id of the dead letter it came from. */
export const DEAD_LETTER_ID_HEADER = 'x-dead-letter-id';
/** The error code of a record over its consumer's size limit (only its start is kept: not replayable). */
export const RECORD_TOO_LARGE_CODE = 'RECORD_TOO_LARGE';

/**
 * invalid-json: the value is not JSON; schema-invalid: the envelope or payload breaks its schema;
 * rejected: a handler threw a DomainError (a rule said no, retrying cannot help);
 * failed: the handler kept failing until the attempts ran out.
 */
export type DeadLetterReason = 'invalid-json' | 'schema-invalid' | 'rejected' | 'failed';

/** The value of a record on a `<context>.dlq.v1` topic: enough to understand and to replay it. */
export interface DeadLetter {
  readonly reason: DeadLetterReason;
  readonly error: { readonly name: string; readonly message: string; readonly code?: string };
  /** ISO-8601 UTC */
  readonly failedAt: string;
  /** handler calls made; 0 when the message never reached a handler */
  readonly attempts: number;
  readonly groupId: string;
  readonly source: RecordSource;
  /**
   * the record's value as it arrived, except card data: the values of `number`, `cardNumber`,
   * `pan`, `cvv` and `cvc` fields and Luhn-valid 13-19 digit runs read `[REDACTED]`; of a record
   * over its consumer's size limit only the first OVERSIZE_KEPT_CHARS characters
   */
  readonly original: string | null;
}

export interface DeadLetterInput {
  readonly dlqTopic: string;
  readonly reason: DeadLetterReason;
  readonly error: unknown;
  readonly failedAt: string;
  readonly attempts: number;
  readonly groupId: string;
  readonly source: RecordSource;
  readonly original: string | null;
  /** keep at most this many characters of the original (cut after redaction; an oversize record) */
  readonly originalMaxChars?: number;
}

/**
 * Builds the DLQ record: keyed like the original so a stream's dead letters stay together. Card
 * data is redacted from the original and the error message (a dead letter is kept and read by
 * people; the card vault is the only place a number may live).
 */
export function buildDeadLetter(input: DeadLetterInput): OutgoingRecord {
  const value: DeadLetter = {
    reason: input.reason,
    error: describeError(input.error),
    failedAt: input.failedAt,
    attempts: input.attempts,
    groupId: input.groupId,
    source: input.source,
    original: input.original === null ? null : keepAtMost(redactCardText(input.original), input.originalMaxChars),
  };
  return {
    topic: input.dlqTopic,
    key: input.source.key,
    value: JSON.stringify(value),
    headers: { 'dlq-reason': input.reason, 'dlq-group': input.groupId },
  };
}

const keepAtMost = (text: string, chars: number | undefined): string => (chars === undefined ? text : text.slice(0, chars));

function describeError(error: unknown): DeadLetter['error'] {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = redactCardText(error.message);
    return typeof code === 'string' ? { name: error.name, message, code } : { name: error.name, message };
  }
  return { name: 'Error', message: redactCardText(String(error)) };
}
