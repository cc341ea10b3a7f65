import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Reads the .cpuprofile files `node --cpu-prof` writes (V8's JSON: a call tree of nodes, and a
// sample per tick naming the node that was on top) and says where the time went: the functions by
// self time, and the parts of the code (kafkajs, the mongodb driver, bson, pino, Nest, our platform,
// our domain, ...) by self and by total time. Only samples taken inside a window are counted, so a
// profile of the whole process life can be cut down to the measured stretch of a bench.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** microseconds on the machine's monotonic clock (the one process.hrtime reads) */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  /** microseconds from the previous sample (the first: from startTime) */
  readonly timeDeltas: readonly number[];
}

/** A stretch of the monotonic clock, in microseconds (`process.hrtime.bigint() / 1000n`). */
export interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

export interface FunctionCost {
  /** `name (file:line)` */
  readonly name: string;
  readonly part: string;
  readonly selfMs: number;
}

export interface PartCost {
  readonly part: string;
  /** time with this part's code on top of the stack */
  readonly selfMs: number;
  /** time with this part's code anywhere on the stack (counted once per sample) */
  readonly totalMs: number;
}

export interface ProfileSummary {
  /** sampled ms inside the window, idle excluded */
  readonly busyMs: number;
  readonly functions: readonly FunctionCost[];
  readonly parts: readonly PartCost[];
}

/** The part of the system a frame's code belongs to, from its file. */
export function partOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') {
    if (frame.functionName === '(garbage collector)') return 'gc';
    if (frame.functionName === '(program)' || frame.functionName === '(idle)' || frame.functionName === '(root)') return frame.functionName.slice(1, -1);
    return 'v8 builtins';
  }
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    const name = modules[1]!;
    if (name.startsWith('@nestjs/') || name === 'rxjs' || name === 'reflect-metadata') return 'nest';
    if (name === 'mongodb' || name === 'mongoose') return 'mongodb driver';
    if (name === 'pino' || name === 'pino-http' || name === 'nestjs-pino' || name === 'pino-std-serializers' || name === 'sonic-boom' || name === 'fast-redact') return 'pino';
    if (name === 'express' || name === 'body-parser' || name === 'router' || name === 'finalhandler' || name === 'raw-body') return 'express';
    if (name === 'ioredis' || name === 'bullmq') return 'redis/bullmq';
    if (name === 'ajv' || name === 'ajv-formats') return 'ajv';
    if (name === 'class-validator' || name === 'class-transformer') return 'class-validator';
    if (name === 'prom-client') return 'prom-client';
    if (name === 'ts-node' || name === 'typescript' || name === 'tsconfig-paths') return 'ts-node';
    return name; // kafkajs, bson, lru-cache, ...
  }
  const ours = /\/(libs|services)\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (ours) {
    if (ours[1] === 'libs') return ours[2] === 'platform' ? `platform/${ours[3]!.replace(/\.[jt]s$/, '')}` : `libs/${ours[2]}`;
    return ours[3] === 'domain' ? `${ours[2]} domain` : `${ours[2]} (not domain)`;
  }
  return 'other';
}

function frameName(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(node_modules|libs|services)\//, '$1/').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} (${file || 'native'}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
}

/** Where a profile's time went, counting the samples inside `window` (all of them without one). */
export function summarise(profile: CpuProfile, window?: Window): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const partOfNode = new Map(profile.nodes.map((node) => [node.id, partOf(node.callFrame)]));
  const selfByFunction = new Map<string, { part: string; us: number }>();
  const selfByPart = new Map<string, number>();
  const totalByPart = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    // a sample stands for the time until the next one
    const us = Math.max(0, i + 1 < profile.samples.length ? profile.timeDeltas[i + 1]! : 0);
    const id = profile.samples[i]!;
    const top = byId.get(id);
    if (!top) continue;
    const part = partOfNode.get(id)!;
    if (part === 'idle') continue;
    busyUs += us;
    const name = frameName(top.callFrame);
    const entry = selfByFunction.get(name) ?? { part, us: 0 };
    entry.us += us;
    selfByFunction.set(name, entry);
    selfByPart.set(part, (selfByPart.get(part) ?? 0) + us);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) seen.add(partOfNode.get(node)!);
    for (const each of seen) totalByPart.set(each, (totalByPart.get(each) ?? 0) + us);
  }
  return {
    busyMs: busyUs / 1000,
    functions: [...selfByFunction.entries()].map(([name, { part, us }]) => ({ name, part, selfMs: us / 1000 })).sort((a, b) => b.selfMs - a.selfMs),
    parts: [...new Set([...selfByPart.keys(), ...totalByPart.keys()])]
      .filter((part) => part !== 'root')
      .map((part) => ({ part, selfMs: (selfByPart.get(part) ?? 0) / 1000, totalMs: (totalByPart.get(part) ?? 0) / 1000 }))
      .sort((a, b) => b.totalMs - a.totalMs),
  };
}

