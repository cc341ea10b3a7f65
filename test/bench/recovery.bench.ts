/**
 * Recovery after SIGKILL, per service: prints, never asserts (`npm run bench -- recovery`).
 *
 * For each service (or those named in BENCH_RECOVERY_SERVICES, comma-separated), one after the
 * other: starts it as a real process with the test kit's launcher on names of the bench's own, waits
 * until /health lists all its consumer groups `running` (each group then has a member the kill leaves
 * behind), kills it with SIGKILL, starts it again at once on the same port and names (the supervisor
 * of `npm start` waits 1 s more) and times from that spawn:
 * - until HTTP answers (`GET /health` 200, `degraded` while a group is joining);
 * - until a command sent then has answered (orders: POST /campaigns, an append; payments: POST
 *   /cards, the card vault);
 * - until /health lists every consumer group `running` again (the dead member's session, 30 s,
 *   has expired and the group has rebalanced).
 * Before the groups joined in the background, the start waited for them before listening: HTTP
 * answered only when the last column says (29-64 s measured). `SERVICE_RUNTIME=dist` (after
 * `npm run build`) runs the compiled JavaScript, as `npm start` and the image do; without it the
 * services run from the sources with ts-node, which spends seconds loading modules.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { freePort, launchService, processExited, ServiceProcess } from '@continuum/testing';
import { fmt, nowMs, printTable, sleep } from './support/stats';

const SERVICES = (process.env['BENCH_RECOVERY_SERVICES'] ?? 'orders,payments,fulfillment,subscriptions,projections').split(',').filter(Boolean);
const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

type Health = { status: string; consumers?: Record<string, string> };

async function health(service: ServiceProcess): Promise<{ status: number; body: Health } | undefined> {
  try {
    const response = await fetch(`${service.url}/health`);
    return { status: response.status, body: (await response.json()) as Health };
  } catch {
    return undefined; // not listening (yet)
  }
}

/** A command per service, sent as soon as HTTP answers after the restart: orders appends a campaign, payments tokenises a card (its vault, which every card order calls). */
const COMMANDS: Record<string, { path: string; key: string; body: unknown }> = {
  orders: {
    path: '/campaigns',
    key: 'dev-admin',
    body: { name: 'Recovery Bench', currency: 'USD', qaRate: 0, products: [{ sku: 'REC-1', name: 'Recovery bottle', price: 1999, shippingPrice: 0, billingType: 'STRAIGHT' }] },
  },
  payments: { path: '/cards', key: 'dev-service', body: { number: '4111111111111111', expMonth: 12, expYear: 2040, cvv: '123' } },
};

async function command(service: ServiceProcess): Promise<number> {
  const sent = COMMANDS[service.name]!;
  const response = await fetch(`${service.url}${sent.path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sent.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(sent.body),
  });
  await response.text();
  return response.status;
}

const allRunning = (body: Health): boolean => Object.values(body.consumers ?? {}).every((state) => state === 'running');

/** Polls /health every 50 ms until `done` holds; resolves with ms since `from`. */
async function until(service: ServiceProcess, from: number, done: (answer: { status: number; body: Health }) => boolean, what: string, deadlineMs = 180_000): Promise<number> {
  for (;;) {
    const answer = await health(service);
    if (answer && done(answer)) return nowMs() - from;
    if (service.process.exitCode !== null) throw new Error(`${service.name} exited while waiting for ${what}; output:\n${service.output.join('')}`);
    if (nowMs() - from > deadlineMs) throw new Error(`${service.name}: no ${what} within ${deadlineMs} ms; last /health ${JSON.stringify(answer)}`);
    await sleep(50);
  }
}

async function measure(name: string, run: string): Promise<string[]> {
  const env = {
    MONGO_DB: `bench_${run}_${name}`,
    KAFKA_TOPIC_PREFIX: `bench-${run}.`,
    QUEUE_PREFIX: `bench-${run}`,
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
  };
  const port = await freePort();
  let service = launchService(name, port, env);
  try {
    const spawned = nowMs();
    const firstStart = await until(service, spawned, (answer) => answer.status === 200 && allRunning(answer.body), 'healthy start with every group running');
    const groups = Object.keys((await health(service))?.body.consumers ?? {}).length;
    service.process.kill('SIGKILL');
    await processExited(service.process);
    const restarted = nowMs();
    service = launchService(name, port, env);
    const http = await until(service, restarted, (answer) => answer.status === 200, 'HTTP 200 on /health');
    let commanded = '-';
    if (COMMANDS[name]) {
      const status = await command(service);
      if (status !== 201) throw new Error(`${name}: POST ${COMMANDS[name]!.path} answered ${status} after the restart`);
      commanded = fmt((nowMs() - restarted) / 1000);
    }
    const joiningAtHttp = Object.values((await health(service))?.body.consumers ?? {}).filter((state) => state !== 'running').length;
    const consumers = await until(service, restarted, (answer) => answer.status === 200 && allRunning(answer.body), 'every consumer group running');
    console.log(`[recovery] ${name}: HTTP after ${fmt(http / 1000)} s, consumers after ${fmt(consumers / 1000)} s`);
    return [name, String(groups), fmt(firstStart / 1000), fmt(http / 1000), commanded, `${joiningAtHttp} of ${groups}`, fmt(consumers / 1000)];
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const rows: string[][] = [];
  try {
    for (const name of SERVICES) rows.push(await measure(name, run));
  } finally {
    const connection = await mongoose.createConnection(MONGO_URL).asPromise();
    for (const name of SERVICES) await connection.useDb(`bench_${run}_${name}`).dropDatabase().catch(() => undefined);
    await connection.close();
  }
  console.log('');
  const runtime = process.env['SERVICE_RUNTIME'] === 'dist' ? 'compiled JavaScript (SERVICE_RUNTIME=dist), as npm start and the image run it' : 'ts-node from the sources';
  console.log(`Recovery after SIGKILL, restarted at once, ${runtime}; seconds from the restart:`);
  printTable(['service', 'groups', 'first start', 'HTTP 200', 'a command answered', 'groups joining then', 'all groups running'], rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
