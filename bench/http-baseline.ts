/**
 * The bare baseline of bench:http: the least a durable donation route can do on this machine.
 * A Fastify route validates the body with a JSON schema (Fastify's own compiled validator) and
 * records it as bench/http-baseline-store.ts does (hashed, chained per fund, SQLite WAL
 * synchronous=FULL, group commit). No authentication, no aggregate to load, no read models.
 *
 * Run as its own process by bench/http.bench.ts: `node dist/bench/http-baseline.js <dir> <port>`;
 * prints `listening <port>` when ready.
 */
import Fastify from 'fastify';
import { BaselineGift, openBaselineStore } from './http-baseline-store';

const [dir, portText] = process.argv.slice(2);
const record = openBaselineStore(dir, 'baseline.db');

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
  async (request, reply) => reply.code(201).send(await record(request.body as BaselineGift)),
);

app.listen({ port: Number(portText), host: '127.0.0.1' }).then(() => process.stdout.write(`listening ${portText}\n`));
