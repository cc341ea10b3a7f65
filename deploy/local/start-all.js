#!/usr/bin/env node
// `npm start`: brings the local stack up, builds, then runs every service under services/* that has
// src/main.ts under a supervisor (deploy/local/supervisor.js): each in its own process with its output
// lines prefixed by its name, each waited for until it answers /health, then one block with the URLs
// and keys. A service that exits is reported with the last lines of its log and restarted with backoff;
// one that is not healthy after START_TIMEOUT_MS is reported the same way. Ctrl-C or SIGTERM stops the
// services, and the local stack too when this run started it (KEEP_STACK=1 keeps it running).
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { stackEnv, usesExternalStack } = require('./stack-env');
const { ensureDependencies } = require('./ensure-deps');
const { Supervisor, httpGet } = require('./supervisor');

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

function positiveInt(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`[start] ${name}=${raw} is not a positive whole number of milliseconds`);
    process.exit(2);
  }
  return value;
}

/** The block printed once every service answers /health. */
async function readyBlock(services, env, seconds, stackStartedHere) {
  const width = Math.max(14, ...services.map((service) => service.name.length + 2));
  const lines = [`[start] Continuum is up: ${services.length} services healthy in ${seconds} s`];
  for (const service of [...services].sort((a, b) => a.port - b.port)) {
    if (service.name === 'console') {
      lines.push(`  ${service.name.padEnd(width)}${service.url}   the customer-service console: sign in with a development key`);
      lines.push(`  ${''.padEnd(width)}${service.url}/ops   operations of the five services (sign in with dev-admin)`);
      continue;
    }
    // A queue dashboard asks for credentials (401) where it exists; elsewhere the path is unknown (404).
    const queues = await httpGet(`${service.url}/queues`);
    const dashboard = queues.status !== 404 && queues.status !== 0 ? `   queues ${service.url}/queues` : '';
    lines.push(`  ${service.name.padEnd(width)}${service.url}   API docs ${service.url}/docs${dashboard}`);
  }
  lines.push(`  ${'mail catcher'.padEnd(width)}${env.MAILDEV_URL}`);
  lines.push(
    '  development keys (Authorization: Bearer <key>; queue dashboards: user = key = password):',
    '    dev-agent (agent), dev-admin (admin), dev-service (service), dev-fulfillment-house (fulfillment-house)',
    '  Ctrl-C stops the services' + (stackStartedHere ? ' and the local stack this run started.' : '.'),
  );
  return lines.join('\n');
}

function main() {
  ensureDependencies(root, 'start');
  let stackStartedHere = false;
  if (usesExternalStack(process.env)) {
    console.log('[start] KAFKA_BROKERS, MONGO_URL, REDIS_URL and SMTP_URL are set: not starting the local stack');
  } else {
    // Whatever was already running stays running when this run ends; what this run starts, it stops.
    stackStartedHere = spawnSync('bash', ['deploy/local/stack.sh', 'status'], { cwd: root, stdio: 'ignore' }).status !== 0;
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

  const options = {
    startTimeoutMs: positiveInt(env, 'START_TIMEOUT_MS', 120_000),
    initialBackoffMs: positiveInt(env, 'RESTART_BACKOFF_MS', 1_000),
    maxBackoffMs: positiveInt(env, 'RESTART_BACKOFF_MAX_MS', 30_000),
  };
  const began = Date.now();
  const supervisor = new Supervisor({
    ...options,
    services: services.map((name) => ({
      name,
      command: process.execPath,
      args: ['-r', './deploy/register-paths.js', path.join('dist', 'services', name, 'src', 'main.js')],
      cwd: root,
      env,
    })),
    onReady: (ready) => {
      readyBlock(ready, env, Math.round((Date.now() - began) / 1000), stackStartedHere).then((block) =>
        console.log(`\n${block}\n`),
      );
    },
  });
  for (const name of services) {
    const main = path.join(root, 'dist', 'services', name, 'src', 'main.js');
    if (!fs.existsSync(main)) {
      console.error(`[start] ${main} is missing after the build`);
      process.exit(1);
    }
  }
  supervisor.start();

  let stopping = false;
  async function stopAll() {
    if (stopping) return;
    stopping = true;
    console.log('[start] stopping the services ...');
    await supervisor.stop();
    if (stackStartedHere && env.KEEP_STACK !== '1') {
      console.log('[start] stopping the local stack this run started (KEEP_STACK=1 keeps it)');
      spawnSync('bash', ['deploy/local/stack.sh', 'down'], { cwd: root, stdio: 'inherit' });
    }
    process.exit(0);
  }
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
}

main();
