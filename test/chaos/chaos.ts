// One chaos run, used by `npm run chaos` (chaos.cli.ts, a few hundred orders, every fault) and by the
// short version in `npm test` (chaos.int-spec.ts, tens of orders): a stack of its own on other ports,
// two instances of every service, a steady load of card, COD and recurring orders from a retrying
// client while the faults are applied one by one, then the checks (checks.ts) and the dead-letter
// topics. See docs/operations.md, "Chaos run".
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CONTEXTS, dlqTopicFor } from '@continuum/contracts';
import { KafkaProbe } from '@continuum/testing';
import { Agents, OrderVerdict, settle } from './checks';
import { FaultResult, parseFaults, runFaults, shortFaults } from './faults';
import { ChaosFleet, startFleet } from './fleet';
import { Catalog, createCatalog, interleave, newOrder, orderBody, OrderKind, placeOrder, PlacedOrder, RetryOptions, runLoad } from './load';
import { CHAOS_PORTS, ChaosStack, ChaosStackPorts } from './stack';

export interface ChaosOptions {
  /** orders of the steady load (CHAOS_ORDERS) */
  readonly orders: number;
  /** orders per second (CHAOS_RATE) */
  readonly ratePerSecond: number;
  /** the faults in order (CHAOS_FAULTS: all, short or a list; see faults.ts) */
  readonly faults: readonly string[];
  /** pause before each fault, ms (CHAOS_FAULT_GAP_MS) */
  readonly gapMs: number;
  /** how long the store stays down, ms (CHAOS_STORE_DOWN_MS) */
  readonly storeDownMs: number;
  /** how long the checks may wait for the services to catch up after the load, ms (CHAOS_SETTLE_MS) */
  readonly settleMs: number;
  /** how long the client retries one order, ms (CHAOS_RETRY_BUDGET_MS) */
  readonly retryBudgetMs: number;
  readonly ports: ChaosStackPorts;
  /** the stack's state folder (CHAOS_STACK_STATE) */
  readonly state: string;
  /** the services' LOG_LEVEL */
  readonly logLevel: string;
  /** progress lines */
  readonly log: (line: string) => void;
}

export interface ChaosReport {
  readonly faults: FaultResult[];
  readonly orders: PlacedOrder[];
  readonly verdicts: OrderVerdict[];
  readonly deadLetters: { topic: string; key: string | null; reason: string }[];
  /** one line per thing that does not hold, naming the order ids (empty: the run passed) */
  readonly failures: string[];
  readonly seconds: number;
}

const root = join(__dirname, '..', '..');

const number = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${text}'`);
  return value;
};

/** The options of a run from CHAOS_* variables, `defaults` for the ones not set. */
export function chaosOptions(env: NodeJS.ProcessEnv, defaults: Partial<ChaosOptions> = {}): ChaosOptions {
  return {
    orders: Math.floor(number(env, 'CHAOS_ORDERS', defaults.orders ?? 300)),
    ratePerSecond: number(env, 'CHAOS_RATE', defaults.ratePerSecond ?? 1),
    faults: parseFaults(env['CHAOS_FAULTS'], () => [...(defaults.faults ?? shortFaults())]),
    gapMs: number(env, 'CHAOS_FAULT_GAP_MS', defaults.gapMs ?? 10_000),
    storeDownMs: number(env, 'CHAOS_STORE_DOWN_MS', defaults.storeDownMs ?? 10_000),
    settleMs: number(env, 'CHAOS_SETTLE_MS', defaults.settleMs ?? 180_000),
    retryBudgetMs: number(env, 'CHAOS_RETRY_BUDGET_MS', defaults.retryBudgetMs ?? 180_000),
    ports: defaults.ports ?? CHAOS_PORTS,
    state: env['CHAOS_STACK_STATE'] || defaults.state || join(root, '.stack', 'chaos'),
    logLevel: env['CHAOS_LOG_LEVEL'] || defaults.logLevel || 'warn',
    log: defaults.log ?? ((line) => console.log(`[chaos] ${line}`)),
  };
}

