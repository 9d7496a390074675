/**
 * What /health shows of a publisher that follows the global log (the Kafka relay). The token is
 * an abstract class so the health check depends on neither kafkajs nor the relay's module, and
 * finds no provider at all when no relay is configured.
 */
export interface RelayStatus {
  /** starting: connecting; running: following the log; waiting-for-broker: a send has waited over 5 s; retrying: a session failed and restarts after a backoff; stopped. */
  readonly state: 'starting' | 'running' | 'waiting-for-broker' | 'retrying' | 'stopped';
  readonly topic: string;
  /** Global position of the last event the broker acknowledged (the durable checkpoint). */
  readonly position: number;
  /** Events acknowledged since this process started the relay. */
  readonly published: number;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
}

export abstract class LogRelay {
  abstract status(): RelayStatus;
}
