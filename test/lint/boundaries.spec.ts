import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// Proves the lint configuration really enforces the architecture: small probe files are written
// where they would live, linted in one ESLint run (the CLI, as `npm run lint` does), then removed.
const root = join(__dirname, '..', '..');
const tag = randomUUID().slice(0, 8);

const probes = {
  contractsImportsPlatform: ['libs/contracts/src', "import { EventStore } from '@continuum/platform';\nexport const x = EventStore;\n"],
  serviceUsesLibs: ['services/orders/src/http', "import { Topics } from '@continuum/contracts';\nimport { EventStore } from '@continuum/platform';\nexport const x = [Topics, EventStore];\n"],
  platformUsesTesting: ['libs/platform/src/kafka', "import { eventually } from '@continuum/testing';\nexport const x = eventually;\n"],
  'platformSpecUsesTesting.int-spec': ['libs/platform/src/kafka', "import { eventually } from '@continuum/testing';\nexport const x = eventually;\n"],
  domainNest: ['services/orders/src/domain', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"],
  domainMongoose: ['services/orders/src/domain', "import mongoose from 'mongoose';\nexport const x = mongoose;\n"],
  domainKafka: ['services/payments/src/domain', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n"],
  domainBullmq: ['services/payments/src/domain', "import { Queue } from 'bullmq';\nexport const x = Queue;\n"],
  domainRedis: ['services/orders/src/domain', "import IORedis from 'ioredis';\nexport const x = IORedis;\n"],
  domainAdapter: ['services/orders/src/domain', "import { x } from '../http/orders.controller';\nexport const y = x;\n"],
  domainDateNow: ['services/orders/src/domain', 'export const now = Date.now();\n'],
  domainNewDate: ['services/orders/src/domain', 'export const now = new Date();\n'],
  domainRandom: ['services/orders/src/domain', 'export const roll = Math.random();\n'],
  domainEnv: ['services/orders/src/domain', "export const url = process.env['X'];\n"],
  domainPure: [
    'services/orders/src/domain',
    "import { DomainError } from '@continuum/contracts';\nexport const f = (now: string) => { if (!now) throw new DomainError('X', 'y'); return new Date(now); };\n",
  ],
} as const;
type Probe = keyof typeof probes;

let rulesByProbe: Record<Probe, string[]>;

beforeAll(() => {
  const files = Object.entries(probes).map(([name, [folder, code]]) => {
    const file = join(root, folder, `lint-probe-${tag}-${name}.ts`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, code);
    return [name, file] as const;
  });
  try {
    const env = { ...process.env, NX_DAEMON: 'false' };
    // the Nx rule reads the cached project graph; build it like `npm run lint` does
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, env, stdio: 'ignore' });
    let output: string;
    try {
      output = execFileSync('npx', ['eslint', '--format', 'json', ...files.map(([, file]) => relative(root, file))], { cwd: root, env, encoding: 'utf8' });
    } catch (error: any) {
      output = error.stdout; // ESLint exits 1 when it finds problems
    }
    const results: { filePath: string; messages: { ruleId: string | null }[] }[] = JSON.parse(output);
    rulesByProbe = Object.fromEntries(
      files.map(([name, file]) => [name, (results.find((r) => r.filePath === file)?.messages ?? []).map((m) => m.ruleId ?? 'parse-error')]),
    ) as Record<Probe, string[]>;
  } finally {
    for (const [, file] of files) rmSync(file, { force: true });
  }
}, 120_000);

describe('module boundaries', () => {
  it('keeps the contracts library free of the platform', () => {
    expect(rulesByProbe.contractsImportsPlatform).toContain('@nx/enforce-module-boundaries');
  });

  it('lets a service use contracts and platform', () => {
    expect(rulesByProbe.serviceUsesLibs).toEqual([]);
  });

  it('keeps the test kit out of the platform library, but lets the platform specs use it', () => {
    expect(rulesByProbe.platformUsesTesting).toContain('@nx/enforce-module-boundaries');
    expect(rulesByProbe['platformSpecUsesTesting.int-spec']).toEqual([]);
  });
});

describe('pure domain', () => {
  it.each(['domainNest', 'domainMongoose', 'domainKafka', 'domainBullmq', 'domainRedis', 'domainAdapter'] as Probe[])(
    'refuses framework, I/O and adapter imports (%s)',
    (probe) => {
      expect(rulesByProbe[probe]).toContain('no-restricted-imports');
    },
  );

  it.each([
    ['domainDateNow', 'no-restricted-properties'],
    ['domainNewDate', 'no-restricted-syntax'],
    ['domainRandom', 'no-restricted-properties'],
    ['domainEnv', 'no-restricted-properties'],
  ] as [Probe, string][])('refuses clocks, randomness and configuration (%s)', (probe, rule) => {
    expect(rulesByProbe[probe]).toContain(rule);
  });

  it('allows contracts and dates built from command data', () => {
    expect(rulesByProbe.domainPure).toEqual([]);
  });
});
