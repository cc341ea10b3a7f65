import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseDocument } from 'yaml';

/** The environment variables the non-spec TypeScript under `dir` reads: `env.X`, `env['X']`, a reader called as `(env, 'X', ...)`, or a settings schema's `setting.int('X', ...)`. */
function variablesReadIn(dir: string): string[] {
  const found = new Set<string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      // specs and command-line tools (*.cli.ts, run by hand, not by the service) are not the service
      else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec|fuzz-spec|cli)\.ts$/.test(entry.name)) {
        const source = readFileSync(path, 'utf8');
        for (const match of source.matchAll(/env(?:\.([A-Z][A-Z0-9_]+)\b|\[['"]([A-Z][A-Z0-9_]+)['"]\])|\(env, *['"]([A-Z][A-Z0-9_]+)['"]|\bsetting\s*\.\w+\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g)) {
          found.add((match[1] ?? match[2] ?? match[3] ?? match[4])!);
        }
      }
    }
  };
  walk(dir);
  return [...found].sort();
}

// docker-compose.yml cannot run here (no Docker); this keeps it valid YAML and consistent with the code.
describe('docker-compose.yml and deploy/docker/Dockerfile', () => {
  const root = join(__dirname, '..', '..');
  const doc = parseDocument(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
  const compose = doc.toJS() as {
    services: Record<string, { image?: string; build?: { dockerfile: string; args?: Record<string, string> }; environment?: Record<string, unknown>; ports?: string[]; command?: string[]; depends_on?: Record<string, unknown> }>;
    volumes: Record<string, unknown>;
  };
  const runnable = readdirSync(join(root, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'services', d.name, 'src', 'main.ts')))
    .map((d) => d.name);
  // the console is a web app over the services' APIs: no store, no topics (its own test below)
  const appEntries = Object.entries(compose.services).filter(([name, s]) => s.build !== undefined && name !== 'console');
  const serviceEnvNames = ['PORT', 'KAFKA_BROKERS', 'MONGO_URL', 'REDIS_URL', 'SMTP_URL', 'API_KEYS', 'NOTIFY_EMAILS', 'REFUND_RETRY_DELAY_MS', 'SETTLEMENT_DELAY_MS', 'NODE_ENV'];

  it('is valid YAML', () => {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('runs the infrastructure: Apache Kafka in KRaft mode, a MongoDB replica set, Redis with AOF and noeviction, maildev', () => {
    const { kafka, mongo, redis, maildev } = compose.services;
    expect(kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(kafka.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(JSON.stringify(compose.services['mongo-init'].command)).toContain('rs.initiate');
    expect(redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(maildev.ports).toEqual(expect.arrayContaining(['1025:1025', '1080:1080']));
  });

  it('has one entry per runnable service, built from the shared Dockerfile with the service chosen by argument', () => {
    expect(appEntries.map(([name]) => name).sort()).toEqual(expect.arrayContaining(runnable.filter((name) => name !== 'console')));
    for (const [name, entry] of appEntries) {
      expect(entry.build).toMatchObject({ dockerfile: 'deploy/docker/Dockerfile', args: { SERVICE: name } });
      expect(entry.environment).toMatchObject({ SERVICE: name });
      expect(Object.keys(entry.environment ?? {})).toEqual(expect.arrayContaining(serviceEnvNames));
      expect(entry.environment).toMatchObject({ KAFKA_BROKERS: 'kafka:9092', REDIS_URL: 'redis://redis:6379', SMTP_URL: 'smtp://maildev:1025' });
      expect(String(entry.environment?.MONGO_URL)).toMatch(/^mongodb:\/\/mongo:27017\/.*replicaSet=rs0/);
      expect(entry.ports).toEqual([`${entry.environment?.PORT}:${entry.environment?.PORT}`]);
      expect(Object.keys(entry.depends_on ?? {})).toEqual(expect.arrayContaining(['kafka', 'mongo-init', 'redis']));
    }
  });

  it('names, for each service, every variable its code and the platform read (test isolation aside)', () => {
    // Only the integration tests set these: each run gets its own database, topic and queue names.
    const testIsolation = new Set(['MONGO_DB', 'KAFKA_TOPIC_PREFIX', 'QUEUE_PREFIX']);
    const platform = variablesReadIn(join(root, 'libs', 'platform', 'src'));
    expect(platform).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'MONGO_URL', 'API_KEYS', 'LOG_LEVEL']));
    for (const [name, entry] of appEntries) {
      const read = [...new Set([...platform, ...variablesReadIn(join(root, 'services', name, 'src'))])].filter((v) => !testIsolation.has(v));
      const missing = read.filter((v) => !Object.keys(entry.environment ?? {}).includes(v));
      expect({ service: name, missing }).toEqual({ service: name, missing: [] });
    }
  });

  it('gives the services their documented ports, no two alike', () => {
    const documented: Record<string, number> = { orders: 3001, payments: 3002, fulfillment: 3003, subscriptions: 3004, projections: 3005 };
    for (const [name, entry] of appEntries) expect(entry.environment?.PORT).toBe(documented[name]);
    const hostPorts = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('runs the console on port 3000 against the five services, with every variable it reads', () => {
    const entry = compose.services['console']!;
    expect(entry.build).toMatchObject({ dockerfile: 'deploy/docker/Dockerfile', args: { SERVICE: 'console' } });
    expect(entry.environment).toMatchObject({
      SERVICE: 'console',
      PORT: 3000,
      ORDERS_URL: 'http://orders:3001',
      PAYMENTS_URL: 'http://payments:3002',
      FULFILLMENT_URL: 'http://fulfillment:3003',
      SUBSCRIPTIONS_URL: 'http://subscriptions:3004',
      PROJECTIONS_URL: 'http://projections:3005',
    });
    expect(entry.ports).toEqual(['3000:3000']);
    const missing = variablesReadIn(join(root, 'services', 'console', 'src')).filter((v) => !Object.keys(entry.environment ?? {}).includes(v));
    expect(missing).toEqual([]);
    expect(readFileSync(join(root, 'deploy', 'docker', 'Dockerfile'), 'utf8')).toContain('COPY services/console/web ./services/console/web');
  });

  it('declares every named volume it mounts', () => {
    const used = Object.values(compose.services)
      .flatMap((s) => ((s as { volumes?: string[] }).volumes ?? []).map((v) => v.split(':')[0]))
      .filter((v) => !v.startsWith('.') && !v.startsWith('/'));
    expect(Object.keys(compose.volumes).sort()).toEqual([...new Set(used)].sort());
  });

  it('has a Dockerfile whose runtime starts dist/services/$SERVICE/src/main.js through the path-alias hook', () => {
    const dockerfile = readFileSync(join(root, 'deploy', 'docker', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG SERVICE/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toContain('-r ./deploy/register-paths.js');
    expect(dockerfile).toContain('dist/services/$SERVICE/src/main.js');
    expect(existsSync(join(root, 'deploy', 'register-paths.js'))).toBe(true);
  });
});
