#!/usr/bin/env node
// Latency of _id lookups, updates by _id and a non-_id filter as a collection grows, against one
// MongoDB-protocol server. Prints one row per size; the figures in docs/performance.md come from it.
//
//   node deploy/local/ferretdb/measure-id-lookup.js [mongodb-url] [sizes]
//   node deploy/local/ferretdb/measure-id-lookup.js mongodb://127.0.0.1:27018 1000,10000,20000,50000
//
// It works in a database of its own (dropped at the end). Run it against a private server, not the
// shared local stack: filling 50,000 documents and scanning them keeps a core busy for minutes.
'use strict';

const path = require('path');
const { MongoClient } = require(require.resolve('mongodb', { paths: [path.resolve(__dirname, '../../..')] }));

const url = process.argv[2] || process.env.MONGO_URL || 'mongodb://127.0.0.1:27017';
const sizes = (process.argv[3] || '1000,10000,20000').split(',').map(Number);
const ID_REPS = Number(process.env.ID_REPS || 100);
const SCAN_REPS = Number(process.env.SCAN_REPS || 10);

const idOf = (i) => `doc-${String(i).padStart(7, '0')}`;
const docOf = (i) => ({
  _id: idOf(i),
  ref: `ref-${i}`,
  status: i % 3 === 0 ? 'QUEUED' : 'DONE',
  amount: i % 1000,
  note: 'x'.repeat(200),
  n: 0,
});

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}

// Runs `op(i)` `reps` times on random documents below `size` and returns the latencies in ms.
async function timeOps(size, reps, op) {
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const i = Math.floor(Math.random() * size);
    const start = process.hrtime.bigint();
    await op(i);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return ms;
}

const fmt = (s) => `${s.median.toFixed(2)} (p95 ${s.p95.toFixed(2)})`;

async function main() {
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 5000 });
  const db = client.db(`measure_id_${process.pid}`);
  const coll = db.collection('docs');
  try {
    const build = await db.command({ buildInfo: 1 });
    console.log(`${url}  server ${build.version}${'ferretdbVersion' in build ? ' (FerretDB)' : ''}`);
    console.log(`ms per operation, median (p95); ${ID_REPS} _id operations, ${SCAN_REPS} non-_id finds per size`);
    console.log(['docs', 'findOne {_id}', 'updateOne {_id}', 'findOne {ref} (no index)', 'explain {_id}'].join(' | '));
    let have = 0;
    for (const size of sizes) {
      for (let from = have; from < size; from += 1000) {
        const docs = [];
        for (let i = from; i < Math.min(size, from + 1000); i++) docs.push(docOf(i));
        await coll.insertMany(docs, { ordered: false });
      }
      have = size;
      await timeOps(size, 10, (i) => coll.findOne({ _id: idOf(i) })); // warm-up
      const find = stats(await timeOps(size, ID_REPS, (i) => coll.findOne({ _id: idOf(i) })));
      const update = stats(await timeOps(size, ID_REPS, (i) => coll.updateOne({ _id: idOf(i) }, { $inc: { n: 1 } })));
      const scan = stats(await timeOps(size, SCAN_REPS, (i) => coll.findOne({ ref: `ref-${i}` })));
      const plan = await coll.find({ _id: idOf(0) }).explain();
      const planText = plan.queryPlanner?.Plan?.join('; ') ?? plan.queryPlanner?.winningPlan?.stage ?? '?';
      console.log([size, fmt(find), fmt(update), fmt(scan), planText.replace(/^id=\d+ parent=\d+ notused=\d+ detail=/, '')].join(' | '));
    }
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
