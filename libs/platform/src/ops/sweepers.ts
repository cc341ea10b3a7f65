/** The last run of one sweeper, as `GET /ops` shows it. */
export interface SweeperRun {
  readonly name: string;
  /** when its last run ended (ISO-8601), null before its first run in this process */
  readonly lastRunAt: string | null;
  /** what the last run reported (`{ ok: true, ... }`) or why it failed (`{ ok: false, error }`); null before it ran */
  readonly lastResult: SweeperResult | null;
  /** runs since this process started, by outcome */
  readonly runs: { readonly ok: number; readonly failed: number };
}

export type SweeperResult = ({ readonly ok: true } & Readonly<Record<string, unknown>>) | { readonly ok: false; readonly error: string };

/** What a sweeper calls after each run. */
export interface SweeperReport {
  /** a run that went through, with what it did; `at` defaults to the registry's clock */
  ran(summary?: Readonly<Record<string, unknown>>, at?: Date): void;
  /** a run that failed, with why */
  failed(error: unknown, at?: Date): void;
}

/**
 * The sweepers of one service process (the retention cleanup, a service's own sweeps) and their
 * last runs: each registers once by name and reports every run; `GET /ops` lists them and
 * `/metrics` counts their runs by outcome. In memory: each instance knows its own runs.
 */
export class SweeperRegistry {
  private readonly sweepers = new Map<string, SweeperRun>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Registers a sweeper (listed with no run yet) and answers what it reports its runs to. */
  register(name: string): SweeperReport {
    if (!this.sweepers.has(name)) this.sweepers.set(name, { name, lastRunAt: null, lastResult: null, runs: { ok: 0, failed: 0 } });
    const record = (at: Date, lastResult: SweeperResult): void => {
      const before = this.sweepers.get(name)!;
      const runs = lastResult.ok ? { ...before.runs, ok: before.runs.ok + 1 } : { ...before.runs, failed: before.runs.failed + 1 };
      this.sweepers.set(name, { name, lastRunAt: at.toISOString(), lastResult, runs });
    };
    return {
      ran: (summary = {}, at = this.clock()) => record(at, { ...summary, ok: true }),
      failed: (error, at = this.clock()) => record(at, { ok: false, error: error instanceof Error ? error.message : String(error) }),
    };
  }

  /** Every registered sweeper, by name. */
  list(): SweeperRun[] {
    return [...this.sweepers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
