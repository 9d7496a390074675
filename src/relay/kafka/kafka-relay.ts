import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { Kafka, Partitioners, logLevel, type LogEntry, type Message, type Producer } from 'kafkajs';
import type { RecordedEvent } from '../../event-store/envelope';
import type { EventStore } from '../../event-store/event-store.port';
import { LogRelay, type RelayStatus } from '../log-relay';
import type { RelayCheckpoints } from './relay-checkpoint';

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface KafkaRelayOptions {
  readonly store: EventStore;
  readonly checkpoint: RelayCheckpoints;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId: string;
  /** Events per send at most; default 500. */
  readonly maxBatch?: number;
  /** How long a partial batch waits for more events before it is sent; default 5 ms. */
  readonly lingerMs?: number;
  /** The longest wait between two attempts, both kafkajs's own and a restarted session; default 30 s. */
  readonly maxBackoffMs?: number;
  /** Partitions of the topic when the relay has to create it; default: the broker's default. */
  readonly numPartitions?: number;
  readonly logger?: RelayLogger;
  /** Called with each batch once the broker acknowledged it and the checkpoint holds it; for metrics. */
  readonly onPublished?: (events: readonly RecordedEvent[]) => void;
}

/** The headers every published event carries, so consumers can route and dedupe without parsing the value. */
export const RELAY_HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
  globalPosition: 'global-position',
  hash: 'hash',
} as const;

/** A send waiting longer than this shows as `waiting-for-broker` in /health. */
const STALLED_AFTER_MS = 5000;
const LINGER = Symbol('linger');

const silent: RelayLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** One event as a Kafka message: keyed by stream (per-stream order), the full envelope as JSON. */
export function toKafkaMessage(event: RecordedEvent): Message {
  return {
    key: event.streamId,
    value: JSON.stringify(event),
    headers: {
      [RELAY_HEADERS.eventId]: event.eventId,
      [RELAY_HEADERS.eventType]: event.type,
      [RELAY_HEADERS.schemaVersion]: String(event.schemaVersion),
      [RELAY_HEADERS.globalPosition]: String(event.globalPosition),
      [RELAY_HEADERS.hash]: event.hash,
    },
  };
}

function raceLinger<T>(promise: Promise<T>, ms: number): Promise<T | typeof LINGER> {
  let timer: NodeJS.Timeout | undefined;
  const linger = new Promise<typeof LINGER>((resolve) => {
    timer = setTimeout(() => resolve(LINGER), ms);
  });
  return Promise.race([promise, linger]).finally(() => clearTimeout(timer));
}

/**
 * Publishes the global log to one Kafka topic, at least once.
 *
 * It follows the log with the store's catch-up subscription from its durable checkpoint, sends
 * events in batches through an idempotent producer (one request in flight, so a retried batch
 * cannot overtake the next), and moves the checkpoint only after the broker acknowledged the
 * whole batch (acks from all in-sync replicas). A crash between the acknowledgement and the
 * checkpoint publishes that batch again on restart: consumers drop duplicates by `event-id`.
 *
 * Failures: kafkajs retries each send on its own (without limit, as its idempotent producer
 * requires, backing off up to `maxBackoffMs`), so a broker outage just holds the relay at its
 * checkpoint. Anything that ends a session (a refused connection at start, a fatal producer
 * error, a failing subscription) restarts it from the checkpoint after a backoff that cockatiel
 * bounds at `maxBackoffMs`; the relay keeps trying until it is stopped, and /health shows why.
 */
export class KafkaRelay extends LogRelay {
  private readonly kafka: Kafka;
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: RelayLogger;
  private state: RelayStatus['state'] = 'stopped';
  private position: number;
  private published = 0;
  private lastError?: string;
  private lastErrorAt?: string;
  private sendingSince?: number;
  private abort?: AbortController;
  private loop?: Promise<void>;

