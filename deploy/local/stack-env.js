// The client-side variables (KAFKA_BROKERS, MONGO_URL, ...) that match the local stack's ports, for the
// scripts that start services, tests or benchmarks. A variable already set is kept, so pointing at a
// real Kafka, MongoDB or Redis by environment wins over the local stack.
'use strict';

/** Returns a copy of `env` with the connection variables filled in from the stack's port overrides. */
function stackEnv(env) {
  const port = (name, fallback) => env[name] || fallback;
  const out = { ...env };
  out.KAFKA_BROKERS ||= `127.0.0.1:${port('KAFKA_PORT', '9092')}`;
  out.MONGO_URL ||= `mongodb://127.0.0.1:${port('MONGO_PORT', '27017')}`;
  out.REDIS_URL ||= `redis://127.0.0.1:${port('REDIS_PORT', '6379')}`;
  out.SMTP_URL ||= `smtp://127.0.0.1:${port('SMTP_PORT', '1025')}`;
  out.MAILDEV_URL ||= `http://127.0.0.1:${port('MAILDEV_WEB_PORT', '1080')}`;
  return out;
}

/** True when Kafka, MongoDB, Redis and SMTP are all pointed elsewhere, so the local stack is not needed. */
function usesExternalStack(env) {
  return ['KAFKA_BROKERS', 'MONGO_URL', 'REDIS_URL', 'SMTP_URL'].every((name) => Boolean(env[name]));
}

module.exports = { stackEnv, usesExternalStack };
