/**
 * A customer-history rebuild at size: prints events/s, total time, the service's peak memory and the
 * live view's history reads during the rebuild; never asserts a time.
 *
 * A rebuild reads every `<context>.events.v1` topic from its start with a new consumer group
 * (docs/projections.md, "Rebuilds"), so the bench puts the events there:
 * 1. starts the projections service (its own database and topic prefix), publishes one customer's
 *    story (13 events: registered, a card order placed, paid and completed, a fulfillment created
 *    and shipped, the charge settled, a note, a refund that fails, is queued and succeeds, the order
 *    refunded) and waits until the live view has folded it; then stops the service;
 * 2. produces copies of that story with every id fresh (BENCH_REBUILD_EVENTS in all, default
 *    100,000: about 7,700 customers) onto the topics in batches, and copies every document the service stored for the template
 *    customer (journal, routes, search entry, order rows) into the live generation for the first
 *    BENCH_REBUILD_LIVE_CUSTOMERS copies (default 2,000: the customers read during the rebuild), so the live view answers for every
 *    customer; the live consumer groups (history and reports) are moved to the topics' ends, as
 *    they stand on a service that has caught up;
 * 3. starts the service again, asks `POST /rebuilds { view: customer-history }` and, until it
 *    switches, reads a random customer's history every BENCH_REBUILD_READ_EVERY_MS (default 100 ms)
 *    from the live view, samples the service's memory and logs the progress every 10 s;
 * 4. compares the documents per collection of the rebuilt generation (journals, routes, search
 *    entries, order rows) with the template customer's times the customers, and reads histories
 *    from it (the whole story each); drops the database, topics and groups.
 * BENCH_REBUILD_MAX_S (default 7200) ends a rebuild that has not switched by then: the rate so far is
 * printed. SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=<dir>' profiles the service (the kit's launcher).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Kafka, logLevel, Message } from 'kafkajs';
import mongoose from 'mongoose';
import { eventually, KafkaProbe, launchService, ServiceProcess, waitForHealth } from '@continuum/testing';
import { cleanUp } from './support/cleanup';
import { cpuMeter } from './support/cpu';
import { countsOf, documentsNaming, insertByCollection, parseStored, StoredDocument, storedText } from './support/customer-documents';
import { copier, customerStory, TopicEvent, UUID } from './support/customer-story';
import { client, startFleet } from './support/fleet';
import { fmt, median, nowMs, percentile, printTable, sleep } from './support/stats';

const env = process.env;
const MONGO_URL = env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const EVENTS = Number(env['BENCH_REBUILD_EVENTS'] ?? 100_000);
const READ_EVERY_MS = Number(env['BENCH_REBUILD_READ_EVERY_MS'] ?? 100);
const MAX_S = Number(env['BENCH_REBUILD_MAX_S'] ?? 7200);
/** customers whose documents are copied into the live generation (and whose histories are read during the rebuild) */
const LIVE_CUSTOMERS = Number(env['BENCH_REBUILD_LIVE_CUSTOMERS'] ?? 2000);
/** customers per produce (13 events each) */
const BATCH = 80;
const SERVICE = 'projections';
/** the consumer groups of the live service, within the service (docs/projections.md) */
const LIVE_GROUPS = ['history.g1', 'reports.v1'];

interface Progress {
  status: string;
  eventsReplayed: number;
  lag: number | null;
  startedAt: string;
  switchedAt: string | null;
  generation: number;
  error: string | null;
}

