import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Kafka, Partitioners } from 'kafkajs';
import { Topics } from '@continuum/contracts';
import { createQueue, createWorker, kafkaClient } from '@continuum/platform';
import { devKeys, eventually } from '@continuum/testing';
import { parse } from 'yaml';
import { usePaymentsService } from './payments-harness';

jest.setTimeout(120_000);

const repositoryRoot = join(__dirname, '..', '..', '..');
/** PromQL words and functions the deploy files use, which are not metric names */
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'and', 'or', 'unless', 'bool', 'offset', 'group_left', 'group_right']);

/** The metric names a PromQL expression reads: identifiers outside label matchers, ranges and grouping, not called as functions. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)].filter((m) => m[2] === undefined && !PROMQL_WORDS.has(m[1]!)).map((m) => m[1]!);
}

/** Every series name a /metrics text exposes: each declared metric, a histogram's and a summary's series included. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((suffix) => names.add(`${name}${suffix}`));
    if (type === 'summary') ['_sum', '_count'].forEach((suffix) => names.add(`${name}${suffix}`));
  }
  return names;
}

/**
 * GET /ops on a real payments service (Kafka, FerretDB, Redis): its queues, consumer groups with
 * lag, outbox, dead letters and sweepers; a group left behind shows its lag on /ops, /metrics and
 * /health; a failed job is retried and removed through the API.
 */
