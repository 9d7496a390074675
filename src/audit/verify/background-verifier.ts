import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { DEFAULT_VERIFY_INTERVAL_SECONDS, LedgerConfig } from '../../config';
import { EventStore } from '../../event-store/event-store.port';
import { EventCatalogue } from '../../event-store/event-catalogue';
import { ledgerEventRules } from '../event-rules';
import { LogProblem, LogVerifier, storeProbe } from './verify-log';
import { SealService } from '../seals/seal.service';
import { sealVerification } from '../seals/verify-seals';

export interface VerificationStatus {
  /**
   * `pending` until the first pass reaches the head; `ok` when everything up to `verifiedUpTo`
   * verified; `failed` from the first problem on (the log does not heal; a restart verifies again
   * from position 0); `disabled` when LEDGER_VERIFY_INTERVAL_SECONDS is 0.
   */
  readonly status: 'pending' | 'ok' | 'failed' | 'disabled';
  readonly intervalSeconds: number;
  /** Every event up to this position has been verified. */
  readonly verifiedUpTo: number;
  readonly eventsChecked: number;
  /** When a run last reached the head it set out for. */
  readonly lastCompletedAt?: string;
  readonly firstProblem?: LogProblem;
}

/** Events verified in one go before the verifier gives the event loop back to requests. */
const SLICE = 2000;
/** The pause between slices: the verifier takes at most about two thirds of a core. */
const PAUSE_MS = 10;
/**
 * Every this many runs, one re-reads the whole log from position 0 with fresh state: an
 * incremental run never reads old events again, and a page can go bad after it was verified.
 */
export const FULL_PASS_EVERY = 24;

/**
 * Runs `ledger verify` in the background, incrementally: it keeps the per-stream heads and the
 * last position verified, and each run goes on from there to the head of the moment, in slices
 * that yield to requests. So a run costs what was appended since the last one, and never runs in
 * the request path. Its result is part of readiness (/health).
 */
@Injectable()
export class BackgroundVerifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Verify');
  private readonly intervalSeconds: number;
  private verifier: LogVerifier;
  private runs = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<VerificationStatus>;
  private stopped = false;
  private completedAt?: string;
  private reachedHead = false;

  constructor(
    private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    private readonly catalogue: EventCatalogue,
    @Optional() private readonly seals?: SealService,
  ) {
    this.intervalSeconds = config.verifyIntervalSeconds ?? DEFAULT_VERIFY_INTERVAL_SECONDS;
    this.verifier = this.freshVerifier();
  }

  private freshVerifier(): LogVerifier {
    // Every seal in the log is checked too (its signature, its root against the rebuilt tree).
    const seals = this.seals ? [sealVerification(this.seals.sealer.keys).rule] : [];
    return new LogVerifier({ gapFreePositions: this.store.positionsAreGapFree, rules: [...ledgerEventRules(this.catalogue), ...seals], probe: storeProbe(this.store) });
  }

  onApplicationBootstrap(): void {
    if (this.intervalSeconds > 0) this.schedule(0);
  }

  onApplicationShutdown(): Promise<unknown> | undefined {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce().finally(() => {
        if (!this.verifier.failed) this.schedule(this.intervalSeconds * 1000);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Verifies from the last verified position to the current head; one run at a time. */
  runOnce(): Promise<VerificationStatus> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<VerificationStatus> {
    if (this.verifier.failed) return this.status();
    this.runs += 1;
    // The seal keys as they are now: shared in PostgreSQL they are read by a refresh, and a run at
    // start may come before the follower's first one (every seal would be by an unknown key).
    try {
      await this.seals?.sealer.keys.refresh();
    } catch {
      // The keys known so far; a seal by another is then reported, and the next run reads again.
    }
    // The fresh pass takes over only once it reached the head (or found a problem); until then
    // the status is the incremental one's.
    const fullPass = this.runs % FULL_PASS_EVERY === 0;
    const verifier = fullPass ? this.freshVerifier() : this.verifier;
    let reached = false;
    try {
      const head = await this.store.headPosition();
      while (!this.stopped && !verifier.failed && verifier.position < head) {
        const from = verifier.position;
        try {
          for await (const event of this.store.readAll({ after: from, maxCount: SLICE })) {
            if (event.globalPosition > head) break;
            verifier.check(event);
          }
        } catch (error) {
          await verifier.unreadable(error);
        }
        // Nothing read although the head is further on: the log lost its tail; verify says so.
        if (verifier.position === from && !verifier.failed) break;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS).unref());
      }
      reached = !this.stopped && verifier.position >= head;
    } catch (error) {
      await verifier.unreadable(error);
    }
    if (fullPass && (verifier.failed || reached)) this.verifier = verifier;
    if (reached) {
      this.reachedHead = true;
      this.completedAt = new Date().toISOString();
    }
    if (verifier.failed) {
      const problem = verifier.result().firstProblem!;
      this.logger.error(`background verification failed at position ${problem.position}: ${problem.kind}: ${problem.detail}`);
    }
    return this.status();
  }

  status(): VerificationStatus {
    const result = this.verifier.result();
    const status = result.firstProblem ? 'failed' : this.intervalSeconds === 0 && !this.reachedHead ? 'disabled' : this.reachedHead ? 'ok' : 'pending';
    return {
      status,
      intervalSeconds: this.intervalSeconds,
      verifiedUpTo: result.lastPosition,
      eventsChecked: result.eventsChecked,
      ...(this.completedAt ? { lastCompletedAt: this.completedAt } : {}),
      ...(result.firstProblem ? { firstProblem: result.firstProblem } : {}),
    };
  }
}
