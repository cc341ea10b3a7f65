/**
 * One dependency /health checks: `check` resolves when it is usable and rejects otherwise, e.g.
 * `{ name: 'redis', check: async () => void (await redis.ping()) }`.
 */
export interface HealthProbe {
  readonly name: string;
  readonly check: () => Promise<void>;
  /**
   * false: the service still works when this check fails, only worse (a view that lags): the
   * report says `degraded` (HTTP 200) instead of `down`. Default true.
   */
  readonly critical?: boolean;
}

/**
 * Injection token of the service's `HealthProbe[]`. Provide it anywhere in the service's modules
 * (`{ provide: HEALTH_PROBES, useFactory: (kafka, mongo, redis) => [...], inject: [...] }`);
 * without it /health reports ok with no checks.
 */
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

/** A consumer group as /health reports it: `running`, not yet (`joining`) or no more (`failed`). */
export type ConsumerHealth = 'running' | 'joining' | 'failed';

/**
 * Injection token of a `() => Record<groupId, ConsumerHealth>`: the service's started consumer
 * groups (ServicePlatformModule provides it from `Platform.consumerHealth`). /health lists them under
 * `consumers`; one that is not running makes a report that is not down `degraded` (HTTP 200): the
 * service takes commands, only its reactions to other services' events wait.
 */
export const HEALTH_CONSUMERS = Symbol('HEALTH_CONSUMERS');

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly checks: Readonly<Record<string, 'up' | 'degraded' | 'down'>>;
  /** Why each failing check failed. */
  readonly errors?: Readonly<Record<string, string>>;
  /** The service's consumer groups and whether each runs (absent when it has none). */
  readonly consumers?: Readonly<Record<string, ConsumerHealth>>;
}

function withTimeout(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(check), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every probe at once, each bounded by `timeoutMs`; one failing critical probe makes the report
 * down, a failing non-critical one (and no critical failure) makes it degraded.
 */
export async function runHealthProbes(probes: readonly HealthProbe[], timeoutMs = 3000): Promise<HealthReport> {
  const outcomes = await Promise.allSettled(probes.map((probe) => withTimeout(probe.check, timeoutMs)));
  const checks: Record<string, 'up' | 'degraded' | 'down'> = {};
  const errors: Record<string, string> = {};
  let down = false;
  outcomes.forEach((outcome, index) => {
    const probe = probes[index];
    const critical = probe.critical ?? true;
    checks[probe.name] = outcome.status === 'fulfilled' ? 'up' : critical ? 'down' : 'degraded';
    if (outcome.status === 'rejected') {
      errors[probe.name] = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      down ||= critical;
    }
  });
  if (down) return { status: 'down', checks, errors };
  return Object.keys(errors).length > 0 ? { status: 'degraded', checks, errors } : { status: 'ok', checks };
}

/**
 * The report with the service's consumer groups added under `consumers`; a group not running makes
 * an `ok` report `degraded` (a down one stays down: it is about the checks). No groups: unchanged.
 */
export function withConsumers(report: HealthReport, consumers: Readonly<Record<string, ConsumerHealth>>): HealthReport {
  if (Object.keys(consumers).length === 0) return report;
  const allRunning = Object.values(consumers).every((state) => state === 'running');
  return { ...report, status: report.status === 'ok' && !allRunning ? 'degraded' : report.status, consumers };
}