describe('operations API of a service (GET /ops, failed jobs, /metrics, /health)', () => {
  // a lag of 3 on one partition is enough for /health to say degraded
  const sut = usePaymentsService({ env: { OPS_LAG_DEGRADED: '3' } });
  let kafka: Kafka;
  let opsQueue: Queue;
  let opsWorker: Worker;
  /** the worker fails a job while this holds its id (the cause), succeeds once it is removed */
  const broken = new Set<string>();

  beforeAll(async () => {
    kafka = kafkaClient({ clientId: `${sut.names.id}-ops-it`, brokers: ['127.0.0.1:9092'] });
    const platform = sut.platform();
    opsQueue = createQueue('ops-it', platform.redis, { prefix: platform.queuePrefix });
    platform.ops.addQueue(opsQueue);
    opsWorker = createWorker<{ n: number; card?: { number: string } }>(
      'ops-it',
      async (job) => {
        // the reason quotes the card number of the job's data, as a careless error message would
        if (broken.has(job.id!)) throw new Error(`the cause is still there (card ${job.data.card?.number ?? 'none'})`);
        return job.data.n;
      },
      platform.redis,
      { prefix: platform.queuePrefix },
    );
  });

  afterAll(async () => {
    await opsWorker?.close();
    await opsQueue?.obliterate({ force: true }).catch(() => undefined);
    await opsQueue?.close();
  });

  it('answers admins only, with the service, its queues per state, consumer groups, outbox, dead-letter topic and sweepers', async () => {
    await sut.http.get('/ops').expect(403);
    await sut.http.get('/ops', null).expect(401);
    const { body } = await sut.http.get('/ops', devKeys.admin).expect(200);
    expect(body.service).toBe('payments');
    expect(body.errors).toBeUndefined();
    const charges = body.queues.find((q: { name: string }) => q.name === 'charges');
    expect(charges).toEqual({ name: 'charges', waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number), completed: expect.any(Number) });
    // the groups payments runs, each with a lag per partition of the topics it read
    const groupPrefix = sut.platform().consumerGroupId('');
    expect(body.consumers.length).toBeGreaterThan(0);
    for (const consumer of body.consumers) {
      expect(consumer.groupId.startsWith(groupPrefix)).toBe(true);
      for (const p of consumer.lag) expect(p).toEqual({ partition: expect.any(Number), lag: expect.any(Number) });
    }
    // the relay of this app holds the lease
    expect(body.outbox).toEqual({ backlog: expect.any(Number), oldestAgeMs: expect.any(Number), leaseHolder: sut.platform().relay.owner });
    expect(body.deadLetters).toEqual([{ topic: sut.platform().topic(Topics.paymentsDlq), count: expect.any(Number) }]);
    expect(body.sweepers).toContainEqual(expect.objectContaining({ name: 'retention' }));

    // a run of the retention cleanup is reported: GET /ops shows it, /metrics counts it
    await sut.platform().retention.runOnce();
    const after = (await sut.http.get('/ops', devKeys.admin).expect(200)).body;
    expect(after.sweepers).toContainEqual({ name: 'retention', lastRunAt: expect.any(String), lastResult: { ok: true, removed: expect.any(Object) }, runs: { ok: 1, failed: 0 } });
    const scraped = (await sut.http.get('/metrics', devKeys.admin).expect(200)).text;
    expect(scraped).toContain('sweeper_runs{service="payments",sweeper="retention",result="ok"} 1');
  });

  it('a consumer group left behind shows its lag per partition on /ops and /metrics, and /health is degraded naming it', async () => {
    const topic = sut.platform().topic(Topics.ordersEvents);
    const groupId = sut.platform().consumerGroupId('ops-it-behind');
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // five records on partition 0, the group stopped after reading two of them
    await producer.send({ topic, messages: [1, 2, 3, 4, 5].map((n) => ({ partition: 0, key: `ops-it-${n}`, value: 'not json: payments dead-letters it' })) });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const end = BigInt((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)!.high);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: String(end - 3n) }] });
    await admin.disconnect();

    const { body } = await sut.http.get('/ops', devKeys.admin).expect(200);
    const behind = body.consumers.find((c: { groupId: string }) => c.groupId === groupId);
    expect(behind).toMatchObject({ groupId, topic });
    expect(behind.lag).toContainEqual({ partition: 0, lag: 3 });

    const scraped = (await sut.http.get('/metrics', devKeys.admin).expect(200)).text;
    expect(scraped).toContain(`kafka_consumer_lag{service="payments",group="${groupId}",topic="${topic}",partition="0"} 3`);
    expect(scraped).toMatch(/^outbox_backlog\{service="payments"\} \d+$/m);
    expect(scraped).toMatch(/^queue_jobs\{service="payments",queue="charges",state="failed"\} \d+$/m);
    expect(scraped).toMatch(new RegExp(`^dead_letters\\{service="payments",topic="${sut.platform().topic(Topics.paymentsDlq).replace(/\./g, '\\.')}"\\} \\d+$`, 'm'));

    const health = await eventually(async () => {
      const answer = await sut.http.get('/health', null);
      return answer.body.checks?.['consumer-lag'] === 'degraded' ? answer : undefined;
    }, 'health degraded for the lag');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.errors['consumer-lag']).toContain(`${groupId} ${topic}[0] 3 behind`);
  });

  it('a failed job is listed by name (no job data), retried through the API and runs again once its cause is gone; a failed one is removed; others are refused', async () => {
    broken.add('job-1').add('job-2');
    await opsQueue.add('n', { n: 1, card: { number: '4111111111111111' } }, { jobId: 'job-1' });
    await eventually(async () => ((await opsQueue.getJobCounts('failed')).failed === 1 ? true : undefined), 'job-1 failed');
    await opsQueue.add('n', { n: 2 }, { jobId: 'job-2' });
    await eventually(async () => ((await opsQueue.getJobCounts('failed')).failed === 2 ? true : undefined), 'both jobs failed');
    const listed = (await sut.http.get('/ops', devKeys.admin).expect(200)).body.queues.find((q: { name: string }) => q.name === 'ops-it');
    expect(listed).toMatchObject({ failed: 2, completed: 0 });

    // the failed jobs by name, the last to fail first: id, name, reason (card number redacted), tries, when; never the data
    const failed = await sut.http.get('/ops/queues/ops-it/failed-jobs', devKeys.admin).expect(200);
    expect(failed.body).toEqual([
      { jobId: 'job-2', name: 'n', failedReason: 'the cause is still there (card none)', attemptsMade: 1, failedAt: expect.any(String) },
      { jobId: 'job-1', name: 'n', failedReason: 'the cause is still there (card [REDACTED])', attemptsMade: 1, failedAt: expect.any(String) },
    ]);
    expect(Date.parse(failed.body[0].failedAt)).toBeGreaterThanOrEqual(Date.parse(failed.body[1].failedAt));
    expect(failed.text).not.toContain('4111111111111111');
    // paged: limit, then after the last id of the page
    expect((await sut.http.get('/ops/queues/ops-it/failed-jobs?limit=1', devKeys.admin).expect(200)).body.map((j: { jobId: string }) => j.jobId)).toEqual(['job-2']);
    expect((await sut.http.get('/ops/queues/ops-it/failed-jobs?limit=1&after=job-2', devKeys.admin).expect(200)).body.map((j: { jobId: string }) => j.jobId)).toEqual(['job-1']);
    expect((await sut.http.get('/ops/queues/ops-it/failed-jobs?after=job-1', devKeys.admin).expect(200)).body).toEqual([]);
    expect((await sut.http.get('/ops/queues/ops-it/failed-jobs?limit=0', devKeys.admin).expect(400)).text).toContain('limit');
    expect((await sut.http.get('/ops/queues/nope/failed-jobs', devKeys.admin).expect(404)).body.code).toBe('QUEUE_NOT_FOUND');
    await sut.http.get('/ops/queues/ops-it/failed-jobs').expect(403);

    // a job that has not failed, an unknown job, an unknown queue
    await sut.http.post('/ops/queues/ops-it/jobs/job-404/retry', {}, devKeys.admin).expect(404);
    const unknownQueue = await sut.http.post('/ops/queues/nope/jobs/job-1/retry', {}, devKeys.admin).expect(404);
    expect(unknownQueue.body.code).toBe('QUEUE_NOT_FOUND');
    await sut.http.post('/ops/queues/ops-it/jobs/job-1/retry', {}).expect(403);

    broken.delete('job-1');
    const retried = await sut.http.post('/ops/queues/ops-it/jobs/job-1/retry', {}, devKeys.admin).expect(200);
    expect(retried.body).toMatchObject({ queue: 'ops-it', jobId: 'job-1' });
    await eventually(async () => ((await opsQueue.getJob('job-1'))?.returnvalue === 1 ? true : undefined), 'the retried job completed');
    expect(await (await opsQueue.getJob('job-1'))!.getState()).toBe('completed');
    expect((await sut.http.get('/ops/queues/ops-it/failed-jobs', devKeys.admin).expect(200)).body.map((j: { jobId: string }) => j.jobId)).toEqual(['job-2']);
    const again = await sut.http.post('/ops/queues/ops-it/jobs/job-1/retry', {}, devKeys.admin).expect(409);
    expect(again.body.code).toBe('JOB_NOT_FAILED');

    const removed = await sut.http.delete('/ops/queues/ops-it/jobs/job-2', devKeys.admin).expect(200);
    expect(removed.body).toEqual({ queue: 'ops-it', jobId: 'job-2', state: 'removed' });
    expect(await opsQueue.getJob('job-2')).toBeUndefined();
    await sut.http.delete('/ops/queues/ops-it/jobs/job-2', devKeys.admin).expect(404);
    expect((await sut.http.get('/ops', devKeys.admin).expect(200)).body.queues.find((q: { name: string }) => q.name === 'ops-it')).toMatchObject({ failed: 0, completed: 1 });
  });

  it('the Grafana dashboard and the Prometheus alerts name only metrics a service exports on /metrics (and up, which Prometheus adds)', async () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m]))) > 1')).toEqual(['http_request_duration_seconds_bucket']);
    const exported = exportedNames((await sut.http.get('/metrics', devKeys.admin).expect(200)).text);
    exported.add('up');

    const dashboard = JSON.parse(readFileSync(join(repositoryRoot, 'deploy/grafana/continuum.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const alerts = parse(readFileSync(join(repositoryRoot, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const named = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `panel ${panel.title}`, names: metricNamesIn(target.expr) }))),
      ...alerts.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, names: metricNamesIn(rule.expr) }))),
    ];
    expect(named.every(({ names }) => names.length > 0)).toBe(true);
    expect(named.flatMap(({ where, names }) => names.filter((name) => !exported.has(name)).map((name) => `${where}: ${name}`))).toEqual([]);
    // the operations metrics are on the dashboard
    const onDashboard = new Set(named.filter(({ where }) => where.startsWith('panel')).flatMap(({ names }) => names));
    for (const name of ['kafka_consumer_lag', 'outbox_backlog', 'outbox_oldest_age_seconds', 'queue_jobs', 'dead_letters', 'sweeper_runs', 'sweeper_last_run_timestamp_seconds']) expect(onDashboard).toContain(name);
  });
});
