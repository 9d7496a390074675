import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7, validate, version } from 'uuid';

/**
 * The random bytes of new ids, drawn from the system's generator 4 kB at a time (as Node's own
 * randomUUID does): the library's default asks the Web Crypto API for 16 bytes per id, about
 * 1.5 µs each, and a gift makes a few dozen ids (events, movements, requests).
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

function randomBytes16(): Uint8Array {
  if (used + 16 > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

/**
 * The library's own order within a millisecond (RFC 9562 §6.2, method 1: a counter seeded from
 * the random bytes in each new millisecond, carried into the next when it overflows), kept here
 * because the library keeps it only for ids it draws the randomness of itself.
 */
const clock = { msecs: -Infinity, seq: 0 };

/** Time-ordered identifiers (UUIDv7, RFC 9562): they sort by creation, which keeps indexes tight. */
export function newId(): string {
  const random = randomBytes16();
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs += 1;
  }
  return uuidv7({ random, msecs: clock.msecs, seq: clock.seq });
}

export function isUuid(value: string): boolean {
  return validate(value) && version(value) >= 1;
}
