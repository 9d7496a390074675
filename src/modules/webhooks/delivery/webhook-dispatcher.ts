import { randomUUID } from 'node:crypto';
import { BulkheadPolicy, ExponentialBackoff, bulkhead, handleAll, retry } from 'cockatiel';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { EventStore } from '../../../event-store/event-store.port';
import { ALL_TYPES } from '../subscription/subscription.decider';
import type { SubscriptionRow } from '../subscriptions/subscriptions.projection';
import type { DeliveryRow, DeliveryStates } from './delivery-state';
import { WEBHOOK_HEADERS, signatureHeader } from './webhook-signature';
import type { WebhookSecrets } from './webhook-secrets';
import { sleepUnlessAborted } from '../../../shared/sleep';

export interface DispatcherLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface WebhookDispatcherOptions {
  readonly store: EventStore;
  readonly state: DeliveryStates;
  readonly secrets: WebhookSecrets;
  /** The live subscriptions (active and paused), read from the read model. */
  readonly subscriptions: () => readonly SubscriptionRow[];
  /** Requests in flight at once, over all subscribers; default 4. */
  readonly concurrency?: number;
  /** One request's time limit; default 10 s. */
  readonly timeoutMs?: number;
  /** First retry after this; doubled each time; default 500 ms. */
  readonly initialBackoffMs?: number;
  /** The longest wait between two attempts; default 300 s. */
  readonly maxBackoffMs?: number;
  /** Events per POST at most; default 100. */
  readonly maxBatch?: number;
  /** How often a subscriber at the head of the log looks for new events; default 100 ms. */
  readonly pollMs?: number;
  /** How often the list of subscriptions is read again; default 500 ms. */
  readonly reconcileMs?: number;
  readonly logger?: DispatcherLogger;
}

export type WorkerState = 'idle' | 'delivering' | 'retrying' | 'paused' | 'stopped' | 'disabled' | 'standby';

export interface DeliveryStatus extends Partial<DeliveryRow> {
  readonly state: WorkerState;
}

/** Events read from the log per look, matching or not. */
const SCAN_PAGE = 1000;
const silent: DispatcherLogger = { log: () => undefined, warn: () => undefined };


export function matches(subscription: Pick<SubscriptionRow, 'eventTypes'>, type: string, deliverable: (type: string) => boolean): boolean {
  if (!deliverable(type)) return false;
  return subscription.eventTypes.includes(ALL_TYPES) || subscription.eventTypes.includes(type);
}

/** The body of one delivery: the events exactly as recorded (personal data sealed, hashes to check). */
export function deliveryBody(subscriptionId: string, deliveryId: string, events: readonly RecordedEvent[]): string {
  return JSON.stringify({ subscriptionId, deliveryId, events });
}

interface Worker {
  readonly subscriptionId: string;
  readonly abort: AbortController;
  state: WorkerState;
  loop: Promise<void>;
}

/**
 * Delivers the log to webhook subscribers, at least once and in log order (so in order per
 * stream), as a follower beside the projections: nothing happens inside a command.
 *
 * One worker per active subscription reads the global log from that subscriber's durable
 * checkpoint (webhooks.db), gathers matching events into a batch, and POSTs it signed. Only a 2xx moves the checkpoint; anything else (a status,
 * a refused connection, a timeout, a redirect: redirects are not followed) is retried, the same
 * batch with the same delivery id, with exponential backoff from `initialBackoffMs` up to
 * `maxBackoffMs`, until it is accepted or the subscription is paused or deleted. A batch is
 * never skipped, so a receiver that was down gets everything after it recovers, in order.
 * Requests in flight are bounded over all subscribers by a bulkhead.
 */
export class WebhookDispatcher {
  private readonly workers = new Map<string, Worker>();
  /** Workers told to stop whose loop has not ended yet: a new worker for the same subscriber waits for it, so two never POST at once. */
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly bulkhead: BulkheadPolicy;
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxBatch: number;
  private readonly pollMs: number;
  private readonly logger: DispatcherLogger;
  private timer?: NodeJS.Timeout;
  private running = false;
  /** Delivery is on here, but another instance holds the singleton lease and delivers (shown as `standby`). */
  standby = false;

  constructor(
    private readonly options: WebhookDispatcherOptions,
    private readonly deliverable: (type: string) => boolean,
  ) {
    const concurrency = options.concurrency ?? 4;
    // Every worker waits for at most one request, so the queue is bounded by the subscriptions.
    this.bulkhead = bulkhead(concurrency, Number.MAX_SAFE_INTEGER);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 300_000;
    this.maxBatch = options.maxBatch ?? 100;
    this.pollMs = options.pollMs ?? 100;
    this.logger = options.logger ?? silent;
  }

  get enabled(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.reconcile();
    this.timer = setInterval(() => this.reconcile(), this.options.reconcileMs ?? 500);
    this.timer.unref();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    const loops = [...this.workers.values()].map((w) => {
      w.abort.abort();
      return w.loop;
    });
    loops.push(...this.stopping.values());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(loops), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.workers.clear();
  }

  /** What /v1/webhooks shows of one subscription's delivery. */
  async status(subscription: SubscriptionRow): Promise<DeliveryStatus> {
    const row = await this.options.state.get(subscription.subscriptionId);
    const state: WorkerState = !this.running
      ? this.standby
        ? 'standby'
        : 'disabled'
      : subscription.status === 'paused'
        ? 'paused'
        : subscription.status === 'deleted'
          ? 'stopped'
          : (this.workers.get(subscription.subscriptionId)?.state ?? 'idle');
    return { state, ...(row ?? { position: subscription.registeredPosition, delivered: 0, failedAttempts: 0, consecutiveFailures: 0 }) };
  }

