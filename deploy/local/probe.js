#!/usr/bin/env node
// Tells whether one part of the local stack really answers, the way a client would use it:
// Kafka through the admin client (describeCluster), FerretDB through the MongoDB driver (ping),
// maildev through its REST API (GET /api/email). Used by stack.sh to wait after a start and for status.
//
//   node deploy/local/probe.js <kafka|mongo|maildev> [timeoutSeconds]
//
// Retries until the part answers or the timeout passes (default 0: one attempt). Exit 0 = answers.
'use strict';

const part = process.argv[2];
const timeoutMs = Number(process.argv[3] || 0) * 1000;

const kafkaPort = process.env.KAFKA_PORT || '9092';
const mongoPort = process.env.MONGO_PORT || '27017';
const webPort = process.env.MAILDEV_WEB_PORT || '1080';

const probes = {
  async kafka() {
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({
      clientId: 'stack-probe',
      brokers: [`127.0.0.1:${kafkaPort}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (!cluster.brokers.length || cluster.controller === null) throw new Error('no controller yet');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
  async mongo() {
    const { MongoClient } = require('mongodb');
    const client = new MongoClient(`mongodb://127.0.0.1:${mongoPort}/`, {
      serverSelectionTimeoutMS: 2000,
      connectTimeoutMS: 2000,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
    } finally {
      await client.close().catch(() => undefined);
    }
  },
  async maildev() {
    const res = await fetch(`http://127.0.0.1:${webPort}/api/email`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`GET /api/email answered ${res.status}`);
    await res.json();
  },
};

async function main() {
  const probe = probes[part];
  if (!probe) {
    console.error(`usage: probe.js <${Object.keys(probes).join('|')}> [timeoutSeconds]`);
    process.exit(2);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      process.exit(0);
    } catch (err) {
      if (Date.now() >= deadline) {
        if (process.env.PROBE_VERBOSE) console.error(`${part}: ${err.message}`);
        process.exit(1);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

main();
