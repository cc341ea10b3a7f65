import { Actor, EventEnvelope } from '@continuum/contracts';
import { CommitDocument } from './commit.schema';

/** What every event of one append shares: why it happened and who did it. */
export interface AppendMeta {
  readonly correlationId: string;
  /** id of the event or request that caused the append; null when there is none */
  readonly causationId: string | null;
  readonly actor: Actor;
  /** a repeat of this key appends nothing and returns the first append's result */
  readonly idempotencyKey?: string;
  /**
   * `commandHash` of the command the key is given for: stored with the key, and an earlier commit of
   * the stream with the same key but another hash is refused (IDEMPOTENCY_KEY_REUSED) instead of
   * replayed. Without it (a reaction's commit, whose commands depend on the state it planned from)
   * the key alone decides.
   */
  readonly commandHash?: string;
  /** ISO-8601 UTC; defaults to the store's clock */
  readonly occurredAt?: string;
}

/** The outcome of an append; `replayed` is true when an earlier append with the same idempotency key answered. */
export interface AppendResult {
  readonly streamId: string;
  readonly events: EventEnvelope[];
  /** stream version before the append */
  readonly fromVersion: number;
  /** stream version after the append */
  readonly toVersion: number;
  readonly replayed: boolean;
}

/** Called after every new (not replayed) append, with the commit as stored; used by the outbox relay. */
export type AppendListener = (result: AppendResult, commit: CommitDocument) => void;
