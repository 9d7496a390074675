import fc from 'fast-check';
import { canonicalJson } from '../../shared/canonical-json';
import { EventMetadata, computeEventHash, hashEnvelopeText } from '../envelope';

/** The writer thread hashes data and metadata as the canonical text it stores: exactly as computeEventHash. */
describe('canonical text of the write path', () => {
  // The envelope's own keys, and text like its shape, inside the values.
  const tricky = fc.constantFrom('prevHash', 'streamVersion', 'metadata', '"prevHash":', '"metadata":null', 'null', 'data', 'type');
  const text = fc.oneof(fc.string({ unit: 'binary' }), tricky);
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
    object: fc.dictionary(fc.oneof(tricky, fc.string()), tie('value'), { maxKeys: 4 }),
  })).value;
  const metadata: fc.Arbitrary<EventMetadata> = fc
    .tuple(
      fc.record(
        { actorId: text, actorRole: text, correlationId: text, causationId: text, idempotencyKey: text },
        { requiredKeys: ['actorId', 'actorRole', 'correlationId', 'causationId'] },
      ),
      fc.dictionary(fc.oneof(tricky, fc.string()), json, { maxKeys: 2 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }) as EventMetadata);

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
          data: json,
          metadata,
          prevHash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), text),
        }),
        (envelope) => {
          const hash = hashEnvelopeText({ ...envelope, data: canonicalJson(envelope.data), metadata: canonicalJson(envelope.metadata) });
          expect(hash).toBe(computeEventHash(envelope));
        },
      ),
      { numRuns: 1000 },
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