  constructor(private readonly options: KafkaRelayOptions) {
    super();
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 5;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.logger = options.logger ?? silent;
    // A checkpoint in a file is read now (for /health before the first session); one in PostgreSQL when a session starts.
    const loaded = options.checkpoint.load(options.topic);
    this.position = typeof loaded === 'number' ? loaded : 0;
    if (typeof loaded !== 'number') loaded.catch(() => undefined);
    const logger = this.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      connectionTimeout: 3000,
      // kafkajs's own log goes through ours, errors only: a broker outage is reported once by the
      // relay's state, not once per reconnection attempt at a louder level.
      logLevel: logLevel.ERROR,
      logCreator:
        () =>
        ({ namespace, log }: LogEntry) =>
          logger.warn(`kafkajs ${namespace}: ${log.message}`),
    });
  }

  status(): RelayStatus {
    const stalled =
      this.state === 'running' && this.sendingSince !== undefined && Date.now() - this.sendingSince > STALLED_AFTER_MS;
    return {
      state: stalled ? 'waiting-for-broker' : this.state,
      topic: this.options.topic,
      position: this.position,
      published: this.published,
      ...(this.lastError ? { lastError: this.lastError, lastErrorAt: this.lastErrorAt } : {}),
    };
  }

  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.state = 'starting';
    const sessions = retry(
      handleWhen(() => !abort.signal.aborted),
      { maxAttempts: Number.POSITIVE_INFINITY, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: this.maxBackoffMs }) },
    );
    sessions.onRetry((event) => {
      this.state = 'retrying';
      const reason = 'error' in event ? (event.error instanceof Error ? event.error.message : String(event.error)) : 'session ended';
      this.noteError(reason);
      this.logger.warn(`Kafka relay: ${reason}; restarting from position ${this.position} in ${Math.round(event.delay)} ms`);
    });
    this.loop = sessions
      .execute(() => this.session(abort.signal), abort.signal)
      .catch((error: unknown) => {
        if (!abort.signal.aborted) this.noteError(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        this.state = 'stopped';
      });
  }

  /** Stops following the log; waits (bounded) for a send in flight. Unacknowledged events are sent again next time. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.loop) return;
    this.abort?.abort();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn(`Kafka relay: did not stop within ${timeoutMs} ms (a send is still waiting for the broker)`);
        resolve();
      }, timeoutMs);
    });
    await Promise.race([this.loop, timeout]);
    clearTimeout(timer);
    this.loop = undefined;
    this.state = 'stopped';
  }

  /** Connect, follow the log from the checkpoint, publish until aborted or until something fails. */
  private async session(outer: AbortSignal): Promise<void> {
    // The subscription gets its own signal, so a failed session can end it even though the relay goes on.
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    outer.addEventListener('abort', onAbort, { once: true });
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: this.maxBackoffMs },
    });
    let iterator: AsyncIterator<RecordedEvent> | undefined;
    try {
      await producer.connect();
      await this.ensureTopic();
      this.position = await this.options.checkpoint.load(this.options.topic);
      this.state = 'running';
      this.logger.log(`Kafka relay: publishing to ${this.options.topic} from position ${this.position}`);
      iterator = this.options.store.subscribeToAll({ after: this.position, signal: abort.signal })[Symbol.asyncIterator]();
      await this.pump(iterator, producer, abort.signal);
    } finally {
      abort.abort();
      outer.removeEventListener('abort', onAbort);
      await iterator?.return?.().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    }
  }

  /** Gathers events into batches (full, or lingered on) and publishes each before taking more. */
  private async pump(iterator: AsyncIterator<RecordedEvent>, producer: Producer, signal: AbortSignal): Promise<void> {
    let batch: RecordedEvent[] = [];
    let next = iterator.next();
    for (;;) {
      const step = batch.length === 0 ? await next : await raceLinger(next, this.lingerMs);
      if (step === LINGER) {
        await this.publish(producer, batch);
        batch = [];
        continue;
      }
      if (step.done) break;
      batch.push(step.value);
      next = iterator.next();
      // A read the session abandons must not surface later as an unhandled rejection.
      next.catch(() => undefined);
      if (batch.length >= this.maxBatch) {
        await this.publish(producer, batch);
        batch = [];
      }
    }
    if (batch.length > 0 && !signal.aborted) await this.publish(producer, batch);
  }

  private async publish(producer: Producer, batch: readonly RecordedEvent[]): Promise<void> {
    this.sendingSince = Date.now();
    try {
      await producer.send({ topic: this.options.topic, acks: -1, messages: batch.map(toKafkaMessage) });
    } finally {
      this.sendingSince = undefined;
    }
    // Acknowledged: only now may the checkpoint move past these events.
    const last = batch[batch.length - 1].globalPosition;
    await this.options.checkpoint.save(this.options.topic, last);
    this.position = last;
    this.published += batch.length;
    this.options.onPublished?.(batch);
  }

  /** Creates the topic with the broker's defaults when it does not exist; an existing one is left as it is. */
  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (existing.includes(this.options.topic)) return;
      await admin.createTopics({
        topics: [{ topic: this.options.topic, ...(this.options.numPartitions ? { numPartitions: this.options.numPartitions } : {}) }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private noteError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = new Date().toISOString();
  }
}
