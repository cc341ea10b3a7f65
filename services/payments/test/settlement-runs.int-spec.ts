import { devKeys, eventually } from '@continuum/testing';
import { paymentsWait, usePaymentsService } from './payments-harness';

jest.setTimeout(120_000);

interface RunBody {
  runId: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  startedAt: string;
  finishedAt?: string;
  progress: { done: number; total: number };
  result?: { settled: number };
}

/**
 * POST /settlement-runs inside the request or, with Prefer: respond-async, as a job of the
 * settlement-runs queue, and GET /settlement-runs/:id (API.md "Runs"). Every spec settles all that is
 * unsettled, so the next one starts with nothing to settle.
 */
describe('settlement runs, at once or queued (Kafka, FerretDB, Redis)', () => {
  const sut = usePaymentsService();
  const admin = () => sut.http.as(devKeys.admin);
  const asOf = () => new Date(Date.now() + 60_000).toISOString();
  const run = async (runId: string) => (await admin().get(`/settlement-runs/${runId}`).expect(200)).body as RunBody;
  const done = (runId: string) =>
    eventually(
      async () => {
        const body = await run(runId);
        return body.status === 'DONE' ? body : undefined;
      },
      `run ${runId} DONE`,
      paymentsWait,
    );
  const approvedCharge = async () => {
    const { transactionId } = await sut.placeCardOrder({ total: 1500 });
    await sut.probe.waitForEvent('PaymentApproved', { transactionId });
    return transactionId;
  };
  const settledEvents = (transactionId: string) => sut.probe.events('ChargeSettled', { transactionId }).length;

  it('without Prefer answers the result and a runId, and GET shows that run DONE with the same result', async () => {
    const charges = [await approvedCharge(), await approvedCharge()];
    const answer = await admin().post('/settlement-runs', { asOf: asOf() }).expect(200);
    expect(answer.body).toEqual({ settled: 2, runId: expect.stringMatching(/^settlement-/) });
    expect(await run(answer.body.runId)).toMatchObject({ status: 'DONE', progress: { done: 2, total: 2 }, result: { settled: 2 } });
    for (const transactionId of charges) {
      expect((await sut.http.get(`/transactions/${transactionId}`).expect(200)).body.settled).toBe(true);
      // each settlement is keyed by the run and the charge
      expect(await sut.commits({ idempotencyKey: `run:${answer.body.runId}:${transactionId}` })).toHaveLength(1);
    }
  });

  it('with Prefer: respond-async answers 202 { runId } at once and runs on; GET shows it RUNNING or DONE, then DONE with the result', async () => {
    const charges = [await approvedCharge(), await approvedCharge()];
    const answer = await admin().post('/settlement-runs', { asOf: asOf() }).set('Prefer', 'respond-async').expect(202);
    expect(answer.body).toEqual({ runId: expect.stringMatching(/^settlement-/) });
    const { runId } = answer.body as { runId: string };
    expect(answer.headers['preference-applied']).toBe('respond-async');
    expect(answer.headers['location']).toBe(`/settlement-runs/${runId}`);
    expect(['RUNNING', 'DONE']).toContain((await run(runId)).status);
    expect(await done(runId)).toMatchObject({ progress: { done: 2, total: 2 }, result: { settled: 2 } });
    for (const transactionId of charges) await sut.probe.waitForEvent('ChargeSettled', { transactionId });
    // the same shape without Prefer, and nothing is settled twice
    expect((await admin().post('/settlement-runs', { asOf: asOf() }).expect(200)).body).toEqual({ settled: 0, runId: expect.any(String) });
  });

  it('running twice (queued and at once, side by side) settles each charge once', async () => {
    const charges = [await approvedCharge(), await approvedCharge()];
    const [queued, now] = await Promise.all([
      admin().post('/settlement-runs', { asOf: asOf() }).set('Prefer', 'respond-async').expect(202),
      admin().post('/settlement-runs', { asOf: asOf() }).expect(200),
    ]);
    const finished = await done(queued.body.runId);
    expect(finished.result!.settled + now.body.settled).toBe(2);
    for (const transactionId of charges) await sut.probe.waitForEvent('ChargeSettled', { transactionId });
    await sut.probe.caughtUp();
    for (const transactionId of charges) expect(settledEvents(transactionId)).toBe(1);
  });

  it('GET of an unknown run is 404 problem+json; runs are for admins and services', async () => {
    const unknown = await admin().get('/settlement-runs/settlement-00000000-0000-0000-0000-000000000000').expect(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ status: 404, code: 'RUN_NOT_FOUND' });
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
    const doc = (await sut.http.get('/docs-json').expect(200)).body;
    const post = doc.paths['/settlement-runs'].post;
    expect(post.parameters.map((p: { name: string }) => p.name)).toContain('Prefer');
    expect(post.responses['202'].headers).toHaveProperty('Location');
    expect(post.responses['200'].content['application/json'].schema.required).toEqual(['settled', 'runId']);
    expect(doc.paths['/settlement-runs/{id}'].get.responses['200'].content['application/json'].schema.properties.result.required).toEqual(['settled']);
  });
});