async function deadLettersOf(fleet: ChaosFleet, brokers: string[]): Promise<ChaosReport['deadLetters']> {
  const kafka = new Kafka({ clientId: 'chaos-dlq', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  await admin.disconnect();
  const topics = CONTEXTS.map(dlqTopicFor).filter((topic) => existing.has(`${fleet.topicPrefix}${topic}`));
  if (topics.length === 0) return [];
  const probe = new KafkaProbe({ topicPrefix: fleet.topicPrefix, deadLetters: topics, brokers });
  try {
    await probe.start();
    await probe.caughtUp({ timeoutMs: 60_000 });
    return probe.deadLetters.map((letter) => ({ topic: letter.source?.topic ?? '?', key: letter.key, reason: `${letter.reason}: ${letter.error?.message ?? ''}`.slice(0, 300) }));
  } finally {
    await probe.stop();
  }
}

/** Runs the whole thing; the stack and the services are stopped whatever happens. */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const began = Date.now();
  const log = (line: string) => options.log(`+${Math.round((Date.now() - began) / 1000)} s ${line}`);
  const stack = new ChaosStack(options.ports, options.state);
  let fleet: ChaosFleet | undefined;
  try {
    log(`starting a stack of its own (kafka 127.0.0.1:${options.ports.kafka}, mongodb :${options.ports.mongo}, redis :${options.ports.redis}; state ${options.state})`);
    await stack.up();
    log('starting two instances of every service');
    fleet = await startFleet(stack.clientEnv(), options.logLevel);
    const running = fleet;
    const agents: Agents = {
      orders: running.agent('orders'),
      payments: running.agent('payments'),
      fulfillment: running.agent('fulfillment'),
      subscriptions: running.agent('subscriptions'),
      projections: running.agent('projections'),
    };
    const retry: RetryOptions = { budgetMs: options.retryBudgetMs, requestTimeoutMs: 20_000 };
    log('every instance healthy');
    const catalog: Catalog = await createCatalog(agents.orders, retry);
    const placed: PlacedOrder[] = [];

    const probeOrder = async (label: string) => {
      const order = newOrder(placed.length, 'card', true);
      placed.push(order);
      await placeOrder(agents.orders, order, orderBody('card', catalog), retry);
      if (order.outcome !== 'accepted') throw new Error(`the probe order ${label} was not accepted: ${order.reason}`);
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const answer = await agents.orders.get(`/orders/${order.orderId}`).timeout(15_000).catch(() => undefined);
        if (answer?.body?.status === 'COMPLETE') return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`the probe order ${order.orderId} ${label} was not COMPLETE within 120 s`);
    };

    log(`placing ${options.orders} orders at ${options.ratePerSecond}/s; faults: ${options.faults.join(', ')}`);
    const pacing = interleave(options.orders, options.faults.length);
    const [, faults] = await Promise.all([
      runLoad(agents.orders, catalog, options.orders, options.ratePerSecond, retry, placed, pacing.load).then(() => log('every order of the load has an answer')),
      runFaults({ fleet: running, stack, probeOrder, storeDownMs: options.storeDownMs, restartDelayMs: 1_000 }, options.faults, options.gapMs, log, pacing),
    ]);
    log(`load and faults done; checking every accepted order (up to ${options.settleMs / 1000} s)`);
    const verdicts = await settle(agents, placed, options.settleMs);
    log(`checked: ${verdicts.filter((v) => v.problems.length === 0).length} of ${verdicts.length} orders hold; reading the dead-letter topics`);
    const deadLetters = await deadLettersOf(running, [stack.clientEnv()['KAFKA_BROKERS']!]);

    const failures: string[] = [];
    for (const order of placed.filter((o) => o.outcome !== 'accepted')) {
      failures.push(`order #${order.index} (${order.kind}, Idempotency-Key ${order.key}) ${order.outcome}: ${order.reason}`);
    }
    for (const verdict of verdicts.filter((v) => v.problems.length > 0)) {
      failures.push(`order ${verdict.order.orderId} (${verdict.order.kind}): ${verdict.problems.join('; ')}`);
    }
    for (const letter of deadLetters) failures.push(`dead letter from ${letter.topic} (key ${letter.key}): ${letter.reason}`);
    for (const fault of faults.filter((f) => f.error !== undefined)) failures.push(`fault ${fault.fault} failed: ${fault.error}`);
    return { faults, orders: placed, verdicts, deadLetters, failures, seconds: Math.round((Date.now() - began) / 1000) };
  } finally {
    await fleet?.stop().catch(() => undefined);
    await stack.down().catch((error) => log(`stopping the chaos stack failed: ${String(error)}`));
  }
}

const pad = (cells: (string | number)[], widths: number[]) => cells.map((cell, i) => String(cell).padEnd(widths[i]!)).join('  ');

function table(header: string[], rows: (string | number)[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  return [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((row) => pad(row, widths))].join('\n');
}

/** The report as text: faults and their recovery, orders by kind and outcome, then what failed. */
export function formatReport(report: ChaosReport): string {
  const faults = table(
    ['fault', 'fault ms', 'recovery ms', 'recovery is'],
    report.faults.map((f) => [f.fault, f.durationMs, f.recoveryMs ?? 'FAILED', f.error ? `${f.measured}: ${f.error.split('\n')[0]}` : f.measured]),
  );
  const kinds: OrderKind[] = ['card', 'cod', 'recurring'];
  const verdictOf = new Map(report.verdicts.map((v) => [v.order, v]));
  const orders = table(
    ['kind', 'placed', 'accepted', 'refused', 'gave up', 'all checks hold', 'failing', 'retries (conn/5xx/409)'],
    kinds.map((kind) => {
      const of = report.orders.filter((o) => o.kind === kind);
      const checked = of.map((o) => verdictOf.get(o)).filter((v): v is OrderVerdict => v !== undefined);
      const retries = of.reduce((sum, o) => [sum[0]! + o.retries.connection, sum[1]! + o.retries.server, sum[2]! + o.retries.inProgress], [0, 0, 0]);
      return [
        kind,
        of.length,
        of.filter((o) => o.outcome === 'accepted').length,
        of.filter((o) => o.outcome === 'refused').length,
        of.filter((o) => o.outcome === 'gave-up').length,
        checked.filter((v) => v.problems.length === 0).length,
        checked.filter((v) => v.problems.length > 0).length,
        retries.join('/'),
      ];
    }),
  );
  const statuses = new Map<string, number>();
  for (const verdict of report.verdicts) statuses.set(verdict.status ?? 'unknown', (statuses.get(verdict.status ?? 'unknown') ?? 0) + 1);
  const lines = [
    faults,
    '',
    orders,
    `orders by status: ${[...statuses].map(([status, n]) => `${status} ${n}`).join(', ') || 'none'}; dead letters: ${report.deadLetters.length}; ${report.seconds} s in all`,
  ];
  if (report.failures.length > 0) lines.push('', `FAILED (${report.failures.length}):`, ...report.failures.map((f) => `  ${f}`));
  else lines.push('', 'PASSED: every accepted order terminal, charged once for its total, fulfilled, its purchase and history there; no dead letter');
  return lines.join('\n');
}
