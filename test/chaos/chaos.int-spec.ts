// The short chaos run inside `npm test`: the same code as `npm run chaos` (test/chaos/chaos.ts) with
// tens of orders and three faults (an orders instance killed with SIGKILL, Kafka killed and restarted,
// the store stopped for 10 s), on a stack of its own on ports that neither
// the default stack nor `npm run chaos` use. The checks are the full run's: every
// accepted order terminal, charged once for its total, fulfilled, its purchase and history there,
// no dead letter. No time bound is asserted; the recovery times and the run's progress are printed
// (CHAOS_PROGRESS=1: the progress as it happens, on stderr).
import { join } from 'node:path';
import { chaosOptions, ChaosReport, formatReport, runChaos } from './chaos';
import { CHAOS_SPEC_PORTS } from './stack';

/**
 * The faults of this run. `npm run chaos` (CHAOS_FAULTS=short or all) adds a payments instance killed and
 * Redis restarted; inside `npm test` those two have specs of their own that cost less
 * (test/start/payments-failover.int-spec.ts kills one of two payments instances mid-charge,
 * test/e2e/redis-restart.e2e-spec.ts restarts Redis under all five services), and they took 30 of
 * this run's 175 s.
 */
const FAULTS = ['kill:orders#1', 'kafka', 'store'];

describe('chaos (short): two instances of every service under load while a service instance, Kafka and the store fail', () => {
  let report: ChaosReport;
  const progress: string[] = [];

  beforeAll(async () => {
    const options = chaosOptions(
      {},
      {
        orders: 21,
        ratePerSecond: 0.25,
        faults: FAULTS,
        gapMs: 2_000,
        settleMs: 240_000,
        retryBudgetMs: 150_000,
        ports: CHAOS_SPEC_PORTS,
        state: join(__dirname, '..', '..', '.stack', 'chaos-spec'),
        log: (line) => {
          progress.push(line);
          if (process.env['CHAOS_PROGRESS']) process.stderr.write(`[chaos] ${line}\n`);
        },
      },
    );
    report = await runChaos(options);
    console.log(`${progress.join('\n')}\n\n${formatReport(report)}`);
    // a bound for a machine shared with much other work; with little else running it takes about 4 minutes
  }, 900_000);

  it('applies every fault and each one recovers', () => {
    expect(report.faults.map((f) => f.fault)).toEqual(FAULTS);
    expect(report.faults.filter((f) => f.error !== undefined || f.recoveryMs === undefined)).toEqual([]);
  });

  it('accepts every order the client placed (retrying with its Idempotency-Key), card, COD and recurring alike', () => {
    expect(report.orders.filter((o) => o.outcome !== 'accepted').map((o) => `${o.kind} ${o.key}: ${o.outcome} ${o.reason}`)).toEqual([]);
    expect(new Set(report.orders.map((o) => o.kind))).toEqual(new Set(['card', 'cod', 'recurring']));
  });

  it('ends every accepted order terminal, charged once for its total, fulfilled, with its purchase and history entry', () => {
    expect(report.verdicts).toHaveLength(report.orders.length);
    expect(report.verdicts.filter((v) => v.problems.length > 0).map((v) => `${v.order.orderId} (${v.order.kind}): ${v.problems.join('; ')}`)).toEqual([]);
  });

  it('dead-letters nothing', () => {
    expect(report.deadLetters).toEqual([]);
    expect(report.failures).toEqual([]);
  });
});
