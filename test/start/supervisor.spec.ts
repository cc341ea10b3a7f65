// The supervisor behind `npm start`, driven with small stand-in services (real child processes that
// listen, answer /health, fail or crash), so every report and restart is observed, not assumed.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { eventually } from '@continuum/testing';

// the supervisor is a plain Node script of deploy/local, not a library of the workspace
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const { Supervisor, restartDelay, listeningPort } = require('../../deploy/local/supervisor.js');

type Unit = { name: string; pid?: number; running: boolean; port?: number; healthy: boolean; restarts: number };

/** A stand-in service: logs its "listening" line as pino does and answers /health with `health`. */
function standIn(dir: string, name: string, options: { health?: number; exitAfterMs?: number; exitCode?: number } = {}): string {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(
    file,
    `
const http = require('http');
console.log('${name}: booting');
const server = http.createServer((req, res) => { res.statusCode = req.url === '/health' ? ${options.health ?? 200} : 404; res.end('{"status":"${options.health === 503 ? 'down' : 'ok'}","errors":{"mongo":"no answer"}}'); });
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ level: 30, port: server.address().port, msg: '${name} listening' }));
  ${options.exitAfterMs === undefined ? '' : `setTimeout(() => { console.error('${name}: fatal: lost the broker'); process.exit(${options.exitCode ?? 3}); }, ${options.exitAfterMs});`}
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return file;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start supervisor', () => {
  let dir: string;
  let supervisor: { start(): void; stop(): Promise<void>; status(): Unit[] } | undefined;
  let out: string[];
  let err: string[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-'));
    out = [];
    err = [];
  });
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const make = (services: { name: string; file: string }[], options: Record<string, unknown> = {}, onReady?: (ready: unknown[]) => void) =>
    new Supervisor({
      services: services.map(({ name, file }) => ({ name, command: process.execPath, args: [file] })),
      print: (line: string) => out.push(line),
      printError: (line: string) => err.push(line),
      onReady,
      healthPollMs: 50,
      ...options,
    });

  it('waits for every service to answer /health, then reports them once with their ports', async () => {
    const ready: unknown[][] = [];
    supervisor = make(
      [
        { name: 'alpha', file: standIn(dir, 'alpha') },
        { name: 'beta', file: standIn(dir, 'beta') },
      ],
      {},
      (services) => ready.push(services),
    );
    supervisor!.start();
    await eventually(() => ready.length === 1, 'both services reported ready');
    const ports = supervisor!.status().map((unit) => unit.port);
    expect(ready[0]).toEqual([
      { name: 'alpha', port: ports[0], url: `http://127.0.0.1:${ports[0]}` },
      { name: 'beta', port: ports[1], url: `http://127.0.0.1:${ports[1]}` },
    ]);
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^\[alpha\] +alpha: booting$/), expect.stringMatching(/alpha is healthy on port \d+/)]));
  });

  it('reports a service that exits with the last lines of its log, and restarts it with backoff', async () => {
    supervisor = make([{ name: 'crashy', file: standIn(dir, 'crashy', { exitAfterMs: 100, exitCode: 3 }) }], { initialBackoffMs: 100, maxBackoffMs: 400 });
    supervisor!.start();
    await eventually(() => supervisor!.status()[0].restarts >= 2, 'two restarts', { timeoutMs: 15_000 });
    const report = err.join('\n');
    expect(report).toMatch(/crashy EXITED \(code 3\)/);
    expect(report).toMatch(/ {4}crashy: fatal: lost the broker/);
    expect(report).toMatch(/restarting crashy in 0\.1 s \(crash 1 in a row\)/);
    expect(report).toMatch(/restarting crashy in 0\.2 s \(crash 2 in a row\)/);
  });

  it('reports a service that is not healthy by the start timeout, with its /health answer, and keeps it running', async () => {
    const ready: unknown[] = [];
    supervisor = make([{ name: 'sick', file: standIn(dir, 'sick', { health: 503 }) }], { startTimeoutMs: 500 }, (services) => ready.push(services));
    supervisor!.start();
    await eventually(() => /sick is NOT HEALTHY \d+ s after it started .*listens on port \d+; last \/health answer: 503 .*mongo/.test(err.join('\n')), 'the slow-start report');
    expect(err.join('\n')).toMatch(/ {4}sick: booting/);
    expect(supervisor!.status()[0]).toMatchObject({ running: true, healthy: false });
    expect(ready).toEqual([]);
  });

  it('stop() ends every child and cancels a pending restart: no process is left', async () => {
    supervisor = make(
      [
        { name: 'steady', file: standIn(dir, 'steady') },
        { name: 'flaky', file: standIn(dir, 'flaky', { exitAfterMs: 50 }) },
      ],
      { initialBackoffMs: 2_000 },
    );
    supervisor!.start();
    await eventually(() => /restarting flaky in 2\.0 s/.test(err.join('\n')), 'the crash report of flaky');
    const steady = supervisor!.status()[0];
    expect(steady.pid).toBeDefined();
    await supervisor!.stop();
    expect(alive(steady.pid!)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(supervisor!.status().map((unit) => unit.running)).toEqual([false, false]);
    expect(supervisor!.status()[1].restarts).toBe(0);
    // nothing from this directory is still running
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(dir);
  });

  it('restart delays double from the first and stop at the maximum', () => {
    const options = { initialBackoffMs: 1_000, maxBackoffMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => restartDelay(attempt, options))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('learns a port only from its own service\'s "listening" line', () => {
    expect(listeningPort('{"level":30,"port":3001,"msg":"orders listening"}', 'orders')).toBe(3001);
    expect(listeningPort('{"level":30,"port":3001,"msg":"orders listening"}', 'payments')).toBeUndefined();
    expect(listeningPort('orders listening on 3001', 'orders')).toBeUndefined();
    expect(listeningPort('{"msg":"orders listening","port":"3001"}', 'orders')).toBeUndefined();
  });
});
