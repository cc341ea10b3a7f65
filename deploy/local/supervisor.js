// The process supervisor behind `npm start`: runs each service as a child process, learns its port from
// its "<service> listening" log line, waits until it answers /health, reports a service that exits
// (or never becomes healthy) loudly with the last lines of its log, and restarts an exited service
// with exponential backoff. `stop()` ends every child it started and resolves once they are gone.
'use strict';

const { spawn } = require('child_process');
const http = require('http');
const readline = require('readline');

const DEFAULTS = {
  /** a service that has not answered /health with 200 this long after its start is reported */
  startTimeoutMs: 120_000,
  /** first restart delay; doubles per consecutive crash up to maxBackoffMs */
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  /** a service that stayed healthy this long before exiting restarts after initialBackoffMs again */
  resetBackoffAfterMs: 60_000,
  /** how often /health is asked while a service starts */
  healthPollMs: 500,
  /** how many of a service's last log lines a report shows */
  tailLines: 30,
  /** how long a child gets after SIGTERM before SIGKILL */
  killAfterMs: 15_000,
};

/** The delay before restart number `attempt` (1-based): initial, 2x, 4x, ... capped at max. */
function restartDelay(attempt, { initialBackoffMs, maxBackoffMs }) {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(exponent, 30));
}

/** The port of a "<service> listening" JSON log line (pino), else undefined. */
function listeningPort(line, service) {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line);
    if (entry && entry.msg === `${service} listening` && Number.isInteger(entry.port)) return entry.port;
  } catch {
    // not JSON: an ordinary line
  }
  return undefined;
}

/** Keeps the last `size` lines. */
class Tail {
  constructor(size) {
    this.size = size;
    this.lines = [];
  }
  push(line) {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  text(indent = '    ') {
    return this.lines.length === 0 ? `${indent}(no output)` : this.lines.map((line) => `${indent}${line}`).join('\n');
  }
}

function httpGet(url, timeoutMs = 2_000) {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        if (body.length < 4_000) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
  });
}

class Supervisor {
  /**
   * @param {{ services: {name: string, command: string, args: string[], cwd?: string, env?: object}[],
   *           print?: (line: string) => void, printError?: (line: string) => void,
   *           onReady?: (services: {name: string, port: number, url: string}[]) => void } & Partial<typeof DEFAULTS>} options
   */
  constructor(options) {
    this.options = { ...DEFAULTS, ...options };
    this.print = options.print ?? ((line) => process.stdout.write(`${line}\n`));
    this.printError = options.printError ?? ((line) => process.stderr.write(`${line}\n`));
    this.stopping = false;
    this.readyReported = false;
    const width = Math.max(...options.services.map((service) => service.name.length));
    this.units = options.services.map((spec) => ({
      spec,
      prefix: `[${spec.name}]`.padEnd(width + 3),
      child: undefined,
      port: undefined,
      healthy: false,
      healthySince: undefined,
      startedAt: undefined,
      crashes: 0,
      restarts: 0,
      tail: new Tail(this.options.tailLines),
      timers: new Set(),
      lastHealth: undefined,
    }));
  }

  /** Starts every service. */
  start() {
    for (const unit of this.units) this.launch(unit);
  }

  /** What each service is doing now, for tests and reports. */
  status() {
    return this.units.map((unit) => ({
      name: unit.spec.name,
      pid: unit.child?.pid,
      running: Boolean(unit.child),
      port: unit.port,
      healthy: unit.healthy,
      restarts: unit.restarts,
    }));
  }

  launch(unit) {
    const { spec } = unit;
    unit.port = undefined;
    unit.healthy = false;
    unit.healthySince = undefined;
    unit.lastHealth = undefined;
    unit.startedAt = Date.now();
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    unit.child = child;
    const onLine = (write) => (line) => {
      unit.tail.push(line);
      write(`${unit.prefix}${line}`);
      const port = listeningPort(line, spec.name);
      if (port !== undefined && unit.child === child) {
        unit.port = port;
        this.pollHealth(unit, child);
      }
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine(this.print));
    readline.createInterface({ input: child.stderr }).on('line', onLine(this.printError));
    child.on('error', (error) => {
      unit.tail.push(`could not start: ${error.message}`);
      // A command that cannot be spawned may never emit 'exit'.
      if (child.pid === undefined) this.exited(unit, child, 127, null);
    });
    child.on('exit', (code, signal) => this.exited(unit, child, code, signal));
    this.print(`[start] ${spec.name} started (pid ${child.pid})`);
    this.later(unit, this.options.startTimeoutMs, () => {
      if (unit.child === child && !unit.healthy && !this.stopping) this.reportSlowStart(unit);
    });
  }

