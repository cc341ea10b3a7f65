#!/usr/bin/env node
// `npm test`: makes sure the local stack answers (starting it when `stack.sh status` fails), runs Jest
// over the unit, integration and e2e projects in one process, and closes with one plain line
// `N passed, N failed`. Extra arguments go to Jest. Exits with Jest's status.
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { stackEnv, usesExternalStack } = require('./stack-env');
const { ensureDependencies } = require('./ensure-deps');

const root = path.resolve(__dirname, '../..');
const resultsFile = path.join(root, '.stack', 'jest-results.json');

function ensureStack() {
  if (usesExternalStack(process.env)) {
    console.log('[test] KAFKA_BROKERS, MONGO_URL, REDIS_URL and SMTP_URL are set: using those, not the local stack');
    return;
  }
  const status = spawnSync('bash', ['deploy/local/stack.sh', 'status'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  if (status.status === 0) return;
  console.log('[test] the local stack is not (fully) up; starting it');
  const up = spawnSync('bash', ['deploy/local/stack.sh', 'up'], { cwd: root, stdio: 'inherit' });
  if (up.status !== 0) {
    console.error('[test] the local stack did not come up; not running the tests');
    console.log('0 passed, 1 failed');
    process.exit(up.status || 1);
  }
}

function readCounts() {
  try {
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    return {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      // A spec file that fails to load (a missing module, a syntax error) runs no test at all.
      brokenFiles: results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
  } catch {
    return undefined;
  }
}

/** The console's browser tests (test/ui) drive Debian's Chromium; the stack script installs it once. */
function ensureBrowser() {
  if (!fs.existsSync(path.join(root, 'test', 'ui'))) return;
  const browser = spawnSync('bash', ['deploy/local/stack.sh', 'browser'], { cwd: root, stdio: 'inherit' });
  if (browser.status !== 0) {
    console.error('[test] Chromium could not be installed; the console tests (test/ui) need it');
    console.log('0 passed, 1 failed');
    process.exit(browser.status || 1);
  }
}

/**
 * The services the specs start as processes (e2e, chaos, failover, the console) run as the JavaScript
 * `npm start` and the image run, not under ts-node: ts-node compiles every file again in each process
 * (5-7 s to healthy per service here, 2-3 s compiled), and the run starts many of them. The build skips
 * type checking (`--noCheck`, a few seconds); `npm run typecheck` and the editors check the types.
 * SERVICE_RUNTIME=ts runs them from the sources instead.
 */
function buildServices(env) {
  if (env.SERVICE_RUNTIME === 'ts') return env;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('[test] the services did not compile; not running the tests');
    console.log('0 passed, 1 failed');
    process.exit(build.status || 1);
  }
  return { ...env, SERVICE_RUNTIME: 'dist' };
}

function main() {
  ensureDependencies(root, 'test');
  ensureStack();
  ensureBrowser();
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.rmSync(resultsFile, { force: true });

  const jestBin = require.resolve('jest/bin/jest', { paths: [root] });
  // One worker: the 2-core machine shares its cores with Kafka, FerretDB and the services under test.
  // --forceExit: a spec that leaks a handle must not keep CI waiting until its time runs out.
  const args = [jestBin, '--runInBand', '--forceExit', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
  // The services' JSON logs would bury Jest's report; LOG_LEVEL=info brings them back.
  const env = buildServices({ LOG_LEVEL: 'silent', ...stackEnv(process.env) });
  const jest = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => jest.kill(signal));

  jest.on('exit', (code, signal) => {
    const counts = readCounts();
    if (counts) {
      const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
      if (counts.brokenFiles > 0) console.log(`[test] ${counts.brokenFiles} spec file(s) failed to run; each counts as one failure below`);
      console.log(`${counts.passed} passed, ${counts.failed + counts.brokenFiles} failed${skipped}`);
    } else {
      console.log('[test] Jest wrote no results (it failed before running the specs)');
      console.log('0 passed, 1 failed');
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main();
