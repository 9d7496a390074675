#!/usr/bin/env node
// Smoke test for the test broker (scripts/kafka-test-broker.sh) with the project's kafkajs.
//
//   KAFKA_BROKERS=127.0.0.1:19092 node scripts/kafka-smoke.js            # create, produce, consume
//   KAFKA_BROKERS=... node scripts/kafka-smoke.js produce <topic>        # create + produce only
//   KAFKA_BROKERS=... node scripts/kafka-smoke.js verify <topic>         # consume + check only
//
// Creates a topic with 3 partitions, produces 100 keyed messages (5 keys x 20) with an
// idempotent producer, reads them back with a fresh consumer group from the beginning and exits
// 0 only if all 100 arrive, each key's messages in order and none twice. Exits 1 after 60 s.
// `produce` then `verify` (with a broker restart in between) checks that nothing is lost.
'use strict';

const { Kafka, logLevel, Partitioners } = require('kafkajs');

const TIMEOUT_MS = 60_000;
const KEYS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const PER_KEY = 20;
const TOTAL = KEYS.length * PER_KEY;

const mode = process.argv[2] || 'all';
if (!['all', 'produce', 'verify'].includes(mode)) {
  console.error('usage: kafka-smoke.js [all|produce|verify] [topic]');
  process.exit(2);
}
const topic = process.argv[3] || `smoke-${Date.now()}-${process.pid}`;
if (mode === 'verify' && !process.argv[3]) {
  console.error('verify needs the topic name');
  process.exit(2);
}
const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:19092').split(',').map((s) => s.trim()).filter(Boolean);

const started = Date.now();
const t = () => `${((Date.now() - started) / 1000).toFixed(2)}s`;
const say = (msg) => console.log(`[kafka-smoke ${t()}] ${msg}`);

const kafka = new Kafka({
  clientId: 'kafka-smoke',
  brokers,
  logLevel: logLevel.WARN,
  connectionTimeout: 3000,
  // No client-level `retry` here: the idempotent producer inherits it, and any finite
  // `retries` makes kafkajs warn "Limiting retries for the idempotent producer ...".
});
const admin = kafka.admin();
// An explicit partitioner: without one kafkajs 2.x warns that its default partitioner changed.
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
});
const consumer = kafka.consumer({ groupId: `${topic}-group-${Date.now()}` });

let finished = false;
async function finish(code, msg) {
  if (finished) return;
  finished = true;
  (code === 0 ? console.log : console.error)(`[kafka-smoke ${t()}] ${code === 0 ? 'OK' : 'FAIL'}: ${msg}`);
  const hard = setTimeout(() => process.exit(code), 10_000);
  hard.unref();
  await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  process.exit(code);
}

const timer = setTimeout(() => finish(1, `timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);

async function produce() {
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  say(`topic ${topic} ${created ? 'created' : 'already existed'} (3 partitions)`);
  await producer.connect();
  // 10 sends of 10 messages, interleaving the keys.
  let n = 0;
  for (let batch = 0; batch < TOTAL / 10; batch++) {
    const messages = [];
    for (let i = 0; i < 10; i++, n++) {
      const key = KEYS[n % KEYS.length];
      const seq = Math.floor(n / KEYS.length);
      messages.push({ key, value: JSON.stringify({ key, seq }) });
    }
    await producer.send({ topic, messages });
  }
  say(`produced ${n} messages`);
}

async function verify() {
  const next = Object.fromEntries(KEYS.map((k) => [k, 0]));
  const partitionOfKey = {};
  let count = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const key = message.key.toString();
          const { seq } = JSON.parse(message.value.toString());
          if (!(key in next)) return reject(new Error(`unexpected key ${key}`));
          if (seq !== next[key]) {
            return reject(new Error(`key ${key}: got seq ${seq}, expected ${next[key]} (duplicate or out of order)`));
          }
          if (partitionOfKey[key] !== undefined && partitionOfKey[key] !== partition) {
            return reject(new Error(`key ${key} seen on partitions ${partitionOfKey[key]} and ${partition}`));
          }
          partitionOfKey[key] = partition;
          next[key]++;
          if (++count === TOTAL) resolve();
        },
      })
      .catch(reject);
  });
  say(`consumed ${count} messages in order per key; key->partition ${JSON.stringify(partitionOfKey)}`);
}

(async () => {
  say(`brokers ${brokers.join(',')}, mode ${mode}, topic ${topic}`);
  if (mode !== 'verify') await produce();
  if (mode !== 'produce') await verify();
  clearTimeout(timer);
  await finish(0, mode === 'produce' ? `produced ${TOTAL} to ${topic}` : `all ${TOTAL} messages arrived in order per key`);
})().catch((err) => finish(1, err && err.stack ? err.stack : String(err)));
