/**
 * Where the smoke suite finds the parts of the stack: the local stack's addresses unless the
 * environment points elsewhere (the same variables the services read).
 */
export const smokeEnv = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
  mongoUrl: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  smtpUrl: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
  maildevUrl: process.env.MAILDEV_URL ?? 'http://127.0.0.1:1080',
};

/** A name no other test run shares, so runs and files never see each other's topics, databases or queues. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
