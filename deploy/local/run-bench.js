#!/usr/bin/env node
// `npm run bench [-- <name>...]`: makes sure the local stack is up, then runs every test/bench/*.bench.ts
// (or only test/bench/<name>.bench.ts for each name given) one after the other with ts-node
// (transpile-only, path aliases) and prints their output. Exits non-zero when one of them fails.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { stackEnv, usesExternalStack } = require('./stack-env');
const { ensureDependencies } = require('./ensure-deps');

const root = path.resolve(__dirname, '../..');
const benchDir = path.join(root, 'test', 'bench');

function main() {
  ensureDependencies(root, 'bench');
  // `npm run bench -- reconcile pipeline` runs only the named benches (test/bench/<name>.bench.ts)
  const wanted = process.argv.slice(2);
  const benches = (fs.existsSync(benchDir) ? fs.readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort() : []).filter(
    (f) => wanted.length === 0 || wanted.includes(f.slice(0, -'.bench.ts'.length)),
  );
  if (benches.length === 0) {
    console.log(wanted.length === 0 ? '[bench] no benchmarks yet (test/bench/*.bench.ts)' : `[bench] no benchmark named ${wanted.join(', ')} (test/bench/<name>.bench.ts)`);
    process.exit(wanted.length === 0 ? 0 : 1);
  }
  if (!usesExternalStack(process.env)) {
    const up = spawnSync('bash', ['deploy/local/stack.sh', 'up'], { cwd: root, stdio: 'inherit' });
    if (up.status !== 0) process.exit(up.status || 1);
  }

  const env = { ...stackEnv(process.env), TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(root, 'tsconfig.json') };
  let failed = 0;
  for (const bench of benches) {
    console.log(`[bench] ${bench}`);
    const res = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', path.join('test', 'bench', bench)],
      { cwd: root, env, stdio: 'inherit' },
    );
    if (res.status !== 0) {
      console.error(`[bench] ${bench} failed (exit ${res.status ?? res.signal})`);
      failed += 1;
    }
  }
  console.log(`[bench] ${benches.length - failed} of ${benches.length} benchmarks ran`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