/** kB of a /proc/<pid>/status line (VmRSS: now, VmHWM: the peak), or NaN. */
function procStatusKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return Number(line?.replace(/\D+/g, '') ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const load = () => loadavg().map((n) => n.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const fleet = await startFleet([SERVICE]);
  console.log(`[rebuild] run ${fleet.run}: database ${fleet.services[SERVICE]!.database}, topics ${fleet.topicPrefix}*`);
  const first = fleet.services[SERVICE]!;
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const db = connection.useDb(first.database, { useCache: true }).db!;
  const kafka = new Kafka({ clientId: `bench-${fleet.run}-rebuild`, brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  let relaunched: ServiceProcess | undefined;
  try {
    // 1. the template customer, folded by the service itself
    const templateId = `cus-${randomUUID()}`;
    const story = customerStory(templateId);
    const probe = new KafkaProbe({ topicPrefix: fleet.topicPrefix });
    for (const { topic, envelope } of story) await probe.publishEnvelope(topic, envelope);
    await probe.stop();
    const firstAgent = client(first.url, 'dev-agent');
    await eventually(async () => (await firstAgent.get(`/customers/${templateId}/history`)).body?.timeline?.length === story.length, 'the template history', { timeoutMs: 120_000, intervalMs: 200 });
    const storyIds = [...new Set(JSON.stringify(story).match(UUID) ?? [])];
    const template = await documentsNaming(db, storyIds);
    await fleet.stop();

    // 2. copies on the topics and in the live view
    const copy = copier(storedText({ story, documents: template }));
    const customers = [templateId];
    const total = Math.max(1, Math.ceil(EVENTS / story.length));
    const producer = kafka.producer();
    await producer.connect();
    const seedStarted = nowMs();
    let produced = story.length;
    while (customers.length < total) {
      const byTopic = new Map<string, Message[]>();
      const documents: StoredDocument[] = [];
      for (let n = 0; n < BATCH && customers.length < total; n++) {
        const copied = parseStored<{ story: TopicEvent[]; documents: StoredDocument[] }>(copy());
        customers.push(String((copied.story[0]!.envelope.data as { customerId: string }).customerId));
        if (customers.length <= LIVE_CUSTOMERS) documents.push(...copied.documents);
        for (const { topic, envelope } of copied.story) {
          const name = `${fleet.topicPrefix}${topic}`;
          const messages = byTopic.get(name) ?? [];
          messages.push({ key: envelope.streamId, value: JSON.stringify(envelope) });
          byTopic.set(name, messages);
          produced++;
        }
      }
      await Promise.all([producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }), documents.length > 0 ? insertByCollection(db, documents) : undefined]);
      if (customers.length % (BATCH * 100) === 0) console.log(`[rebuild] seeded ${customers.length} of ${total} customers (${produced} events) in ${((nowMs() - seedStarted) / 1000).toFixed(0)} s`);
    }
    await producer.disconnect();
    const seededIn = (nowMs() - seedStarted) / 1000;
    const admin = kafka.admin();
    await admin.connect();
    // the topics' ends as numbers (resetOffsets commits "latest" as -1, which a consumer reads as no offset: from the start)
    for (const topic of new Set(story.map((event) => `${fleet.topicPrefix}${event.topic}`))) {
      const partitions = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
      for (const group of LIVE_GROUPS) await admin.setOffsets({ groupId: `${fleet.topicPrefix}${SERVICE}.${group}`, topic, partitions });
    }
    await admin.disconnect();
    console.log(`[rebuild] ${produced} events of ${customers.length} customers on the topics and their journals in the live view in ${seededIn.toFixed(0)} s`);

    // 3. the service again; a rebuild while the live view answers
    const port = Number(new URL(first.url).port);
    relaunched = launchService(SERVICE, port, { MONGO_DB: first.database, KAFKA_TOPIC_PREFIX: fleet.topicPrefix, QUEUE_PREFIX: fleet.queuePrefix, LOG_LEVEL: env['BENCH_LOG_LEVEL'] ?? 'warn' });
    await waitForHealth(relaunched, 120_000);
    const pid = relaunched.process.pid;
    const agent = client(relaunched.url, 'dev-agent');
    const adminClient = client(relaunched.url, 'dev-admin');
    const before = await agent.get(`/customers/${customers[Math.min(LIVE_CUSTOMERS, customers.length) - 1]}/history`);
    if (before.status !== 200 || before.body.timeline.length !== story.length) throw new Error(`a seeded customer's history before the rebuild answered ${before.status}`);
    // what a generation holds per collection for every customer: the template's documents, once per customer
    const perCustomer = new Map<string, number>();
    for (const { collection } of template) if (collection.endsWith('_g1')) perCustomer.set(collection.slice(0, -3), (perCustomer.get(collection.slice(0, -3)) ?? 0) + 1);
    const loadBefore = load();
    const meter = cpuMeter({ [SERVICE]: pid });
    const asked = await adminClient.post('/rebuilds', { view: 'customer-history' });
    if (asked.status !== 202) throw new Error(`POST /rebuilds answered ${asked.status}: ${JSON.stringify(asked.body)}`);
    const rebuildId = String(asked.body.rebuildId);
    const began = nowMs();
    const beganUs = process.hrtime.bigint() / 1000n;
    let done = false;
    const reads: number[] = [];
    let failedReads = 0;
    const reader = (async () => {
      while (!done) {
        const id = customers[Math.floor(Math.random() * Math.min(LIVE_CUSTOMERS, customers.length))]!;
        const started = nowMs();
        const answer = await agent.get(`/customers/${id}/history`);
        reads.push(nowMs() - started);
        if (answer.status !== 200 || answer.body.timeline?.length !== story.length) failedReads++;
        await sleep(READ_EVERY_MS);
      }
    })();
    let progress: Progress = asked.body as Progress;
    let peakHeap = 0;
    let lastLog = nowMs();
    const loads: string[] = [];
    while ((progress.status === 'RUNNING') && nowMs() - began < MAX_S * 1000) {
      await sleep(1000);
      progress = (await adminClient.get(`/rebuilds/${rebuildId}`)).body as Progress;
      // /metrics is Prometheus text (the JSON client reads no body from it)
      const metrics = await fetch(`${relaunched.url}/metrics`, { headers: { authorization: 'Bearer dev-admin' } }).then((answer) => answer.text()).catch(() => '');
      const heap = /^nodejs_heap_size_used_bytes\s+(\d+)/m.exec(metrics)?.[1];
      if (heap) peakHeap = Math.max(peakHeap, Number(heap));
      if (nowMs() - lastLog > 10_000) {
        lastLog = nowMs();
        loads.push(load());
        const seconds = (nowMs() - began) / 1000;
        console.log(`[rebuild] ${seconds.toFixed(0)} s: ${progress.eventsReplayed} replayed (${(progress.eventsReplayed / seconds).toFixed(0)}/s), lag ${progress.lag}, RSS ${procStatusKb(pid, 'VmRSS') / 1024 | 0} MB, load ${loads[loads.length - 1]}`);
      }
    }
    done = true;
    await reader;
    const elapsed = (nowMs() - began) / 1000;
    // the clock CPU profiles (SERVICE_NODE_ARGS=--cpu-prof) time their samples by: cut a profile to the rebuild with it
    console.log(`[rebuild] service pid ${pid}; the rebuild ran from ${beganUs} to ${process.hrtime.bigint() / 1000n} (monotonic µs)`);
    const cpu = meter();
    const peakRss = procStatusKb(pid, 'VmHWM') * 1024;
    const switched = progress.status === 'SWITCHED';
    const buildSeconds = switched && progress.switchedAt ? (Date.parse(progress.switchedAt) - Date.parse(progress.startedAt)) / 1000 : elapsed;
    const rate = progress.eventsReplayed / buildSeconds;

    // where the time went: the store commands the service sent (the whole process life; the rebuild is most of it)
    const metricsText = await fetch(`${relaunched.url}/metrics`, { headers: { authorization: 'Bearer dev-admin' } }).then((answer) => answer.text()).catch(() => '');
    const storeRows = new Map<string, { commands: number; seconds: number }>();
    for (const [, name, command, collection, value] of metricsText.matchAll(/^(store_commands_total|store_command_seconds_total)\{command="([^"]*)",collection="([^"]*)"\} (\S+)$/gm)) {
      const row = storeRows.get(`${command} ${collection}`) ?? { commands: 0, seconds: 0 };
      if (name === 'store_commands_total') row.commands = Number(value);
      else row.seconds = Number(value);
      storeRows.set(`${command} ${collection}`, row);
    }
    const byTime = [...storeRows].sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 12);
    console.log(`[rebuild] store commands of the service, by time spent waiting for them (per replayed event: ${fmt([...storeRows.values()].reduce((sum, row) => sum + row.commands, 0) / Math.max(1, progress.eventsReplayed))} commands):`);
    printTable(['command collection', 'commands', 'per event', 'seconds', 'ms each'], byTime.map(([key, row]) => [key, String(row.commands), fmt(row.commands / Math.max(1, progress.eventsReplayed)), fmt(row.seconds), fmt((row.seconds * 1000) / Math.max(1, row.commands))]));

    // 4. every customer in the rebuilt generation
    let wholeHistories = 0;
    const checked = 50;
    const compared: string[][] = [];
    if (switched) {
      const rebuiltCounts = await countsOf(db, `_g${progress.generation}`);
      for (const [name, count] of perCustomer) compared.push([name, String(count * customers.length), String(rebuiltCounts.get(name) ?? 0)]);
      for (let n = 0; n < checked; n++) {
        const answer = await agent.get(`/customers/${customers[Math.floor(Math.random() * customers.length)]}/history`);
        if (answer.status === 200 && answer.body.timeline.length === story.length) wholeHistories++;
      }
    }
    console.log(`[rebuild] ${progress.status}${progress.error ? ` (${progress.error})` : ''}: ${progress.eventsReplayed} of ${produced} events in ${buildSeconds.toFixed(0)} s, ${rate.toFixed(0)} events/s (target 5,000/s)`);
    printTable(
      ['events', 'customers', 'seeded in s', 'status', 'rebuild s', 'events/s', 'peak RSS', 'peak heap used', 'service CPU s', 'machine busy', 'reads', 'read p50 ms', 'read p99 ms', 'failed reads', 'whole histories'],
      [[
        String(produced),
        String(customers.length),
        seededIn.toFixed(0),
        progress.status,
        buildSeconds.toFixed(0),
        rate.toFixed(0),
        mb(peakRss),
        peakHeap > 0 ? mb(peakHeap) : '-',
        ((cpu.perProcess[SERVICE] ?? Number.NaN) / 1000).toFixed(0),
        cpu.machineBusy === undefined ? '-' : `${(cpu.machineBusy * 100).toFixed(0)}%`,
        String(reads.length),
        fmt(median(reads)),
        fmt(percentile(reads, 0.99)),
        String(failedReads),
        switched ? `${wholeHistories} of ${checked}` : '-',
      ]],
    );
    if (compared.length > 0) {
      console.log('[rebuild] documents per collection of the rebuilt generation, and as many as the template customer has, times the customers:');
      printTable(['collection', 'expected', 'rebuilt'], compared);
    }
    const oneMinute = loads.map((each) => Number(each.split(',')[0]));
    console.log(`[rebuild] load average before: ${loadBefore}; during (1 min, sampled every 10 s): ${oneMinute.length > 0 ? `${Math.min(...oneMinute).toFixed(1)} to ${Math.max(...oneMinute).toFixed(1)}` : '-'}; after: ${load()}`);
  } finally {
    await relaunched?.stop();
    await fleet.stop();
    await connection.close();
    await cleanUp(fleet);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
