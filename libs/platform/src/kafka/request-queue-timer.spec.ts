import { eventually } from '@continuum/testing';
import { KafkaRequestQueue, quietRequestQueueTimers } from './request-queue-timer';

// kafkajs' own request queue (one per broker connection), driven without a broker: a request is
// "sent" when the queue calls its sendRequest, "answered" when fulfillRequest is called with its id.
type Queue = KafkaRequestQueue & {
  push(request: { entry: { correlationId: number; apiName: string; resolve: () => void; reject: () => void }; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: Record<string, unknown>) => Queue;
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('kafkajs request queue timers (quietRequestQueueTimers)', () => {
  const queues: Queue[] = [];
  const newQueue = (maxInFlightRequests: number) => {
    const queue = new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'broker:9092', logger });
    queues.push(queue);
    return queue;
  };
  const sent: number[] = [];
  const request = (queue: Queue, correlationId: number) => queue.push({ entry: { correlationId, apiName: 'Fetch', resolve: () => undefined, reject: () => undefined }, expectResponse: true, sendRequest: () => sent.push(correlationId) });
  const answer = (queue: Queue, correlationId: number) => queue.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });

  beforeAll(() => expect(quietRequestQueueTimers()).toBe(true));
  beforeEach(() => (sent.length = 0));
  afterEach(() => queues.splice(0).forEach((queue) => queue.destroy()));

  it('leaves no timer behind once a request is answered and nothing waits (kafkajs 2.2.4 kept a 1 ms one per connection)', () => {
    const queue = newQueue(1);
    request(queue, 1);
    answer(queue, 1);
    expect(sent).toEqual([1]);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request queued behind the in-flight limit as soon as the one in flight is answered; the check it scheduled runs once', async () => {
    const queue = newQueue(1);
    request(queue, 1);
    request(queue, 2);
    expect(sent).toEqual([1]);
    expect(queue.pending).toHaveLength(1);
    answer(queue, 1);
    expect(sent).toEqual([1, 2]);
    answer(queue, 2);
    // the check queued with request 2 (10 ms) finds nothing waiting and schedules no other
    await eventually(() => queue.throttleCheckTimeoutId === null, 'the last check done');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request queued while the broker throttles once the throttle is over, then stops checking', async () => {
    const queue = newQueue(5);
    queue.maybeThrottle(50);
    request(queue, 1);
    expect(sent).toEqual([]);
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    await eventually(() => sent.length === 1, 'the throttled request sent');
    answer(queue, 1);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });
});
