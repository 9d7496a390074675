import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less when `signal` aborts (not at all when it already has); never rejects. The
 * loops that retry or poll (projections, webhooks, the KurrentDB subscription) wait with it, so a
 * stop ends their wait at once.
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).then(
    () => undefined,
    () => undefined,
  );
}
