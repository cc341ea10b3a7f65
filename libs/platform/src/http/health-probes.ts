/**
 * One dependency /health checks: `check` resolves when it is usable and rejects otherwise, e.g.
 * `{ name: 'redis', check: async () => void (await redis.ping()) }`.
 */
export interface HealthProbe {
  readonly name: string;
  readonly check: () => Promise<void>;
}

/**
 * Injection token of the service's `HealthProbe[]`. Provide it anywhere in the service's modules
 * (`{ provide: HEALTH_PROBES, useFactory: (kafka, mongo, redis) => [...], inject: [...] }`);
 * without it /health reports ok with no checks.
 */
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

export interface HealthReport {
  readonly status: 'ok' | 'down';
  readonly checks: Readonly<Record<string, 'up' | 'down'>>;
  /** Why each failing check failed. */
  readonly errors?: Readonly<Record<string, string>>;
}

function withTimeout(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(check), timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe at once, each bounded by `timeoutMs`; one failing probe makes the report down. */
export async function runHealthProbes(probes: readonly HealthProbe[], timeoutMs = 3000): Promise<HealthReport> {
  const outcomes = await Promise.allSettled(probes.map((probe) => withTimeout(probe.check, timeoutMs)));
  const checks: Record<string, 'up' | 'down'> = {};
  const errors: Record<string, string> = {};
  outcomes.forEach((outcome, index) => {
    const name = probes[index].name;
    checks[name] = outcome.status === 'fulfilled' ? 'up' : 'down';
    if (outcome.status === 'rejected') errors[name] = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
  });
  const down = Object.keys(errors).length > 0;
  return down ? { status: 'down', checks, errors } : { status: 'ok', checks };
}
