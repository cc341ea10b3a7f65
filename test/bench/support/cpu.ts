import { readFileSync } from 'node:fs';

// CPU time from /proc (Linux): how much a process used, and how busy the whole machine was, over a
// stretch of a benchmark. Returns undefined where /proc is not there.

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU milliseconds (user + system) a process has used so far. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU ticks of the machine so far (all cores). */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idleAll = idle! + iowait!;
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, total: busy + idleAll };
  } catch {
    return undefined;
  }
}

/** Starts measuring; the returned function gives CPU ms per named process and the machine's busy share (0..1). */
export function cpuMeter(pids: Record<string, number | undefined>): () => { perProcess: Record<string, number | undefined>; machineBusy: number | undefined } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const machineBefore = machineTicks();
  return () => {
    const perProcess: Record<string, number | undefined> = {};
    for (const [name, pid] of Object.entries(pids)) {
      const now = processCpuMs(pid);
      perProcess[name] = now === undefined || before[name] === undefined ? undefined : now - before[name]!;
    }
    const machineNow = machineTicks();
    const machineBusy = machineNow && machineBefore ? (machineNow.busy - machineBefore.busy) / Math.max(1, machineNow.total - machineBefore.total) : undefined;
    return { perProcess, machineBusy };
  };
}
