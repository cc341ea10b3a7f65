import { Consumer, EachBatchPayload, EachMessagePayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { Connection } from 'mongoose';
import pino from 'pino';
import { DomainError, MAX_INPUT_RECORD_BYTES, MessageRegistry, registry as defaultRegistry } from '@continuum/contracts';
import { DeadLetterReason, buildDeadLetter } from './dead-letter';
import { HandledEventsStore } from './handled-events.store';
import { IncomingMessage, MessageHandler, ParseMode, RecordSource } from './incoming-message';
import { KafkaPublisher } from './kafka-publisher';
import { RecordDecoder } from './record-decoder';
import { boundedSource, OVERSIZE_KEPT_CHARS, oversize } from './record-size';
import { nextRetry, retryDelayMs } from './retry-backoff';

/** The part of a pino logger the runner uses. */
export interface RunnerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ConsumerRunnerDeps {
  readonly kafka: Kafka;
  /** where `handled_events` lives */
  readonly connection: Connection;
  readonly groupId: string;
  readonly topics: string[];
  /** `<context>.dlq.v1` */
  readonly dlqTopic: string;
  readonly publisher: KafkaPublisher;
  /** defaults to the registry of @continuum/contracts */
  readonly registry?: MessageRegistry;
  /** by message type; a type without a handler is skipped */
  readonly handlers: Record<string, MessageHandler>;
  /**
   * Batch mode (opt-in): the decoded messages of one Kafka batch (one partition), in offset order,
   * handed over at once. Records are decoded, dead-lettered and deduplicated as in the default
   * mode; the batch is retried with the same backoff, and a batch that keeps failing is handled
   * again one message at a time through `handlers` (so a poison message is dead-lettered alone).
   * `handlers` still say which types the group handles.
   */
  readonly batchHandler?: (messages: IncomingMessage[]) => Promise<void>;
  readonly parse?: ParseMode;
  /**
   * with parse 'message': every record on the topics is this registered message type (for partners'
   * messages whose own `type` field means something else, e.g. FulfillmentUpdate); its handler is
   * `handlers[messageType]`
   */
  readonly messageType?: string;
  /**
   * the largest record (key, value and headers, in bytes) this group parses; a larger one is
   * dead-lettered as schema-invalid (`RECORD_TOO_LARGE`) before it is parsed. Default: with parse
   * 'message' (input from other systems) MAX_INPUT_RECORD_BYTES, with 'envelope' (our own events,
   * which must be read back whatever was stored) none
   */
  readonly maxRecordBytes?: number;
  /** handler calls before a failing message goes to the DLQ (default 5) */
  readonly maxAttempts?: number;
  /** wait after the first failure, doubled after each further one (default 200 ms) */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** how long work held elsewhere (a RetryLaterError) may hold a message from its first failure (default MAX_HELD_MS) */
  readonly maxHeldMs?: number;
  readonly sessionTimeout?: number;
  readonly heartbeatInterval?: number;
  readonly maxWaitTimeInMs?: number;
  /**
   * partitions handled at once (default 1); each partition still gets one message at a time, in
   * order, so a stream's events keep their order
   */
  readonly partitionsConsumedConcurrently?: number;
  /** a new group reads a topic from its start (default), so no event published before it joined is lost */
  readonly fromBeginning?: boolean;
  /**
   * how long start() waits for the group to join; default twice the session timeout plus 10 s, since
   * a member left by an instance that died without leaving holds the group until its session expires
   */
  readonly joinTimeoutMs?: number;
  /**
   * how often the offsets of handled messages are committed (default 5000 ms, as Kafka's own
   * clients); also when the group rebalances and when the runner stops
   */
  readonly commitIntervalMs?: number;
  readonly logger?: RunnerLogger;
  /**
   * record handled event ids in `handled_events` and skip those seen (default true); false for a
   * handler that is idempotent by itself, such as a view guarded by per-stream versions
   */
  readonly dedup?: boolean;
  /** the clock for failedAt and handledAt */
  readonly now?: () => Date;
}

/**
 * Where a runner is: `idle` (not started), `joining` (started, its group not joined yet, or joining
 * again after a rebalance or a crash kafkajs restarts), `running` (joined, partitions assigned),
 * `failed` (crashed and not restarting), `stopped`.
 */
export type ConsumerState = 'idle' | 'joining' | 'running' | 'failed' | 'stopped';

/**
 * Runs a Kafka consumer group: decodes and validates each record, skips what this group already
 * handled, calls the handler for its type, retries transient failures with backoff and sends what
 * cannot be handled to the DLQ. A partition's offset moves on only after its message was handled
 * or dead-lettered, so a crash redelivers and a poison message never blocks the partition.
 *
 * Example:
 * `new ConsumerRunner({ kafka, connection, groupId: 'payments.order-placed', topics: [Topics.ordersEvents],
 *   dlqTopic: Topics.paymentsDlq, publisher, handlers: { OrderPlaced: async (m) => ... } }).start()`
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly decoder: RecordDecoder;
  private readonly handled: HandledEventsStore;
  private readonly logger: RunnerLogger;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRecordBytes: number | undefined;
  private started = false;
  private current: ConsumerState = 'idle';
  /** ends a start() still waiting for its group to join (stop() calls it) */
  private endJoinWait = (): void => undefined;
  /**
   * settles once start() has connected, subscribed and kafkajs' run() has returned (which is after
   * its first join, or after a crash during it), or gave up; stop() disconnects only after it
   */
  private launched: Promise<void> = Promise.resolve();
  /** set by stop(): messages still delivered are left for the next consumer, unhandled and uncommitted */
  private stopping = false;
  /** per partition (`topic|partition`), the offset after its last handled message, not committed yet */
  private readonly resolved = new Map<string, { topic: string; partition: number; offset: string }>();
  /** the messages being handled now */
  private readonly inHand = new Set<Promise<unknown>>();
  private commitTimer?: NodeJS.Timeout;
  private committing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ConsumerRunnerDeps) {
    this.consumer = deps.kafka.consumer({
      groupId: deps.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: deps.sessionTimeout ?? 30_000,
      heartbeatInterval: deps.heartbeatInterval ?? 3_000,
      maxWaitTimeInMs: deps.maxWaitTimeInMs ?? 1_000,
    });
    this.decoder = new RecordDecoder(deps.registry ?? defaultRegistry, deps.parse ?? 'envelope', deps.messageType);
    this.handled = new HandledEventsStore(deps.connection, deps.groupId);
    this.logger = deps.logger ?? pino({ name: `consumer:${deps.groupId}`, level: process.env['LOG_LEVEL'] ?? 'info' });
    this.now = deps.now ?? (() => new Date());
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? 5);
    this.backoffMs = deps.backoffMs ?? 200;
    this.maxBackoffMs = deps.maxBackoffMs ?? 10_000;
    this.maxRecordBytes = deps.maxRecordBytes ?? ((deps.parse ?? 'envelope') === 'message' ? MAX_INPUT_RECORD_BYTES : undefined);
  }

  /** The consumer group's real id. */
  get groupId(): string {
    return this.deps.groupId;
  }

  /** Where the runner is now (for /health: a group still joining is named there). */
  get state(): ConsumerState {
    return this.current;
  }

  /**
   * Connects, subscribes and resolves once the group has joined and partitions are assigned (or
   * once stop() ends the wait); rejects when the group has not joined within joinTimeoutMs, while
   * the consumer goes on trying.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.current = 'joining';
    const sessionTimeout = this.deps.sessionTimeout ?? 30_000;
    const joinTimeoutMs = this.deps.joinTimeoutMs ?? sessionTimeout * 2 + 10_000;
    let removeJoin = (): void => undefined;
    let timer: NodeJS.Timeout | undefined;
    let slow: NodeJS.Timeout | undefined;
    const joined = new Promise<void>((resolve, reject) => {
      removeJoin = this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve());
      this.endJoinWait = () => resolve();
      timer = setTimeout(() => reject(new Error(`consumer group ${this.deps.groupId} did not join within ${joinTimeoutMs} ms`)), joinTimeoutMs);
      // say why a start waits: the usual cause is a member of an instance that was killed
      slow = setTimeout(
        () =>
          this.logger.warn(
            { groupId: this.deps.groupId, sessionTimeoutMs: sessionTimeout, joinTimeoutMs },
            'consumer group has not joined after 5 s; a member left by an instance that stopped without leaving holds it until its session expires',
          ),
        5_000,
      );
    });
    // before partitions may move to another member: commit what was handled (best effort; what is
    // not committed is delivered again), and forget offsets of partitions that may not be ours now
    this.consumer.on(this.consumer.events.REBALANCING, () => {
      if (this.current === 'running') this.current = 'joining';
      void this.commitResolved();
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      if (this.started) this.current = 'running';
      this.resolved.clear();
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      if (this.started) this.current = event.payload.restart ? 'joining' : 'failed';
      this.logger.error({ groupId: this.deps.groupId, err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
      // what was handled before the crash need not come again (best effort, as on a rebalance)
      void this.commitResolved();
    });
    const launch = this.launch();
    this.launched = launch.catch(() => undefined);
    try {
      // kafkajs' run() returns only once the group has joined: the join wait (or a stop) ends the
      // start without it, and a failure to connect or subscribe ends it at once
      await Promise.race([joined, launch]);
      await joined;
      if (!this.started) return; // stopped before the group joined
      this.commitTimer = setInterval(() => void this.commitResolved(), this.deps.commitIntervalMs ?? 5_000);
      this.commitTimer.unref();
    } catch (error) {
      // stop() while connecting or subscribing: the start ends with it, not as a failure
      if (this.started) throw error;
    } finally {
      clearTimeout(timer);
      clearTimeout(slow);
      removeJoin();
      this.endJoinWait = () => undefined;
    }
  }

  /**
   * Connects, subscribes and runs the kafkajs consumer, unless stop() came first. Resolves when
   * kafkajs' run() returns: after the group's first join, or after a crash during it (kafkajs then
   * restarts the consumer by itself).
   */
  private async launch(): Promise<void> {
    await this.consumer.connect();
    if (!this.started) return;
    await this.consumer.subscribe({ topics: this.deps.topics, fromBeginning: this.deps.fromBeginning ?? true });
    if (!this.started) return;
    // Offsets are committed by this runner, every commitIntervalMs, on rebalance and on stop, and
    // only up to messages handled (or dead-lettered): kafkajs' autoCommit commits after every
    // batch, a request and a write to __consumer_offsets per message at this traffic, for each
    // of a service's groups. A crash redelivers what was handled since the last commit, which
    // handlers take as any redelivery (handled-event records, commit keys, version guards).
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.deps.partitionsConsumedConcurrently ?? 1,
      ...(this.deps.batchHandler
        ? { eachBatchAutoResolve: false, eachBatch: (payload: EachBatchPayload) => this.trackBatch(payload) }
        : { eachMessage: (payload: EachMessagePayload) => this.track(payload) }),
    });
  }

  /**
   * Finishes the message in hand, commits offsets and leaves the group. A stop while the group
   * still joins ends start() at once, and waits for the join (kafkajs cannot cancel it) to leave
   * the group after it: a kafkajs consumer disconnected during its join goes on after the join
   * completes, a member of the group that fetches until its process ends.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.current = 'stopped';
    this.endJoinWait();
    // the message in hand finishes; later ones are not handled, so everything handled is committed
    // while the group still has this member
    this.stopping = true;
    await Promise.all([...this.inHand]);
    clearInterval(this.commitTimer);
    await this.commitResolved();
    await this.launched;
    await this.consumer.disconnect();
  }

  /** Handles one message and notes its partition's next offset for the next commit. */
  private async track(payload: EachMessagePayload): Promise<void> {
    if (this.stopping) return;
    const handling = this.onMessage(payload);
    this.inHand.add(handling);
    let done: boolean;
    try {
      done = await handling;
    } finally {
      this.inHand.delete(handling);
    }
    // left unhandled by a stop: not committed, so the partition's next owner handles it
    if (!done) return;
    const { topic, partition, message } = payload;
    this.resolved.set(`${topic}|${partition}`, { topic, partition, offset: (BigInt(message.offset) + 1n).toString() });
  }

  /** Batch mode: handles one batch and notes its partition's next offset after what was handled. */
  private async trackBatch(payload: EachBatchPayload): Promise<void> {
    if (this.stopping) return;
    const handling = this.onBatch(payload);
    this.inHand.add(handling);
    try {
      await handling;
    } finally {
      this.inHand.delete(handling);
    }
  }

  /** Commits the offsets noted since the last commit (one commit at a time); failures are logged and retried at the next. */
  private commitResolved(): Promise<void> {
    const run = this.committing.then(async () => {
      if (this.resolved.size === 0) return;
      const offsets = [...this.resolved.values()];
      this.resolved.clear();
      try {
        await this.consumer.commitOffsets(offsets);
      } catch (error) {
        // keep them for the next commit unless a later offset of the same partition was noted since
        for (const offset of offsets) {
          const key = `${offset.topic}|${offset.partition}`;
          if (!this.resolved.has(key)) this.resolved.set(key, offset);
        }
        this.logger.warn({ groupId: this.deps.groupId, err: error }, 'could not commit offsets; trying again at the next commit');
      }
    });
    this.committing = run.catch(() => undefined);
    return run;
  }

  private readonly handles = (type: string): boolean => Object.prototype.hasOwnProperty.call(this.deps.handlers, type);

  /** False when the message was left unhandled (a stop came while it waited for work held elsewhere). */
  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<boolean> {
    const decoded = await this.decodeRecord(topic, partition, message);
    if (!decoded) return true;
    return this.handleOne(decoded, heartbeat);
  }

  /**
   * A record as the handlers get it, or undefined when there is nothing to handle: too large or
   * invalid (dead-lettered here), or of a type this group does not handle (skipped).
   */
  private async decodeRecord(topic: string, partition: number, message: KafkaMessage): Promise<Decoded | undefined> {
    const source: RecordSource = {
      topic,
      partition,
      offset: message.offset,
      key: message.key === null ? null : message.key.toString('utf8'),
      headers: headersToStrings(message.headers),
    };
    const value = () => (message.value === null ? null : message.value.toString('utf8'));
    const tooLarge = oversize(message, this.maxRecordBytes);
    if (tooLarge) {
      await this.deadLetter('schema-invalid', tooLarge, 0, boundedSource(source), value(), OVERSIZE_KEPT_CHARS);
      return undefined;
    }
    // an event of a type this group does not handle, known by its header: not parsed at all
    if (this.decoder.skippedByHeader(source, this.handles) !== undefined) return undefined;
    const original = value();
    const decoded = this.decoder.decode(original, source, this.handles);
    if (decoded.kind === 'skip') return undefined;
    if (decoded.kind === 'invalid') {
      await this.deadLetter(decoded.reason, decoded.error, 0, source, original);
      return undefined;
    }
    return { incoming: decoded.message, source, original };
  }

  /**
   * One decoded message through its handler: skipped when handled before (dedup), retried,
   * dead-lettered when it keeps failing. False when it was left unhandled: a stop came while it
   * waited for work held elsewhere (RetryLaterError), and the partition's next owner handles it.
   */
  private async handleOne({ incoming, source, original }: Decoded, heartbeat: () => Promise<void>): Promise<boolean> {
    const dedup = this.deps.dedup ?? true;
    if (dedup && (await this.handled.isHandled(incoming.dedupId))) {
      this.logger.info({ groupId: this.deps.groupId, type: incoming.type, dedupId: incoming.dedupId }, 'already handled, skipped');
      return true;
    }
    const outcome = await this.handleWithRetries(incoming, heartbeat);
    if (outcome.kind === 'left') return false;
    if (outcome.kind === 'handled') {
      // Recorded only after success: a crash before this line means the handler runs again.
      if (dedup) await this.handled.markHandled(incoming.dedupId, incoming.type, this.now());
      return true;
    }
    // Dead letters are not marked handled, so replaying one from the DLQ after a fix is processed.
    await this.deadLetter(outcome.reason, outcome.error, outcome.attempts, source, original);
    return true;
  }

  /**
   * Batch mode: decodes every record of the batch (dead-lettering what is invalid), leaves out what
   * this group handled before, hands the rest to the batch handler in offset order with retries, and
   * when the batch keeps failing handles its messages one at a time. Offsets are resolved only for
   * what was handled; a batch taken away by a rebalance is left for the partition's next owner.
   */
  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    if (batch.messages.length === 0) return;
    const decoded: Decoded[] = [];
    const dedup = this.deps.dedup ?? true;
    const seen = new Set<string>();
    for (const message of batch.messages) {
      const one = await this.decodeRecord(topic, partition, message);
      if (!one) continue;
      if (dedup) {
        // the same message twice in one batch: handled once, as one after the other would be
        if (seen.has(one.incoming.dedupId)) continue;
        seen.add(one.incoming.dedupId);
      }
      decoded.push(one);
    }
    let fresh = decoded;
    if (dedup && decoded.length > 0) {
      const handled = await Promise.all(decoded.map((one) => this.handled.isHandled(one.incoming.dedupId)));
      fresh = decoded.filter((one, index) => {
        if (handled[index]) this.logger.info({ groupId: this.deps.groupId, type: one.incoming.type, dedupId: one.incoming.dedupId }, 'already handled, skipped');
        return !handled[index];
      });
    }
    const resolve = (offset: string) => {
      resolveOffset(offset);
      this.resolved.set(`${topic}|${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    };
    const last = batch.messages[batch.messages.length - 1].offset;
    if (fresh.length === 0) {
      resolve(last);
      return;
    }
    if (await this.handleBatchWithRetries(fresh, heartbeat, () => !isRunning() || isStale())) {
      if (dedup) {
        const at = this.now();
        await Promise.all(fresh.map((one) => this.handled.markHandled(one.incoming.dedupId, one.incoming.type, at)));
      }
      resolve(last);
      await heartbeat();
      return;
    }
    // the batch keeps failing (or was taken away): one message at a time, as the default mode does
    if (isStale()) return;
    let previous = -1n;
    for (const one of fresh) {
      // what comes before this message in the batch (skipped or dead-lettered) is done
      if (!isRunning() || isStale()) return;
      if (!(await this.handleOne(one, heartbeat))) return;
      resolve(one.incoming.offset);
      previous = BigInt(one.incoming.offset);
    }
    if (BigInt(last) > previous) resolve(last);
  }

  /** The batch handler with retries and backoff; heartbeats while it runs. False when the batch still fails (or `abandoned()` says stop retrying). */
  private async handleBatchWithRetries(batch: Decoded[], heartbeat: () => Promise<void>, abandoned: () => boolean): Promise<boolean> {
    const handler = this.deps.batchHandler!;
    const interval = this.deps.heartbeatInterval ?? 3_000;
    for (let attempt = 1; ; attempt++) {
      // a long batch must not cost the group its member
      const beating = setInterval(() => void heartbeat().catch(() => undefined), interval);
      try {
        await handler(batch.map((one) => one.incoming));
        return true;
      } catch (error) {
        // a refusal would be refused again: find the message one at a time at once
        const refused = error instanceof DomainError && error.kind !== 'conflict';
        if (refused || attempt >= this.maxAttempts || abandoned()) {
          this.logger.warn({ groupId: this.deps.groupId, messages: batch.length, attempts: attempt, err: error }, 'batch failed; handling its messages one at a time');
          return false;
        }
        const delay = retryDelayMs(attempt, this.backoffMs, this.maxBackoffMs);
        this.logger.warn({ groupId: this.deps.groupId, messages: batch.length, attempt, delay, err: error }, 'batch handler failed, retrying');
        await heartbeat();
        await sleep(delay);
      } finally {
        clearInterval(beating);
      }
    }
  }

  /**
   * The handler, called again after each failure with a doubling wait (`nextRetry`): handled, failed
   * (to dead-letter), or left when a stop comes while the message waits for work held elsewhere
   * (a RetryLaterError retries until its time without spending attempts, so it could hold a stop).
   */
  private async handleWithRetries(
    incoming: IncomingMessage,
    heartbeat: () => Promise<void>,
  ): Promise<{ kind: 'handled' } | { kind: 'left' } | { kind: 'failed'; reason: DeadLetterReason; error: unknown; attempts: number }> {
    const handler = this.deps.handlers[incoming.type];
    const policy = { maxAttempts: this.maxAttempts, backoffMs: this.backoffMs, maxBackoffMs: this.maxBackoffMs, maxHeldMs: this.deps.maxHeldMs };
    let spent = 0;
    let firstFailedAt: Date | undefined;
    for (let tries = 1; ; tries++) {
      try {
        await handler(incoming);
        return { kind: 'handled' };
      } catch (error) {
        const now = this.now();
        firstFailedAt ??= now;
        // A rule said no (or the thing does not exist): the same command would be refused again, so
        // retrying only delays the record. A conflict (a concurrent change, work still in progress)
        // may clear, so it is retried like any transient failure.
        if (error instanceof DomainError && error.kind !== 'conflict') return { kind: 'failed', reason: 'rejected', error, attempts: tries };
        const next = nextRetry(error, tries, spent, policy, now, firstFailedAt);
        if (!next) return { kind: 'failed', reason: 'failed', error, attempts: tries };
        if (!next.spends && this.stopping) return { kind: 'left' };
        if (next.spends) spent++;
        this.logger.warn({ groupId: this.deps.groupId, type: incoming.type, dedupId: incoming.dedupId, attempt: tries, delay: next.delayMs, err: error }, 'handler failed, retrying');
        await heartbeat();
        await sleep(next.delayMs);
      }
    }
  }

  private async deadLetter(reason: DeadLetterReason, error: unknown, attempts: number, source: RecordSource, original: string | null, originalMaxChars?: number): Promise<void> {
    const record = buildDeadLetter({
      dlqTopic: this.deps.dlqTopic,
      reason,
      error,
      failedAt: this.now().toISOString(),
      attempts,
      groupId: this.deps.groupId,
      source,
      original,
      originalMaxChars,
    });
    this.logger.error({ groupId: this.deps.groupId, reason, topic: source.topic, partition: source.partition, offset: source.offset, err: error }, 'message dead-lettered');
    // If this publish fails, eachMessage throws and kafkajs redelivers the record: nothing is lost.
    await this.deps.publisher.publish([record]);
  }
}

/** A record decoded for its handler, with what a dead letter of it keeps. */
interface Decoded {
  readonly incoming: IncomingMessage;
  readonly source: RecordSource;
  readonly original: string | null;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.map((v) => v.toString()).join(',') : value.toString();
  }
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