  later(unit, ms, fn) {
    const timer = setTimeout(() => {
      unit.timers.delete(timer);
      fn();
    }, ms);
    unit.timers.add(timer);
  }

  async pollHealth(unit, child) {
    while (unit.child === child && !this.stopping && !unit.healthy) {
      const answer = await httpGet(`http://127.0.0.1:${unit.port}/health`);
      if (unit.child !== child || this.stopping) return;
      unit.lastHealth = answer;
      if (answer.status === 200) {
        unit.healthy = true;
        unit.healthySince = Date.now();
        const seconds = ((Date.now() - unit.startedAt) / 1000).toFixed(1);
        this.print(`[start] ${unit.spec.name} is healthy on port ${unit.port} (${seconds} s)`);
        this.maybeReady();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.healthPollMs));
    }
  }

  maybeReady() {
    if (this.readyReported || !this.units.every((unit) => unit.healthy)) return;
    this.readyReported = true;
    this.options.onReady?.(this.units.map((unit) => ({ name: unit.spec.name, port: unit.port, url: `http://127.0.0.1:${unit.port}` })));
  }

  reportSlowStart(unit) {
    const seconds = Math.round((Date.now() - unit.startedAt) / 1000);
    const where = unit.port === undefined ? 'it has not started listening' : `it listens on port ${unit.port}`;
    const health = unit.lastHealth
      ? `last /health answer: ${unit.lastHealth.status || 'no answer'} ${unit.lastHealth.body.slice(0, 500)}`
      : 'no /health answer yet';
    this.printError(
      [
        '',
        `[start] !!! ${unit.spec.name} is NOT HEALTHY ${seconds} s after it started (pid ${unit.child?.pid}): ${where}; ${health}`,
        `[start] !!! last lines of ${unit.spec.name}:`,
        unit.tail.text(),
        `[start] !!! still waiting for it; the other services keep running`,
        '',
      ].join('\n'),
    );
  }

  exited(unit, child, code, signal) {
    if (unit.child !== child) return;
    unit.child = undefined;
    for (const timer of unit.timers) clearTimeout(timer);
    unit.timers.clear();
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.stopping) {
      this.print(`[start] ${unit.spec.name} stopped (${how})`);
      return;
    }
    const stayedHealthy = unit.healthySince !== undefined && Date.now() - unit.healthySince >= this.options.resetBackoffAfterMs;
    unit.crashes = stayedHealthy ? 1 : unit.crashes + 1;
    unit.healthy = false;
    const delay = restartDelay(unit.crashes, this.options);
    const ranFor = ((Date.now() - unit.startedAt) / 1000).toFixed(1);
    this.printError(
      [
        '',
        `[start] !!! ${unit.spec.name} EXITED (${how}) after ${ranFor} s; last lines of its log:`,
        unit.tail.text(),
        `[start] !!! restarting ${unit.spec.name} in ${(delay / 1000).toFixed(1)} s (crash ${unit.crashes} in a row)`,
        '',
      ].join('\n'),
    );
    this.later(unit, delay, () => {
      if (this.stopping) return;
      unit.restarts += 1;
      this.launch(unit);
    });
  }

  /** Stops every child (SIGTERM, then SIGKILL after killAfterMs) and cancels pending restarts. */
  stop() {
    this.stopping = true;
    const waits = [];
    for (const unit of this.units) {
      for (const timer of unit.timers) clearTimeout(timer);
      unit.timers.clear();
      const child = unit.child;
      if (!child) continue;
      waits.push(
        new Promise((resolve) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), this.options.killAfterMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
      );
    }
    return Promise.all(waits).then(() => undefined);
  }
}

module.exports = { Supervisor, restartDelay, listeningPort, Tail, httpGet, DEFAULTS };
