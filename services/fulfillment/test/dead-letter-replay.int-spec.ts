import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually } from '@continuum/testing';
import { PlainKafkaHouse } from './house-client';
import { newOrderId, orderSnapshot, useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(180_000);

interface Entry {
  id: string;
  deadLetter: { reason: string; error: { code?: string }; source: { topic: string; key: string | null; headers: Record<string, string> }; original: string | null } | null;
  replayed: { replays: number; replayCount: number; replayedBy: string } | null;
  notReplayable: string | null;
}

// The dead letters of a service, listed, shown and replayed through its admin-only ops API (the
// same functions as `npm run dlq`): a house update for a fulfillment that does not exist yet is
// dead-lettered, replayed once the fulfillment exists, applied once, and its dead letter marked.
describe('dead letters of a service: list, show, replay after the cause is removed (Kafka, FerretDB)', () => {
  const sut = useFulfillmentService();
  const { http, probe } = sut;
  let house: PlainKafkaHouse;

  beforeAll(async () => {
    house = new PlainKafkaHouse(sut.names.topicPrefix);
    await house.start();
  });
  afterAll(async () => {
    await house?.stop();
  });

  const list = async (): Promise<Entry[]> => (await http.get('/ops/dead-letters', devKeys.admin).expect(200)).body as Entry[];
  const entryWhere = (check: (entry: Entry) => boolean, what: string) => eventually(async () => (await list()).find(check), what, { timeoutMs: 60_000, intervalMs: 500 });
  /** a record that is not JSON under `key`, dead-lettered: everything before it on that partition was handled */
  async function drain(key: string): Promise<void> {
    // a uuid, not Math.random(): a run of 13-19 digits that passes Luhn reads [REDACTED] in a dead letter
    const marker = `not json ${randomUUID()}`;
    await house.send(key, marker);
    await probe.waitForDeadLetter((letter) => letter.original === marker, 'marker dead-lettered', { timeoutMs: 90_000, intervalMs: 200 });
  }

  it('an update for a fulfillment not there yet: dead-lettered, listed and shown; replayed once it exists it is applied once, and the dead letter stays, marked replayed', async () => {
    const orderId = newOrderId();
    const reference = `${orderId}-F1`;
    const shipped = `{"reference":"${reference}","type":"SHIPPED","trackingNumber":"1ZREPLAY","at":"2026-03-02T10:00:00Z"}`;
    await house.send(reference, shipped);
    await probe.waitForDeadLetter((letter) => letter.key === reference && letter.reason === 'rejected', 'update for an unknown reference dead-lettered');

    const entry = await entryWhere((e) => e.deadLetter?.source.key === reference, 'dead letter listed');
    expect(entry.id).toMatch(new RegExp(`^${sut.names.topicPrefix.replace(/\./g, '\\.')}fulfillment\\.dlq\\.v1:\\d+:\\d+$`));
    expect(entry).toMatchObject({
      deadLetter: { reason: 'rejected', error: { code: 'FULFILLMENT_NOT_FOUND' }, source: { topic: `${sut.names.topicPrefix}${Topics.fulfillmentUpdates}`, key: reference }, original: shipped },
      replayed: null,
      notReplayable: null,
    });
    expect((await http.get(`/ops/dead-letters/${entry.id}`, devKeys.admin).expect(200)).body).toEqual(entry);

    // admin only; an id this topic does not hold is 404
    await http.get('/ops/dead-letters', devKeys.agent).expect(403);
    await http.post(`/ops/dead-letters/${entry.id}/replay`, {}, devKeys.service).expect(403);
    await http.get(`/ops/dead-letters/${sut.names.topicPrefix}fulfillment.dlq.v1:0:999999`, devKeys.admin).expect(404);
    await http.get(`/ops/dead-letters/${sut.names.topicPrefix}payments.dlq.v1:0:0`, devKeys.admin).expect(404);

    // the cause removed: the order completes, its fulfillment is exported (PENDING, so it may ship)
    const customerId = await sut.registerCustomer();
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', orderSnapshot(orderId, customerId));
    await sut.fulfillmentWhen(reference, (f) => f.status === 'HOLD', 'fulfillment in HOLD');
    await sut.exportRun();
    await sut.fulfillmentWhen(reference, (f) => f.status === 'PENDING', 'fulfillment exported');

    const replay = await http.post(`/ops/dead-letters/${entry.id}/replay`, {}, devKeys.admin).expect(200);
    expect(replay.body).toMatchObject({ id: entry.id, topic: `${sut.names.topicPrefix}${Topics.fulfillmentUpdates}`, key: reference, replayCount: 1, replays: 1 });
    await sut.fulfillmentWhen(reference, (f) => f.status === 'SHIPPED' && f.trackingNumber === '1ZREPLAY', 'the replayed update applied');

    const marked = (await http.get(`/ops/dead-letters/${entry.id}`, devKeys.admin).expect(200)).body as Entry;
    expect(marked.replayed).toMatchObject({ replays: 1, replayCount: 1, replayedBy: 'admin:dev-admin' });
    expect(marked.deadLetter).toEqual(entry.deadLetter);

    // a second replay is refused; forced, it is published again and the consumer skips it (handled once)
    const again = await http.post(`/ops/dead-letters/${entry.id}/replay`, {}, devKeys.admin).expect(409);
    expect(again.body).toMatchObject({ code: 'DEAD_LETTER_ALREADY_REPLAYED' });
    await http.post(`/ops/dead-letters/${entry.id}/replay`, { force: true }, devKeys.admin).expect(200);
    await drain(reference);
    expect(await sut.storedEvents(reference, 'FulfillmentShipped')).toBe(1);
    expect(probe.deadLetters.filter((letter) => letter.key === reference && letter.reason === 'rejected')).toHaveLength(1);
    expect((await list()).find((e) => e.id === entry.id)?.replayed).toMatchObject({ replays: 2 });
  });

  it('a replayed record keeps its key and headers and carries x-replay-count; one still broken is dead-lettered again, with the count', async () => {
    const key = `broken-${newOrderId()}`;
    await house.send(key, '{"reference": "oops"');
    const entry = await entryWhere((e) => e.deadLetter?.source.key === key, 'malformed update listed');
    expect(entry.deadLetter?.reason).toBe('invalid-json');

    await http.post(`/ops/dead-letters/${entry.id}/replay`, {}, devKeys.admin).expect(200);
    const second = await entryWhere((e) => e.deadLetter?.source.key === key && e.id !== entry.id, 'the replay dead-lettered again');
    expect(second.deadLetter?.source.headers).toMatchObject({ 'x-replay-count': '1', 'x-dead-letter-id': entry.id });
    expect(second.deadLetter?.source.headers['x-replay-of']).toMatch(new RegExp(`^${sut.names.topicPrefix.replace(/\./g, '\\.')}fulfillment\\.updates\\.v1:\\d+:\\d+$`));
    const third = (await http.post(`/ops/dead-letters/${second.id}/replay`, {}, devKeys.admin).expect(200)).body as { replayCount: number };
    expect(third.replayCount).toBe(2);
  });

  it('card data never shows, and a dead letter whose card data was redacted is not replayable (422)', async () => {
    const key = `card-${newOrderId()}`;
    await house.send(key, 'not json, card 4111111111111111 cvv');
    const entry = await entryWhere((e) => e.deadLetter?.source.key === key, 'record with a card number listed');
    const shown = await http.get(`/ops/dead-letters/${entry.id}`, devKeys.admin).expect(200);
    expect(shown.text).not.toContain('4111111111111111');
    expect(shown.body.notReplayable).toMatch(/card data/);
    const refused = await http.post(`/ops/dead-letters/${entry.id}/replay`, {}, devKeys.admin).expect(422);
    expect(refused.body).toMatchObject({ code: 'DEAD_LETTER_NOT_REPLAYABLE' });
  });

  it('npm run dlq lists and shows the same dead letters from a terminal', async () => {
    const key = `cli-${newOrderId()}`;
    await house.send(key, '{"cli": ');
    const entry = await entryWhere((e) => e.deadLetter?.source.key === key, 'dead letter for the CLI listed');
    const env = { ...process.env, KAFKA_TOPIC_PREFIX: sut.names.topicPrefix, MONGO_DB_FULFILLMENT: sut.names.database };
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/platform/src/ops/dlq.cli.ts', ...args], { cwd: join(__dirname, '../../..'), env, encoding: 'utf8', timeout: 90_000 });
    const listed = cli('list', 'fulfillment');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(entry.id);
    expect(listed.stdout).toContain('invalid-json');
    const shown = cli('show', entry.id);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: entry.id, deadLetter: { source: { key } } });
    const unknown = cli('show', `${sut.names.topicPrefix}fulfillment.dlq.v1:0:999999`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('DEAD_LETTER_NOT_FOUND');

    // replay --all of one source topic: the dead letters not replayed yet that can be sent as they were
    const all = cli('replay', '--all', 'fulfillment', '--topic', Topics.fulfillmentUpdates);
    expect(all.status).toBe(0);
    expect(all.stdout).toContain(`replayed ${entry.id} to ${sut.names.topicPrefix}${Topics.fulfillmentUpdates}`);
    expect(all.stdout).toMatch(/skipped .*card data/);
    expect((await http.get(`/ops/dead-letters/${entry.id}`, devKeys.admin).expect(200)).body.replayed).toMatchObject({ replays: 1, replayCount: 1 });
    const again = cli('replay', entry.id);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('DEAD_LETTER_ALREADY_REPLAYED');
  });
});
