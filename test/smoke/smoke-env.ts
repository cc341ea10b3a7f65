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
