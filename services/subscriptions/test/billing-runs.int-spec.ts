import { CommandBus } from '@nestjs/cqrs';
import { systemActor } from '@continuum/contracts';
import { systemContext, unrecordedRun } from '@continuum/platform';
import { devKeys, eventually, runsApi } from '@continuum/testing';
import { RunBillingCommand } from '../src/commands';
import { daysFromNow, subscriptionsWait, useSubscriptionsService } from './subscriptions-harness';

jest.setTimeout(120_000);

/**
 * POST /billing-runs inside the request or, with Prefer: respond-async, as a job of the billing-runs
 * queue, and GET /billing-runs/:id (docs/operations.md, "Runs"). Each spec's purchase has its own trial length, so
 * a run finds only that purchase due (the earlier ones are billed and due 30 days later).
 */
describe('billing runs, at once or queued (real stack)', () => {
  // a window of one bill: each run requests the next bill once the one before has its outcome
  const t = useSubscriptionsService({ BILLING_RUN_WINDOW: '1' });
  const admin = () => t.http.as(devKeys.admin);
  const runs = runsApi<Record<string, unknown>>(t.http.as(devKeys.admin), '/billing-runs', 'billing', subscriptionsWait);

  it('without Prefer answers the result and a runId, and GET shows that run DONE with the same result', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 2 });
    const asOf = daysFromNow(2.5);
    const { runId, ...result } = await runs.now({ asOf });
    expect(result).toEqual({ asOf, requested: 1, billed: 1, declined: 0, pending: 0, cancelled: 0 });
    expect(runId).toMatch(/^billing-/);
    expect(await runs.get(runId)).toMatchObject({ runId, status: 'DONE', progress: { done: 1, total: 1 }, result });
    // the purchase's bill is keyed by the run and the purchase
    expect(await t.commits({ streamId: `purchase-${purchaseId}`, idempotencyKey: `run:${runId}:${purchaseId}` })).toHaveLength(1);
  });

  it('with Prefer: respond-async answers 202 { runId } at once and runs on; GET shows it RUNNING or DONE, then DONE with the result the synchronous call gives', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 4 });
    const asOf = daysFromNow(4.5);
    const runId = await runs.queue({ asOf });
    const finished = await runs.done(runId);
    // as the synchronous call: it waited for the outcome (BILLING_RUN_WAIT_MS)
    expect(finished).toMatchObject({ progress: { done: 1, total: 1 }, result: { asOf, requested: 1, billed: 1, declined: 0, pending: 0, cancelled: 0 } });
    await t.purchaseWhen(purchaseId, (p) => p.billingCycle === 2, 'cycle 2');
    expect(t.rebillRequests(purchaseId)).toHaveLength(1);
    // the same shape without Prefer, and nothing more is billed
    expect(await runs.now({ asOf })).toEqual({ asOf, requested: 0, billed: 0, declined: 0, pending: 0, cancelled: 0, runId: expect.any(String) });
  });

  it('running twice (queued and at once, side by side) bills the purchase once', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 6 });
    const asOf = daysFromNow(6.5);
    const [queued, now] = await Promise.all([
      admin().post('/billing-runs', { asOf }).set('Prefer', 'respond-async').expect(202),
      admin().post('/billing-runs', { asOf }).expect(200),
    ]);
    const finished = await runs.done(queued.body.runId);
    expect((finished.result!['requested'] as number) + (now.body.requested as number)).toBe(1);
    await t.purchaseWhen(purchaseId, (p) => p.billingCycle === 2, 'cycle 2');
    expect(t.rebillRequests(purchaseId)).toHaveLength(1);
  });

  it('keeps at most BILLING_RUN_WINDOW bills without an outcome: with a window of one, the second purchase due is asked only after the first is billed', async () => {
    const first = await t.startPurchase({ trialDays: 8 });
    const second = await t.startPurchase({ trialDays: 8 });
    const asOf = daysFromNow(8.5);
    const { runId: _runId, ...result } = await runs.now({ asOf });
    expect(result).toEqual({ asOf, requested: 2, billed: 2, declined: 0, pending: 0, cancelled: 0 });
    // the events as the topic has them: each purchase's request, and the earlier one's PurchaseBilled
    const [earlier, later, billedEarlier] = await eventually(() => {
      const requests = [first.purchaseId, second.purchaseId].map((purchaseId) => t.rebillRequests(purchaseId)[0]).filter((event) => event !== undefined);
      if (requests.length < 2) return undefined;
      const [a, b] = requests.sort((x, y) => x.occurredAt.localeCompare(y.occurredAt));
      const billed = t.probe.events('PurchaseBilled', { purchaseId: (a!.data as { purchaseId: string }).purchaseId })[0];
      return billed ? ([a!, b!, billed] as const) : undefined;
    }, 'both requests and the first bill on the topic', subscriptionsWait);
    expect(later.occurredAt >= billedEarlier.occurredAt).toBe(true);
    expect(earlier.occurredAt < billedEarlier.occurredAt).toBe(true);
  });

  it('a due list longer than one page: each page is read as the run reaches it, every due purchase is billed once, and the total grows page by page', async () => {
    const due = await Promise.all([1, 2, 3].map(() => t.startPurchase({ trialDays: 10 })));
    const asOf = daysFromNow(10.5);
    const totals: number[] = [];
    const run = { ...unrecordedRun(), planned: async (total: number) => void totals.push(total) };
    // pages of one id: the run bills a page's purchase (taking it off the due list) while the next page is already listed
    const result = await t
      .app()
      .get(CommandBus)
      .execute(new RunBillingCommand(asOf, systemContext(systemActor('billing-run'), 'it-pages', null), 15_000, run, { window: 1, holdMs: 60_000, pageSize: 1 }));
    expect(result).toEqual({ asOf, requested: 3, billed: 3, declined: 0, pending: 0, cancelled: 0 });
    await t.probe.caughtUp();
    for (const { purchaseId } of due) expect(t.rebillRequests(purchaseId)).toHaveLength(1);
    expect(totals.at(-1)).toBe(3);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(new Set(totals).size).toBeGreaterThan(2);
  });

  it('GET of an unknown run is 404 problem+json; runs are for admins and services', async () => {
    await runs.expectUnknownRunNotFound();
    // a run of another kind is not a billing run
    await admin().get('/billing-runs/export-00000000-0000-0000-0000-000000000000').expect(404);
    await t.http.post('/billing-runs', {}, devKeys.agent).set('Prefer', 'respond-async').expect(403);
  });

  it('declares the Prefer header, the 202 answer and GET in its OpenAPI document', async () => {
    const { post, get } = await runs.openApi();
    expect(post.responses['202']!.headers).toHaveProperty('Preference-Applied');
    expect(post.responses['200']!.content['application/json']!.schema['required']).toContain('runId');
    expect(get.responses['200']!.content['application/json']!.schema['properties']).toMatchObject({ result: { required: expect.arrayContaining(['billed']) } });
  });
});
