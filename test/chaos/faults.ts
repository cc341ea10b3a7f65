// The faults of a chaos run, each applied once, one after the other with a pause between them:
//   kill:<service>#<n>  SIGKILL of one instance (1-based), started again on its port 1 s later as the
//                       supervisor of `npm start` does
//   kafka               the broker killed with SIGKILL, started again on its data
//   redis               Redis stopped (SIGTERM: it writes its append-only file) and started again
//   store               FerretDB stopped for 10 s (`storeDownMs`) and started again
// `all` is every instance of every service and the three stack faults; `short` each type once.
// Recovery is timed from the fault's end (the instance relaunched; the part of the stack answering
// again) to the first success of what it hit: the instance answering HTTP, or the first card order
// placed after the fault's end completing (it crosses HTTP, the store, Kafka and two services).
import { ChaosFleet, instancesOf, SERVICES, ServiceName } from './fleet';
import { ChaosStack } from './stack';

export interface FaultResult {
  readonly fault: string;
  /** from the start of the fault to its end (ms) */
  readonly durationMs: number;
  /** from its end to the first success of what it hit (ms); undefined when that did not come in time */
  readonly recoveryMs?: number;
  /** what recoveryMs measured */
  readonly measured: string;
  readonly error?: string;
}

export interface FaultContext {
  readonly fleet: ChaosFleet;
  readonly stack: ChaosStack;
  /** places a card order now and resolves when it is COMPLETE (or rejects when it is not in time) */
  readonly probeOrder: (label: string) => Promise<void>;
  readonly storeDownMs: number;
  /** the supervisor's pause before it starts a killed instance again */
  readonly restartDelayMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every fault a run can apply: each instance of each service killed, then the three stack faults, interleaved. */
export function allFaults(): string[] {
  const kills = SERVICES.flatMap((name) => Array.from({ length: instancesOf(name) }, (_, i) => `kill:${name}#${i + 1}`));
  const stack = ['kafka', 'redis', 'store'];
  const out: string[] = [];
  // a stack fault after every third kill, so they do not bunch up at one end of the run
  kills.forEach((kill, i) => {
    out.push(kill);
    if (i % 3 === 0 && stack.length > 0) out.push(stack.shift()!);
  });
  return [...out, ...stack];
}

/**
 * Each fault type once, the short run: SIGKILL of one instance of the two services every card order
 * crosses (payments' second, orders' first), Kafka, Redis and the store.
 */
export function shortFaults(): string[] {
  return ['kill:payments#2', 'kafka', 'kill:orders#1', 'redis', 'store'];
}

/** Parses CHAOS_FAULTS: `all`, `short`, or a comma-separated list of fault names. */
export function parseFaults(text: string | undefined, fallback: () => string[]): string[] {
  if (!text || text.trim() === '') return fallback();
  if (text.trim() === 'all') return allFaults();
  if (text.trim() === 'short') return shortFaults();
  const known = new Set(allFaults());
  const faults = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = faults.filter((f) => !known.has(f));
  if (unknown.length > 0) throw new Error(`CHAOS_FAULTS: unknown fault(s) ${unknown.join(', ')}; known: all, short, ${[...known].join(', ')}`);
  return faults;
}

async function timed(context: FaultContext, fault: string): Promise<FaultResult> {
  const began = Date.now();
  const kill = /^kill:(\w+)#(\d+)$/.exec(fault);
  if (kill) {
    const name = kill[1] as ServiceName;
    const index = Number(kill[2]) - 1;
    await context.fleet.kill(name, index);
    await sleep(context.restartDelayMs);
    const ended = Date.now();
    await context.fleet.restart(name, index);
    return { fault, durationMs: ended - began, recoveryMs: Date.now() - ended, measured: 'the instance answers HTTP' };
  }
  if (fault === 'kafka') {
    await context.stack.stop('kafka', true);
    await context.stack.start('kafka');
  } else if (fault === 'redis') {
    await context.stack.stop('redis');
    await context.stack.start('redis');
  } else if (fault === 'store') {
    await context.stack.stop('ferretdb');
    await sleep(context.storeDownMs);
    await context.stack.start('ferretdb');
  } else {
    throw new Error(`unknown fault ${fault}`);
  }
  const ended = Date.now();
  await context.probeOrder(`after ${fault}`);
  return { fault, durationMs: ended - began, recoveryMs: Date.now() - ended, measured: 'a card order placed after it is COMPLETE' };
}

/** Applies `faults` in turn, each `gapMs` after `pacing` lets it (see interleave in load.ts); a fault that fails is recorded and the run goes on. */
export async function runFaults(
  context: FaultContext,
  faults: readonly string[],
  gapMs: number,
  log: (line: string) => void = () => undefined,
  pacing: { beforeFault(k: number): Promise<void>; faultBegan(k: number): void } = { beforeFault: async () => undefined, faultBegan: () => undefined },
): Promise<FaultResult[]> {
  const results: FaultResult[] = [];
  for (const [k, fault] of faults.entries()) {
    await pacing.beforeFault(k);
    await sleep(gapMs);
    const began = Date.now();
    pacing.faultBegan(k);
    log(`fault ${fault}`);
    try {
      results.push(await timed(context, fault));
    } catch (error) {
      results.push({ fault, durationMs: Date.now() - began, measured: 'failed', error: String((error as Error).message ?? error).slice(0, 500) });
    }
    log(`fault ${fault}: ${results.at(-1)!.recoveryMs !== undefined ? `recovered in ${results.at(-1)!.recoveryMs} ms` : `FAILED ${results.at(-1)!.error}`}`);
  }
  return results;
}
