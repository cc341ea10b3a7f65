// A local stack of the chaos run's own (Kafka, FerretDB, Redis, maildev on other ports, its state
// in a folder of its own under .stack/), started, faulted part by part and stopped through
// deploy/local/stack.sh. It never touches the stack on the default ports that other runs use: every
// part is found by the pid file in this stack's state folder.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export type StackPart = 'kafka' | 'ferretdb' | 'redis' | 'maildev';

export interface ChaosStackPorts {
  readonly kafka: number;
  readonly kafkaController: number;
  readonly mongo: number;
  readonly redis: number;
  readonly smtp: number;
  readonly maildevWeb: number;
}

/** The ports of `npm run chaos` (the default stack uses 9092/9093/27017/6379/1025/1080). */
export const CHAOS_PORTS: ChaosStackPorts = { kafka: 19092, kafkaController: 19093, mongo: 37017, redis: 16379, smtp: 11025, maildevWeb: 11080 };
/** The ports of the short run inside `npm test`, so it and `npm run chaos` never share a stack. */
export const CHAOS_SPEC_PORTS: ChaosStackPorts = { kafka: 19192, kafkaController: 19193, mongo: 37117, redis: 16479, smtp: 11125, maildevWeb: 11180 };

export class ChaosStack {
  /** every line stack.sh printed, for a failure message */
  readonly output: string[] = [];

  constructor(
    readonly ports: ChaosStackPorts,
    /** the stack's state folder (data, logs, pid files); git-ignored under .stack/ */
    readonly state: string = join(root, '.stack', 'chaos'),
  ) {}

  /** What the services and probes of the run connect to. */
  clientEnv(): Record<string, string> {
    return {
      KAFKA_BROKERS: `127.0.0.1:${this.ports.kafka}`,
      MONGO_URL: `mongodb://127.0.0.1:${this.ports.mongo}`,
      REDIS_URL: `redis://127.0.0.1:${this.ports.redis}`,
      SMTP_URL: `smtp://127.0.0.1:${this.ports.smtp}`,
      MAILDEV_URL: `http://127.0.0.1:${this.ports.maildevWeb}`,
    };
  }

  /** Starts the stack on empty data (a stack left by an earlier run is stopped and its data removed first; logs are kept by the run after). */
  async up(): Promise<void> {
    await this.script('down');
    await rm(this.state, { recursive: true, force: true });
    await this.script('up');
  }

  async down(): Promise<void> {
    await this.script('down');
  }

  /** Stops one part: SIGTERM (it shuts down cleanly), or SIGKILL with `kill` (a crash). */
  async stop(part: StackPart, kill = false): Promise<void> {
    await this.script('stop-part', part, ...(kill ? ['--kill'] : []));
  }

  /** Starts one part again on its data and resolves once it answers. */
  async start(part: StackPart): Promise<void> {
    await this.script('start-part', part);
  }

  /** Runs stack.sh with this stack's state folder and ports (asynchronously: the run's load keeps going meanwhile). */
  private script(...args: string[]): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONTINUUM_STACK_STATE: this.state,
      KAFKA_PORT: String(this.ports.kafka),
      KAFKA_CONTROLLER_PORT: String(this.ports.kafkaController),
      MONGO_PORT: String(this.ports.mongo),
      REDIS_PORT: String(this.ports.redis),
      SMTP_PORT: String(this.ports.smtp),
      MAILDEV_WEB_PORT: String(this.ports.maildevWeb),
    };
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(root, 'deploy', 'local', 'stack.sh'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (chunk: Buffer) => {
        this.output.push(...chunk.toString().split('\n').filter(Boolean));
        if (this.output.length > 300) this.output.splice(0, this.output.length - 300);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`stack.sh ${args.join(' ')} exited with ${code}:\n${this.output.slice(-30).join('\n')}`)),
      );
    });
  }
}