/** The .cpuprofile files in a directory, by the pid node put in each name (`CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile`). */
export function profilesIn(dir: string): Map<number, CpuProfile> {
  const found = new Map<number, CpuProfile>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const pid = Number(file.split('.')[3]);
    found.set(pid, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
  }
  return found;
}

/**
 * Node options that make each service the test kit launches write a CPU profile into `dir` when it
 * stops (SIGTERM or SIGINT: see exit-on-signal.js). Set as SERVICE_NODE_ARGS before the services start.
 */
export function profilingNodeArgs(dir: string): string {
  return `-r ${join(__dirname, 'exit-on-signal.js')} --cpu-prof --cpu-prof-dir=${dir}`;
}

/** Now on the clock the profiles' sample times use, in microseconds. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Prints, per service, the top functions by self time and the parts of the code by self and total
 * time: as shares of the samples taken in the window (idle left out), and as CPU ms per order when
 * `cpuMsPerOrder` gives the service's measured CPU (its share of that: sampled time alone counts the
 * time the process waited for a core on a busy machine). A service whose profile is missing is named.
 */
export function printProfiles(
  dir: string,
  pids: Record<string, number | undefined>,
  window: Window,
  orders: number,
  print: (header: readonly string[], rows: readonly (readonly string[])[]) => void,
  cpuMsPerOrder: Record<string, number | undefined> = {},
  top = 15,
  /** what `orders` counts: 'order' (default), or 'second' for a stretch of time */
  unitName = 'order',
): void {
  const profiles = profilesIn(dir);
  for (const [service, pid] of Object.entries(pids)) {
    const profile = pid === undefined ? undefined : profiles.get(pid);
    if (!profile) {
      console.log(`[profile] ${service}: no profile in ${dir} (pid ${pid})`);
      continue;
    }
    const summary = summarise(profile, window);
    const cpu = cpuMsPerOrder[service];
    const sampledPerOrder = summary.busyMs / orders;
    console.log(`[profile] ${service}: ${sampledPerOrder.toFixed(1)} sampled ms per ${unitName} (not idle)${cpu === undefined ? '' : `, ${cpu.toFixed(1)} CPU ms per ${unitName} measured`}`);
    const shareOf = (ms: number) => ms / Math.max(summary.busyMs, 1e-9);
    const share = (ms: number) => `${(shareOf(ms) * 100).toFixed(1)} %`;
    const perOrder = (ms: number) => (cpu === undefined ? (ms / orders).toFixed(2) : (shareOf(ms) * cpu).toFixed(2));
    const unit = cpu === undefined ? `sampled ms/${unitName}` : `CPU ms/${unitName}`;
    print(
      [`${service}: function (self time)`, 'part', 'share', unit],
      summary.functions.slice(0, top).map((f) => [f.name.slice(0, 110), f.part, share(f.selfMs), perOrder(f.selfMs)]),
    );
    print(
      [`${service}: part of the code`, 'self', unit, 'total', unit],
      summary.parts.filter((p) => p.totalMs >= summary.busyMs * 0.005).map((p) => [p.part, share(p.selfMs), perOrder(p.selfMs), share(p.totalMs), perOrder(p.totalMs)]),
    );
  }
}
