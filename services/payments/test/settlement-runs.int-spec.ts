import { devKeys, runsApi } from '@continuum/testing';
import { paymentsWait, usePaymentsService } from './payments-harness';

jest.setTimeout(120_000);

/**
 * POST /settlement-runs inside the request or, with Prefer: respond-async, as a job of the
 * settlement-runs queue, and GET /settlement-runs/:id (docs/operations.md, "Runs"). Every spec settles all that is
 * unsettled, so the next one starts with nothing to settle.
 */
describe('settlement runs, at once or queued (Kafka, FerretDB, Redis)', () => {
  const sut = usePaymentsService();
  const admin = () => sut.http.as(devKeys.admin);
  const asOf = () => new Date(Date.now() + 60_000).toISOString();
  const runs = runsApi<{ settled: number }>(sut.http.as(devKeys.admin), '/settlement-runs', 'settlement', paymentsWait);
  const approvedCharge = async () => {
    const { transactionId } = await sut.placeCardOrder({ total: 1500 });
    await sut.probe.waitForEvent('PaymentApproved', { transactionId });
    return transactionId;
  };
  const settledEvents = (transactionId: string) => sut.probe.events('ChargeSettled', { transactionId }).length;

  it('without Prefer answers the result and a runId, and GET shows that run DONE with the same result', async () => {
    const charges = [await approvedCharge(), await approvedCharge()];
    const answer = await runs.now({ asOf: asOf() });
    expect(answer).toEqual({ settled: 2, runId: expect.stringMatching(/^settlement-/) });
    expect(await runs.get(answer.runId)).toMatchObject({ status: 'DONE', progress: { done: 2, total: 2 }, result: { settled: 2 } });
    for (const transactionId of charges) {
      expect((await sut.http.get(`/transactions/${transactionId}`).expect(200)).body.settled).toBe(true);
      // each settlement is keyed by the run and the charge
      expect(await sut.commits({ idempotencyKey: `run:${answer.runId}:${transactionId}` })).toHaveLength(1);
    }
  });

  it('with Prefer: respond-async answers 202 { runId } at once and runs on; GET shows it RUNNING or DONE, then DONE with the result', async () => {
    const charges = [await approvedCharge(), await approvedCharge()];
    const runId = await runs.queue({ asOf: asOf() });
    expect(await runs.done(runId)).toMatchObject({ progress: { done: 2, total: 2 }, result: { settled: 2 } });
    for (const transactionId of charges) await sut.probe.waitForEvent('ChargeSettled', { transactionId });
    // the same shape without Prefer, and nothing is settled twice
    expect(await runs.now({ asOf: asOf() })).toEqual({ settled: 0, runId: expect.any(String) });
  });

  it('running twice (queued and at once, side by side) settles each charge once', async () => {
    const charges = [await approvedCharge(), await approvedCharge()];
    const [queued, now] = await Promise.all([
      admin().post('/settlement-runs', { asOf: asOf() }).set('Prefer', 'respond-async').expect(202),
      admin().post('/settlement-runs', { asOf: asOf() }).expect(200),
    ]);
    const finished = await runs.done(queued.body.runId);
    expect(finished.result!.settled + now.body.settled).toBe(2);
    for (const transactionId of charges) await sut.probe.waitForEvent('ChargeSettled', { transactionId });
    await sut.probe.caughtUp();
    for (const transactionId of charges) expect(settledEvents(transactionId)).toBe(1);
  });

  it('GET of an unknown run is 404 problem+json; runs are for admins and services', async () => {
    await runs.expectUnknownRunNotFound();
    await admin().get('/settlement-runs/%20').expect(404);
    await sut.http.post('/settlement-runs', {}, devKeys.agent).set('Prefer', 'respond-async').expect(403);
  });

  it('refuses a bad asOf with Prefer too, naming the field, and records no run', async () => {
    const runs = () => sut.platform().connection.collection('runs').countDocuments();
    const before = await runs();
    const refused = await admin().post('/settlement-runs', { asOf: 'tomorrow' }).set('Prefer', 'respond-async').expect(400);
    expect(JSON.stringify(refused.body.errors)).toContain('asOf');
    expect(await runs()).toBe(before);
  });

  it('declares the Prefer header, the 202 answer and GET in its OpenAPI document', async () => {
    const { post, get } = await runs.openApi();
    expect(post.responses['202']!.headers).toHaveProperty('Location');
    expect(post.responses['200']!.content['application/json']!.schema['required']).toEqual(['settled', 'runId']);
    expect(get.responses['200']!.content['application/json']!.schema['properties']).toMatchObject({ result: { required: ['settled'] } });
  });
});
