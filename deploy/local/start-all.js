#!/usr/bin/env node
// `npm start`: brings the local stack up, builds, then runs every service under services/* that has
// src/main.ts, each in its own process with its output lines prefixed by its name. Ctrl-C or SIGTERM
// stops the services (the stack keeps running; `npm run stack:down` stops it).
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { stackEnv, usesExternalStack } = require('./stack-env');
const { ensureDependencies } = require('./ensure-deps');

const root = path.resolve(__dirname, '../..');

function step(title, command, args) {
  console.log(`[start] ${title}`);
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`[start] ${title} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status || 1);
  }
}

/** The services that can run: a folder under services/ with src/main.ts. */
function findServices() {
  const dir = path.join(root, 'services');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'src', 'main.ts')))
    .map((entry) => entry.name)
    .sort();
}

function pipeWithPrefix(stream, prefix, out) {
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

function main() {
  ensureDependencies(root, 'start');
  if (usesExternalStack(process.env)) {
    console.log('[start] KAFKA_BROKERS, MONGO_URL, REDIS_URL and SMTP_URL are set: not starting the local stack');
  } else {
    step('bringing the local stack up', 'bash', ['deploy/local/stack.sh', 'up']);
  }
  step('building (npm run build)', 'npm', ['run', 'build', '--silent']);

  const services = findServices();
  if (services.length === 0) {
    console.log('[start] no service under services/*/src/main.ts yet; nothing to run');
    return;
  }

  const env = stackEnv(process.env);
  if (env.PORT !== undefined) {
    // One PORT for all would make every service but the first fail to listen: each keeps its own default.
    console.log(`[start] ignoring PORT=${env.PORT}: each service listens on its own port`);
    delete env.PORT;
  }

  const width = Math.max(...services.map((s) => s.length));
  const children = new Map();
  let stopping = false;

  for (const name of services) {
    const main = path.join('dist', 'services', name, 'src', 'main.js');
    if (!fs.existsSync(path.join(root, main))) {
      console.error(`[start] ${main} is missing after the build; skipping ${name}`);
      continue;
    }
    const prefix = `[${name}]`.padEnd(width + 3);
    const child = spawn(process.execPath, ['-r', './deploy/register-paths.js', main], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(name, child);
    pipeWithPrefix(child.stdout, prefix, process.stdout);
    pipeWithPrefix(child.stderr, prefix, process.stderr);
    child.on('exit', (code, signal) => {
      children.delete(name);
      console.log(`[start] ${name} exited (${signal ?? `code ${code}`})`);
      // One crashed service leaves the others running, so its log stays readable beside theirs.
      if (!stopping && code !== 0) process.exitCode = code || 1;
      if (children.size === 0) process.exit(process.exitCode ?? 0);
    });
    console.log(`[start] ${name} started (pid ${child.pid})`);
  }

  function stopAll(exitCode) {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    if (children.size === 0) process.exit(exitCode);
    console.log('[start] stopping the services ...');
    for (const child of children.values()) child.kill('SIGTERM');
    // A service that ignores SIGTERM must not keep `npm start` alive forever.
    setTimeout(() => {
      for (const child of children.values()) child.kill('SIGKILL');
      process.exit(exitCode);
    }, 15000).unref();
  }

  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
}

main();
