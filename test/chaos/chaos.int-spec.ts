// The short chaos run inside `npm test`: the same code as `npm run chaos` (test/chaos/chaos.ts) with
// tens of orders and each fault type once (one instance of every service killed with SIGKILL, Kafka
// killed and restarted, Redis restarted, the store stopped for 10 s), on a stack of its own on ports
// that neither the default stack nor `npm run chaos` use. The checks are the full run's: every
// accepted order terminal, charged once for its total, fulfilled, its purchase and history there,
// no dead letter. No time bound is asserted; the recovery times are printed.
import { chaosOptions, ChaosReport, formatReport, runChaos } from './chaos';
import { shortFaults } from './faults';
import { CHAOS_SPEC_PORTS } from './stack';
import { join } from 'node:path';

describe('chaos (short): two instances of every service under load while each fault happens once', () => {
  let report: ChaosReport;

  beforeAll(async () => {
    const options = chaosOptions(
      {},
      {
        orders: 28,
        ratePerSecond: 0.2,
        faults: shortFaults(),
        gapMs: 3_000,
        settleMs: 120_000,
        retryBudgetMs: 150_000,
        ports: CHAOS_SPEC_PORTS,
        state: join(__dirname, '..', '..', '.stack', 'chaos-spec'),
        log: () => undefined,
      },
    );
    report = await runChaos(options);
    console.log(formatReport(report));
  }, 600_000);

  it('applies every fault and each one recovers', () => {
    expect(report.faults.map((f) => f.fault)).toEqual(shortFaults());
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
