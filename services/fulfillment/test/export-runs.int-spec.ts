import { Topics } from '@continuum/contracts';
import { devKeys, eventually, runsApi } from '@continuum/testing';
import { ExportRunQueue } from '../src/jobs';
import { fulfillmentWait, useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(120_000);

/**
 * POST /export-runs inside the request or, with Prefer: respond-async, as a job of the export queue,
 * and GET /export-runs/:id (docs/operations.md, "Runs"). Every spec exports all it holds, so the next starts empty.
 */
describe('export runs, at once or queued (Kafka, FerretDB, Redis)', () => {
  const sut = useFulfillmentService();
  const admin = () => sut.http.as(devKeys.admin);
  const runs = runsApi<{ exported: number }>(sut.http.as(devKeys.admin), '/export-runs', 'export', fulfillmentWait);

  it('without Prefer answers the result and a runId, and GET shows that run DONE with the same result', async () => {
    const held = [await sut.orderThatShips(), await sut.orderThatShips()];
    const answer = await admin().post('/export-runs', {}).expect(200);
    expect(answer.body).toEqual({ exported: 2, runId: expect.stringMatching(/^export-/) });
    expect(answer.headers['preference-applied']).toBeUndefined();
    const recorded = await runs.get(answer.body.runId);
    expect(recorded).toMatchObject({ runId: answer.body.runId, status: 'DONE', progress: { done: 2, total: 2 }, result: { exported: 2 } });
    expect(Date.parse(recorded.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(recorded.startedAt));
    for (const f of held) expect((await sut.fulfillment(f.fulfillmentId)).status).toBe('PENDING');
    // each export is keyed by the run and the fulfillment
    const commits = await sut.commits({ streamId: `fulfillment-${held[0]!.fulfillmentId}`, idempotencyKey: `run:${answer.body.runId}:${held[0]!.fulfillmentId}` });
    expect(commits).toHaveLength(1);
  });

  it('with Prefer: respond-async answers 202 { runId } at once and runs on; GET shows it RUNNING or DONE, then DONE with the result', async () => {
    const held = [await sut.orderThatShips(), await sut.orderThatShips(), await sut.orderThatShips()];
    // an upsell added to the first before the run goes to the house with it
    const item = { orderItemId: 'up-1', productId: 'p-2', sku: 'SKU-2', name: 'Mask', quantity: 1, unitPrice: 900, price: 900, shippingPrice: 0, billingType: 'STRAIGHT' };
    const totals = { subtotal: 5900, shipping: 0, salesTax: 0, discount: 0, total: 5900, refunded: 0 };
    await sut.probe.publish(Topics.ordersEvents, `order-${held[0]!.orderId}`, 'UpsellAdded', { orderId: held[0]!.orderId, customerId: 'cus-x', currency: 'USD', paymentType: 'CARD', orderItemId: 'up-1', item, amount: 900, newTotals: totals });
    await sut.fulfillmentWhen(held[0]!.fulfillmentId, (body) => body.items.length === 2, 'the upsell in the HOLD fulfillment');
    const runId = await runs.queue();
    const finished = await runs.done(runId);
    expect(finished).toMatchObject({ status: 'DONE', progress: { done: 3, total: 3 }, result: { exported: 3 } });
    for (const f of held) {
      await sut.fulfillmentWhen(f.fulfillmentId, (body) => body.status === 'PENDING', 'exported');
      await eventually(() => sut.requestsFor(f.reference).length === 1, 'request published', fulfillmentWait);
    }
    expect(sut.requestsFor(held[0]!.reference)[0]!['items']).toEqual([
      { sku: 'SKU-1', name: 'Serum', quantity: 2 },
      { sku: 'SKU-2', name: 'Mask', quantity: 1 },
    ]);
    // the same shape as the synchronous answer: running again finds nothing to export
    expect(await runs.now()).toEqual({ exported: 0, runId: expect.any(String) });
  });

  it('running twice (queued and at once, side by side) exports each fulfillment once', async () => {
    const held = [await sut.orderThatShips(), await sut.orderThatShips()];
    const [queued, now] = await Promise.all([admin().post('/export-runs', {}).set('Prefer', 'respond-async').expect(202), admin().post('/export-runs', {}).expect(200)]);
    const finished = await runs.done(queued.body.runId);
    expect(finished.result!.exported + now.body.exported).toBe(2);
    for (const f of held) expect(await sut.storedEvents(f.fulfillmentId, 'FulfillmentExported')).toBe(1);
    expect((await runs.now()).exported).toBe(0);
  });

  it('a repeated request with the same Idempotency-Key answers the same run', async () => {
    await sut.orderThatShips();
    const first = await admin().post('/export-runs', {}).set('Prefer', 'respond-async').set('Idempotency-Key', 'runs-key-1').expect(202);
    const again = await admin().post('/export-runs', {}).set('Prefer', 'respond-async').set('Idempotency-Key', 'runs-key-1');
    expect([202, 409]).toContain(again.status);
    if (again.status === 202) expect(again.body).toEqual(first.body);
    expect((await runs.done(first.body.runId)).result).toEqual({ exported: 1 });
  });

  it('a queued run survives a restart of the instance: its job waits in Redis and the next instance finishes it', async () => {
    const held = await sut.orderThatShips();
    // nothing takes the job before the stop
    await sut.app().get(ExportRunQueue).bullQueue.pause();
    const runId = await runs.queue();
    await sut.stop();
    await sut.start();
    expect((await runs.get(runId)).status).toBe('RUNNING');
    await sut.app().get(ExportRunQueue).bullQueue.resume();
    // (the scheduled run, declared again at start, may take the fulfillment first: exported once either way)
    expect((await runs.done(runId)).result!.exported).toBeLessThanOrEqual(1);
    await sut.fulfillmentWhen(held.fulfillmentId, (body) => body.status === 'PENDING', 'exported');
    expect(await sut.storedEvents(held.fulfillmentId, 'FulfillmentExported')).toBe(1);
  });

  it('GET of an unknown run is 404 problem+json; runs are for admins and services', async () => {
    await runs.expectUnknownRunNotFound();
    await admin().get('/export-runs/not-a-run').expect(404);
    await sut.http.post('/export-runs', {}).set('Prefer', 'respond-async').expect(403);
    await sut.http.get('/export-runs/export-00000000-0000-0000-0000-000000000000').expect(403);
  });

  it('declares the Prefer header, the 202 answer and GET in its OpenAPI document', async () => {
    const { post, get } = await runs.openApi();
    expect(post.responses['202']!.headers).toHaveProperty('Location');
    expect(post.responses['200']!.content['application/json']!.schema['required']).toEqual(['exported', 'runId']);
    expect(get.responses['200']!.content['application/json']!.schema['properties']).toMatchObject({ status: { enum: ['RUNNING', 'DONE', 'FAILED'] } });
  });
});
