import fc from 'fast-check';
import { canonicalJson, sha256Hex } from '../../shared/canonical-json';
import { EventMetadata, computeEventHash } from '../envelope';
import { canonicalMetadata } from './canonical-metadata';
import { canonicalEnvelope } from './sqlite-writer';

/** The hash chain is built from canonical JSON written out by hand: it must be exactly RFC 8785's. */
describe('canonical text of the write path', () => {
  const text = fc.string({ unit: 'binary' });
  const metadata: fc.Arbitrary<EventMetadata> = fc.record(
    { actorId: text, actorRole: text, correlationId: text, causationId: text, idempotencyKey: text },
    { requiredKeys: ['actorId', 'actorRole', 'correlationId', 'causationId'] },
  );

  it('hashes an envelope as computeEventHash does', () => {
    fc.assert(
      fc.property(
        fc.record({
          eventId: text,
          type: text,
          schemaVersion: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
          streamId: text,
          streamVersion: fc.nat(),
          recordedAt: text,
          effectiveAt: text,
          data: fc.jsonValue(),
          metadata,
          prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
        }),
        ({ data, metadata: meta, ...envelope }) => {
          const text = canonicalEnvelope({ ...envelope, data: canonicalJson(data), metadata: canonicalMetadata(meta) });
          expect(sha256Hex(envelope.prevHash + text)).toBe(computeEventHash({ ...envelope, data, metadata: meta }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes metadata as canonicalJson does, extra fields included', () => {
    const withExtras = fc
      .tuple(metadata, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }))
      .map(([known, extra]) => ({ ...extra, ...known }) as EventMetadata);
    fc.assert(
      fc.property(fc.oneof(metadata, withExtras), (meta) => {
        expect(canonicalMetadata(meta)).toBe(canonicalJson(meta));
      }),
      { numRuns: 500 },
    );
  });

  it('stores data as text that reads back to the same canonical form', () => {
    // The store keeps canonicalJson of the data; a verifier re-hashes JSON.parse of that text.
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        expect(canonicalJson(JSON.parse(canonicalJson(data)))).toBe(canonicalJson(data));
      }),
      { numRuns: 500 },
    );
  });
});
