/**
 * bench:relay — the Kafka relay against a real broker (KAFKA_BROKERS).
 *
 * 1. Log to broker: BENCH_EVENTS (default 50,000) events are appended to a temporary SQLite store
 *    first, then the relay publishes the backlog; events per second from the relay being connected
 *    until the broker has acknowledged the last event and the checkpoint holds it.
 * 2. Lag: with the relay caught up, BENCH_LIVE_EVENTS (default 5,000) events are appended at
 *    BENCH_RATE events/s (default 2,000) while a consumer reads the topic. Two lags per event,
 *    both from the moment the store acknowledged the append: to the broker's acknowledgement of
 *    the relay's batch (what the relay adds), and to a kafkajs consumer receiving it (end to end).
 *
 * The last line printed is one JSON object.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import type { EventMetadata, NewEvent, RecordedEvent } from '../src/event-store/envelope';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { KafkaRelay } from '../src/relay/kafka/kafka-relay';
import { RelayCheckpoint } from '../src/relay/kafka/relay-checkpoint';
import { SystemClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { log, percentile, perSecond, runBench, scratchDir } from './bench-util';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const LIVE_EVENTS = Number(process.env.BENCH_LIVE_EVENTS ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const STREAMS = 1000;
const PARTITIONS = 6;
const MAX_BATCH = 500;
const TIMEOUT_MS = 10 * 60_000;

const metadata: EventMetadata = { actorId: 'bench', actorRole: 'steward', correlationId: newId(), causationId: newId() };

function movement(i: number): NewEvent {
  return {
    type: 'MovementRecorded',
    schemaVersion: 1,
    data: { fundId: `fund-${i % 6}`, amountMinor: 1000 + (i % 977), currency: 'USD', memo: `movement ${i}` },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function main(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  if (!brokers || brokers.length === 0) {
    process.stderr.write(
      'bench:relay needs a Kafka broker: set KAFKA_BROKERS=host:port ' +
        '(for a local one: bash scripts/kafka-test-broker.sh start, which prints the line to export)\n',
    );
    process.exit(1);
  }
  const { dir, cleanup } = scratchDir('relay');
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
  const checkpoint = new RelayCheckpoint(join(dir, 'relay.db'));
  const suffix = newId().replace(/-/g, '').slice(-12);
  const ackedAt = new Map<string, number>();
  const relay = (topic: string, onPublished?: (events: readonly RecordedEvent[]) => void) =>
    new KafkaRelay({
      store,
      checkpoint,
      brokers,
      topic,
      clientId: 'bench-relay',
      maxBatch: MAX_BATCH,
      numPartitions: PARTITIONS,
      onPublished,
    });

  // 1. The backlog: written first, then published.
  log(`appending ${EVENTS} events to ${STREAMS} streams ...`);
  const batch = 100;
  for (let i = 0; i < EVENTS; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, EVENTS - i) }, (_, j) =>
        store.append(`bench-${(i + j) % STREAMS}`, [movement(i + j)], 'any', metadata),
      ),
    );
  }
  const head = await store.headPosition();
  const backlogTopic = `bench-relay-${suffix}`;
  const backlogRelay = relay(backlogTopic);
  log(`relaying the backlog to ${backlogTopic} (${PARTITIONS} partitions, batches of ${MAX_BATCH}) ...`);
  backlogRelay.start();
  // Timed from the moment it is connected and the topic exists: publication, not connection setup.
  await until(() => backlogRelay.status().state === 'running', 'the relay to connect');
  const started = performance.now();
  await until(() => backlogRelay.status().position >= head, 'the relay to publish the backlog');
  const backlogMs = performance.now() - started;
  await backlogRelay.stop();
  log(`backlog: ${EVENTS} events in ${Math.round(backlogMs)} ms = ${perSecond(EVENTS, backlogMs)} events/s`);

  // 2. Live: the relay caught up on a fresh topic, a consumer reading it, appends at a steady rate.
  const liveTopic = `bench-relay-live-${suffix}`;
  checkpoint.save(liveTopic, await store.headPosition());
  const liveRelay = relay(liveTopic, (events) => {
    const now = performance.now();
    for (const e of events) ackedAt.set(e.eventId, now);
  });
  liveRelay.start();
  await until(() => liveRelay.status().state === 'running', 'the live relay to connect');
  const kafka = new Kafka({ clientId: 'bench-consumer', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${suffix}` });
  const appendedAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [liveTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.['event-id']?.toString();
      if (id && !receivedAt.has(id)) receivedAt.set(id, performance.now());
    },
  });
  await until(() => joined, 'the consumer to join its group');
  log(`appending ${LIVE_EVENTS} events at ${RATE}/s while the relay and a consumer follow ...`);
  const tick = 10;
  const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
  const liveStart = performance.now();
  for (let i = 0; i < LIVE_EVENTS; i += perTick) {
    const dueAt = liveStart + (i / RATE) * 1000;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await Promise.all(
      Array.from({ length: Math.min(perTick, LIVE_EVENTS - i) }, async (_, j) => {
        const eventId = newId();
        await store.append(`bench-${(i + j) % STREAMS}`, [{ ...movement(i + j), eventId }], 'any', metadata);
        appendedAt.set(eventId, performance.now());
      }),
    );
  }
  await until(() => receivedAt.size >= LIVE_EVENTS, 'the consumer to receive every live event');
  const liveMs = performance.now() - liveStart;
  await consumer.disconnect();
  await liveRelay.stop();
  checkpoint.close();
  await store.close();
  cleanup();

  const lags = (to: Map<string, number>) =>
    [...appendedAt].map(([id, at]) => (to.get(id) ?? Number.NaN) - at).sort((a, b) => a - b);
  const toAck = lags(ackedAt);
  const toConsumer = lags(receivedAt);
  if (toAck.some(Number.isNaN) || toConsumer.some(Number.isNaN)) throw new Error('an appended event was not seen');
  const result = {
    bench: 'relay',
    broker: brokers.join(','),
    partitions: PARTITIONS,
    maxBatch: MAX_BATCH,
    logToBroker: { events: EVENTS, ms: Math.round(backlogMs), eventsPerSec: perSecond(EVENTS, backlogMs) },
    endToEnd: {
      events: LIVE_EVENTS,
      targetRatePerSec: RATE,
      achievedRatePerSec: perSecond(LIVE_EVENTS, liveMs),
      appendToBrokerAckMs: { p50: percentile(toAck, 50), p99: percentile(toAck, 99), max: percentile(toAck, 100) },
      appendToConsumerMs: { p50: percentile(toConsumer, 50), p99: percentile(toConsumer, 99), max: percentile(toConsumer, 100) },
    },
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

runBench(main, { exitAtOnce: true });
