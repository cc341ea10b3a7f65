import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { Lease } from './lease';

describe('Lease (FerretDB)', () => {
  let connection: Connection;
  let now = new Date('2024-01-01T00:00:00.000Z');
  const clock = () => now;
  const lease = (name: string, owner: string) => new Lease(connection, name, owner, 10_000, clock);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_lease_${randomUUID().slice(0, 8)}` })
      .asPromise();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('grants a free lease to exactly one of many concurrent contenders', async () => {
    const name = `race-${randomUUID()}`;
    const contenders = Array.from({ length: 8 }, (_, i) => lease(name, `owner-${i}`));
    const granted = await Promise.all(contenders.map((c) => c.acquire()));
    expect(granted.filter(Boolean)).toHaveLength(1);
    const winner = contenders[granted.indexOf(true)];
    expect(await winner.holder()).toBe(winner.owner);
    // a second round changes nothing while the winner's term is valid
    const again = await Promise.all(contenders.map((c) => c.acquire()));
    expect(again).toEqual(granted);
  });

  it('renews for its holder, and is taken over by exactly one contender once it expired', async () => {
    const name = `expiry-${randomUUID()}`;
    const first = lease(name, 'first');
    expect(await first.acquire()).toBe(true);
    now = new Date(now.getTime() + 5_000);
    expect(await first.acquire()).toBe(true); // renewed: valid until now + 10 s
    now = new Date(now.getTime() + 9_000);
    expect(await lease(name, 'other').acquire()).toBe(false);

    now = new Date(now.getTime() + 2_000); // first stopped renewing: its term ran out
    const others = [lease(name, 'a'), lease(name, 'b'), lease(name, 'c')];
    const granted = await Promise.all(others.map((o) => o.acquire()));
    expect(granted.filter(Boolean)).toHaveLength(1);
    // the old holder sees a later term and does not come back
    expect(await first.acquire()).toBe(false);
    expect(await first.holder()).toBe(others[granted.indexOf(true)].owner);
  });

  it('answers its holder without a round trip for half a term after a renewal, then renews', async () => {
    const name = `cached-${randomUUID()}`;
    const holder = lease(name, 'holder');
    const stored = async () => (await connection.collection('leases').findOne({ lease: name }))?.['expiresAt'] as Date;
    expect(await holder.acquire()).toBe(true);
    const firstExpiry = (await stored()).getTime();
    now = new Date(now.getTime() + 4_000);
    expect(await holder.acquire()).toBe(true);
    expect((await stored()).getTime()).toBe(firstExpiry);
    now = new Date(now.getTime() + 2_000);
    expect(await holder.acquire()).toBe(true);
    expect((await stored()).getTime()).toBe(now.getTime() + 10_000);
  });

  it('frees the lease on release so another owner gets it at once', async () => {
    const name = `release-${randomUUID()}`;
    const holder = lease(name, 'holder');
    const next = lease(name, 'next');
    expect(await holder.acquire()).toBe(true);
    expect(await next.acquire()).toBe(false);
    await holder.release();
    expect(await next.holder()).toBeNull();
    expect(await next.acquire()).toBe(true);
    expect(await holder.acquire()).toBe(false);
  });
});
