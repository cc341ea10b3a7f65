import { EventEmitter } from 'node:events';
import { countStoreCommands, metrics, storeCommandSecondsTotal, storeCommandsTotal } from './metrics';

/** The value of `counter` for `labels` as /metrics prints it. */
async function valueOf(counter: typeof storeCommandsTotal, labels: Record<string, string>): Promise<number> {
  const found = (await counter.get()).values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key as never] === label));
  return found?.value ?? 0;
}

describe('store command metrics', () => {
  beforeEach(() => metrics.resetMetrics());

  it('counts each command by name and collection and sums the time the store took to answer it, failed ones included', async () => {
    const client = new EventEmitter();
    countStoreCommands(client as never);
    client.emit('commandStarted', { commandName: 'find', command: { find: 'view_orders' }, requestId: 1 });
    client.emit('commandStarted', { commandName: 'update', command: { update: 'view_orders' }, requestId: 2 });
    client.emit('commandStarted', { commandName: 'find', command: { find: 'view_orders' }, requestId: 3 });
    client.emit('commandSucceeded', { requestId: 1, duration: 250 });
    client.emit('commandFailed', { requestId: 3, duration: 1500 });
    client.emit('commandSucceeded', { requestId: 2, duration: 40 });
    // a reply with no command started on this client is not counted (nor counted twice)
    client.emit('commandSucceeded', { requestId: 1, duration: 999 });

    expect(await valueOf(storeCommandsTotal, { command: 'find', collection: 'view_orders' })).toBe(2);
    expect(await valueOf(storeCommandSecondsTotal, { command: 'find', collection: 'view_orders' })).toBeCloseTo(1.75);
    expect(await valueOf(storeCommandSecondsTotal, { command: 'update', collection: 'view_orders' })).toBeCloseTo(0.04);
  });

  it('names a getMore by the collection it reads', async () => {
    const client = new EventEmitter();
    countStoreCommands(client as never);
    client.emit('commandStarted', { commandName: 'getMore', command: { getMore: 7, collection: 'events' }, requestId: 9 });
    client.emit('commandSucceeded', { requestId: 9, duration: 12 });
    expect(await valueOf(storeCommandsTotal, { command: 'getMore', collection: 'events' })).toBe(1);
    expect(await valueOf(storeCommandSecondsTotal, { command: 'getMore', collection: 'events' })).toBeCloseTo(0.012);
  });
});
