import { eventually } from '@continuum/testing';
import { fulfillmentWait, useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(60_000);

// The repeatable export run (BullMQ job scheduler) with EXPORT_INTERVAL_MS=1000: nobody calls POST /export-runs.
describe('the scheduled export run (Kafka, FerretDB, Redis)', () => {
  const sut = useFulfillmentService({ env: { EXPORT_INTERVAL_MS: '1000' } });

  it('exports a held fulfillment on its own, once, and publishes its request', async () => {
    const created = await sut.orderThatShips();
    await sut.fulfillmentWhen(created.fulfillmentId, (f) => f.status === 'PENDING', 'exported by the job');
    await eventually(() => sut.requestsFor(created.reference).length === 1, 'request published', fulfillmentWait);
    // more runs come and go: still one export
    const jobs = sut.app().get((await import('../src/jobs')).ExportRunQueue).bullQueue;
    const completedBefore = await jobs.getCompletedCount();
    await eventually(async () => (await jobs.getCompletedCount()) >= completedBefore + 2, 'two more runs', fulfillmentWait);
    expect(await sut.storedEvents(created.fulfillmentId, 'FulfillmentExported')).toBe(1);
  });
});
