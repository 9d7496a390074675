import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Each subscriber's signing secret is derived, never stored: HMAC-SHA256 of the subscription id
 * under one key of the instance's (`webhooks.key` in the data directory, or the file that
 * LEDGER_WEBHOOK_KEY_FILE names). So the secret is in no event (the log is forever, and goes out
 * through Kafka and webhooks), there is no table of secrets to leak or to lose in step with the
 * log, and every instance holding the same key signs alike. Shown once, at registration.
 */
export class WebhookSecrets {
  private constructor(private readonly key: Buffer) {}

  /** Reads the key file, creating it (32 random bytes, mode 0600) when it does not exist yet. */
  static open(file: string): WebhookSecrets {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    }
    const key = WebhookSecrets.readKey(file);
    try {
      chmodSync(file, 0o600);
    } catch {
      // A key file on a read-only mount is fine as it is.
    }
    return new WebhookSecrets(key);
  }

  /** The key of an existing key file (for the first instance that puts it in PostgreSQL). */
  static readKey(file: string): Buffer {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length < 32) throw new Error(`${file}: the webhook key must be at least 32 bytes, base64`);
    return key;
  }

  static fromKey(key: Buffer): WebhookSecrets {
    return new WebhookSecrets(key);
  }

  secretFor(subscriptionId: string): string {
    return `whsec_${createHmac('sha256', this.key).update(`webhook-secret:${subscriptionId}`).digest('base64url')}`;
  }
}
