/**
 * The bare baseline of bench:http: the least a durable donation route can do on this machine.
 * A Fastify route validates the body with a JSON schema (Fastify's own compiled validator),
 * hashes the event (RFC 8785 canonical JSON, SHA-256, chained per stream like the ledger) and
 * inserts it into SQLite (WAL, synchronous=FULL) with group commit: the requests that arrive
 * while a commit runs are written together by the next one, and each answer waits for the commit
 * that holds its row. No authentication, no aggregate to load, no read models.
 *
 * Run as its own process by bench/http.bench.ts: `node dist/bench/http-baseline.js <dir> <port>`;
 * prints `listening <port>` when ready.
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../src/shared/canonical-json';

const [dir, portText] = process.argv.slice(2);
const db = new Database(join(dir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
  data TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream, version))`);
const insert = db.prepare('INSERT INTO events (stream, version, data, hash) VALUES (?, ?, ?, ?)');
const heads = new Map<string, { version: number; hash: string }>();

interface Pending { stream: string; data: string; resolve: (position: number) => void; reject: (e: unknown) => void }
let queue: Pending[] = [];
let scheduled = false;

const commit = db.transaction((batch: Pending[]) =>
  batch.map((p) => {
    const head = heads.get(p.stream) ?? { version: -1, hash: '0'.repeat(64) };
    const hash = sha256Hex(head.hash + p.data);
    const { lastInsertRowid } = insert.run(p.stream, head.version + 1, p.data, hash);
    heads.set(p.stream, { version: head.version + 1, hash });
    return Number(lastInsertRowid);
  }),
);

function flush(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  try {
    const positions = commit(batch);
    batch.forEach((p, i) => p.resolve(positions[i]));
  } catch (e) {
    for (const p of batch) p.reject(e);
  }
}

function append(stream: string, data: string): Promise<number> {
  return new Promise((resolve, reject) => {
    queue.push({ stream, data, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

const app = Fastify({ logger: false });
app.post(
  '/v1/donations',
  {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['sustainerId', 'fundId', 'amountMinor', 'currency', 'method', 'effectiveAt'],
        properties: {
          sustainerId: { type: 'string', format: 'uuid' },
          fundId: { type: 'string', format: 'uuid' },
          amountMinor: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          method: { enum: ['cash', 'cheque', 'card', 'bank-transfer', 'in-kind'] },
          effectiveAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' },
        },
      },
    },
  },
  async (request, reply) => {
    const body = request.body as { fundId: string };
    const movementId = randomUUID();
    const event = { eventId: randomUUID(), type: 'DonationReceived', streamId: `movement-${movementId}`, data: body, recordedAt: new Date().toISOString() };
    const position = await append(`fund-${body.fundId}`, canonicalJson(event));
    return reply.code(201).send({ movementId, status: 'posted', position });
  },
);

app.listen({ port: Number(portText), host: '127.0.0.1' }).then(() => process.stdout.write(`listening ${portText}\n`));
