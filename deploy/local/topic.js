#!/usr/bin/env node
// `npm run topic -- read <topic> [--from-beginning] [--max N] [--timeout-ms MS]` prints the records of a
// Kafka topic as JSON lines (key, then the value as JSON); `npm run topic -- send <topic> <key> <json>`
// publishes one record. For looking at what the services publish and for acting as a partner (a
// fulfillment house) by hand. Uses KAFKA_BROKERS (default the local stack, 127.0.0.1:9092).
'use strict';

const { randomUUID } = require('crypto');
const { Kafka, logLevel } = require('kafkajs');
const { stackEnv } = require('./stack-env');

function usage(message) {
  if (message) console.error(`topic: ${message}`);
  console.error('usage: npm run topic -- read <topic> [--from-beginning] [--max N] [--timeout-ms MS]');
  console.error('       npm run topic -- send <topic> <key> <json>');
  process.exit(2);
}

function option(args, name, fallback) {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value <= 0) usage(`${name} needs a positive whole number`);
  return value;
}

async function read(kafka, topic, args) {
  const max = option(args, '--max', Infinity);
  const timeoutMs = option(args, '--timeout-ms', Infinity);
  // a group of its own, joined quickly (a reader by hand should not wait for a long session to settle)
  const consumer = kafka.consumer({ groupId: `topic-reader-${randomUUID().slice(0, 8)}`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  let seen = 0;
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    // leaving the group may hang while it is still being joined: give it a moment, then go
    await Promise.race([consumer.disconnect().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  if (Number.isFinite(timeoutMs)) setTimeout(() => stop(0), timeoutMs).unref();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: args.includes('--from-beginning') });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (stopping) return;
      const text = message.value ? message.value.toString() : null;
      let value = text;
      try {
        value = text === null ? null : JSON.parse(text);
      } catch {
        // not JSON: printed as it is
      }
      console.log(JSON.stringify({ partition, offset: message.offset, key: message.key ? message.key.toString() : null, value }));
      seen += 1;
      if (seen >= max) await stop(0);
    },
  });
  console.error(`[topic] reading ${topic}${args.includes('--from-beginning') ? ' from the beginning' : ' (new records only)'}; Ctrl-C stops`);
}

async function send(kafka, topic, key, json) {
  if (key === undefined || json === undefined) usage('send needs a key and a JSON value');
  try {
    JSON.parse(json);
  } catch (error) {
    usage(`the value is not JSON: ${error.message}`);
  }
  const producer = kafka.producer();
  await producer.connect();
  const [result] = await producer.send({ topic, messages: [{ key, value: json }] });
  await producer.disconnect();
  console.log(`[topic] sent to ${topic} (partition ${result.partition}, offset ${result.baseOffset})`);
}

async function main() {
  const [command, topic, ...rest] = process.argv.slice(2);
  if (!topic || (command !== 'read' && command !== 'send')) usage();
  const env = stackEnv(process.env);
  const kafka = new Kafka({ clientId: 'continuum-topic', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  if (command === 'read') await read(kafka, topic, rest);
  else await send(kafka, topic, rest[0], rest[1]);
}

main().catch((error) => {
  console.error(`topic: ${error.message}`);
  process.exit(1);
});