  /** Starts a worker for each active subscription, stops those paused or deleted. */
  reconcile(): void {
    if (!this.running) return;
    let live: readonly SubscriptionRow[];
    try {
      live = this.options.subscriptions();
    } catch (error) {
      this.logger.warn(`Webhooks: cannot read the subscriptions: ${(error as Error).message}`);
      return;
    }
    const active = new Map(live.filter((s) => s.status === 'active').map((s) => [s.subscriptionId, s]));
    for (const [id, worker] of this.workers) {
      if (!active.has(id)) {
        worker.abort.abort();
        this.workers.delete(id);
        const ended = worker.loop.finally(() => {
          if (this.stopping.get(id) === ended) this.stopping.delete(id);
        });
        this.stopping.set(id, ended);
      }
    }
    for (const [id, subscription] of active) {
      if (this.workers.has(id)) continue;
      const abort = new AbortController();
      const worker: Worker = { subscriptionId: id, abort, state: 'idle', loop: Promise.resolve() };
      const previous = this.stopping.get(id) ?? Promise.resolve();
      worker.loop = previous.then(() => (abort.signal.aborted ? undefined : this.follow(worker, subscription))).catch((error: unknown) => {
        if (!abort.signal.aborted) this.logger.warn(`Webhooks: subscription ${id} stopped: ${(error as Error).message}; it restarts shortly`);
        // A worker that ended by itself (a failed read) is started again by the next reconcile.
        if (this.workers.get(id) === worker) this.workers.delete(id);
      });
      this.workers.set(id, worker);
    }
  }

  /**
   * Reads the log from the checkpoint in pages (at most `maxBatch` matching events or 1,000 read),
   * delivers what matched, moves on; at the head it waits `pollMs` before looking again. Polling,
   * not a subscription woken by every append: a busy ledger costs each subscriber a few reads a
   * second, not one per command.
   */
  private async follow(worker: Worker, subscription: SubscriptionRow): Promise<void> {
    const signal = worker.abort.signal;
    const id = subscription.subscriptionId;
    let position = ((await this.options.state.get(id)) ?? (await this.options.state.start(id, subscription.registeredPosition))).position;
    while (!signal.aborted) {
      const batch: RecordedEvent[] = [];
      let scanned = position;
      let read = 0;
      for await (const event of this.options.store.readAll({ after: position, maxCount: SCAN_PAGE })) {
        read++;
        scanned = event.globalPosition;
        if (matches(subscription, event.type, this.deliverable)) batch.push(event);
        if (batch.length >= this.maxBatch) break;
      }
      if (signal.aborted) return;
      if (batch.length > 0) {
        await this.deliver(worker, id, batch, scanned);
      } else if (scanned > position) {
        // Events of other types passed over: the checkpoint moves so a restart need not read them again.
        await this.options.state.delivered(id, scanned, 0, new Date());
      }
      position = scanned;
      // A full page means a backlog: go on at once. Otherwise wait, so that a steady stream of
      // commands becomes a few batches a second rather than one request per command.
      if (read < SCAN_PAGE && batch.length < this.maxBatch) await sleepUnlessAborted(this.pollMs, signal);
    }
  }

  /** POSTs one batch until a 2xx (or the worker is stopped), then moves the checkpoint to `upTo`. */
  private async deliver(worker: Worker, subscriptionId: string, events: readonly RecordedEvent[], upTo: number): Promise<void> {
    const signal = worker.abort.signal;
    const deliveryId = randomUUID();
    const body = deliveryBody(subscriptionId, deliveryId, events);
    const secret = this.options.secrets.secretFor(subscriptionId);
    const policy = retry(handleAll, {
      maxAttempts: Number.MAX_SAFE_INTEGER,
      backoff: new ExponentialBackoff({ initialDelay: this.initialBackoffMs, maxDelay: this.maxBackoffMs }),
    });
    policy.onRetry((event) => {
      worker.state = 'retrying';
      const reason = 'error' in event && event.error instanceof Error ? event.error.message : 'failed';
      const now = new Date();
      // Bookkeeping for /v1/webhooks; a failure to write it must not stop the retries.
      void Promise.resolve()
        .then(() => this.options.state.failed(subscriptionId, reason, now, new Date(now.getTime() + event.delay)))
        .catch(() => undefined);
    });
    worker.state = 'delivering';
    await policy.execute(async () => {
      if (signal.aborted) throw new Error('stopped');
      await this.bulkhead.execute(() => this.post(subscriptionId, deliveryId, body, secret, signal));
    }, signal);
    worker.state = 'idle';
    await this.options.state.delivered(subscriptionId, upTo, events.length, new Date());
  }

  private async post(subscriptionId: string, deliveryId: string, body: string, secret: string, outer: AbortSignal): Promise<void> {
    const subscription = this.options.subscriptions().find((s) => s.subscriptionId === subscriptionId);
    if (!subscription || subscription.status !== 'active') throw new Error('the subscription is no longer active');
    const timestamp = Math.floor(Date.now() / 1000);
    const signal = AbortSignal.any([outer, AbortSignal.timeout(this.timeoutMs)]);
    let response: Response;
    try {
      response = await fetch(subscription.url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'mutual-aid-ledger-webhooks/1',
          [WEBHOOK_HEADERS.subscription]: subscriptionId,
          [WEBHOOK_HEADERS.delivery]: deliveryId,
          [WEBHOOK_HEADERS.signature]: signatureHeader(secret, timestamp, body),
        },
        body,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(signal.aborted && !outer.aborted ? `no answer within ${this.timeoutMs} ms` : `request failed${cause ? ` (${cause})` : ''}`);
    }
    // The answer's body is not read: a receiver has nothing to say beyond its status.
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
  }
}
