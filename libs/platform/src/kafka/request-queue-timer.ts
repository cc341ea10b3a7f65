/**
 * kafkajs 2.2.4 keeps a 1 ms timer going on every broker connection for as long as it is open: after
 * each response its request queue schedules a check of its pending requests, and with none pending and
 * no throttling the delay it computes is negative, which Node runs after 1 ms, and the check schedules
 * the next one. A service holds a connection per consumer group, its producer and its admin client, so
 * an idle service ran thousands of timers a second (most of its idle CPU, docs/performance.md "Where the
 * CPU goes").
 *
 * `quietRequestQueueTimers()` replaces that one method of kafkajs' RequestQueue: a check is scheduled
 * only while a request waits in the queue, after the throttle the broker asked for, else after kafkajs'
 * own 10 ms. Nothing else changes: a request that cannot go at once is queued by `push`, which
 * schedules its check; a response or a timed-out request checks the queue at once, as before.
 */

/** The part of kafkajs' RequestQueue this touches (kafkajs/src/network/requestQueue/index.js). */
export interface KafkaRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' CHECK_PENDING_REQUESTS_INTERVAL */
const CHECK_PENDING_MS = 10;

/** What `scheduleCheckPendingRequests` does once replaced: a timer only for a queued request. */
export function scheduleCheckOfPending(queue: KafkaRequestQueue, now: number = Date.now()): void {
  if (queue.throttleCheckTimeoutId || queue.pending.length === 0) return;
  const throttled = queue.throttledUntil - now;
  queue.throttleCheckTimeoutId = setTimeout(
    () => {
      queue.throttleCheckTimeoutId = null;
      queue.checkPendingRequests();
    },
    throttled > 0 ? throttled : CHECK_PENDING_MS,
  );
}

let applied = false;

/**
 * Replaces RequestQueue.prototype.scheduleCheckPendingRequests in this process (once; later calls do
 * nothing). Returns false, changing nothing, when kafkajs has no such method (another version).
 */
export function quietRequestQueueTimers(): boolean {
  if (applied) return true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: Partial<KafkaRequestQueue> } | undefined;
  if (typeof RequestQueue?.prototype?.scheduleCheckPendingRequests !== 'function') return false;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: KafkaRequestQueue) {
    scheduleCheckOfPending(this);
  };
  applied = true;
  return true;
}
