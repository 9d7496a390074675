import { createHash, generateKeyPairSync } from 'node:crypto';
import { GENESIS_HASH, type RecordedEvent } from '../../event-store/envelope';
import { MerkleBuilder, leafHash, toHex } from './merkle';
import { SealChecker, trustKeys } from './seal-checker';
import { LOG_SEALED, SEAL_STREAM, SealData, keyIdOf, publicKeyPem, sealStatement, signStatement } from './seal-statement';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const keyId = keyIdOf(publicKey);

const hashOf = (i: number) => createHash('sha256').update(`event ${i}`).digest('hex');
const plain = (position: number): RecordedEvent => ({
  globalPosition: position, eventId: `e-${position}`, streamId: `fund-${position % 2}`, streamVersion: 0, type: 'MovementPosted', schemaVersion: 1,
  recordedAt: '2026-12-04T10:00:00.000Z', effectiveAt: '2026-12-04T10:00:00.000Z', data: {}, metadata: { actorId: 'a', actorRole: 'steward', correlationId: 'c', causationId: 'c' },
  prevHash: GENESIS_HASH, hash: hashOf(position),
});
function sealAt(position: number, fields: Omit<SealData, 'signature' | 'keyId' | 'sealedAt' | 'previousSeal'>): RecordedEvent {
  const unsigned = { ...fields, sealedAt: '2026-12-04T10:00:00.000Z', previousSeal: null, keyId };
  return { ...plain(position), streamId: SEAL_STREAM, type: LOG_SEALED, data: { ...unsigned, signature: signStatement(sealStatement(unsigned), privateKey) } };
}

describe('SealChecker', () => {
  const rootOf = (n: number) => {
    const builder = new MerkleBuilder();
    for (let i = 1; i <= n; i++) builder.push(leafHash(hashOf(i)));
    return toHex(builder.root);
  };

  it('accepts a genuine seal over the events before it', () => {
    const checker = new SealChecker(trustKeys([publicKeyPem(publicKey)]));
    for (let p = 1; p <= 5; p++) expect(checker.check(plain(p))).toBeUndefined();
    expect(checker.check(sealAt(6, { treeSize: 4, rootHash: rootOf(4), lastPosition: 4 }))).toBeUndefined();
    expect(checker.summary()).toMatchObject({ sealsChecked: 1, treeSize: 6, unsealedEvents: 1, lastSeal: { treeSize: 4 } });
  });

  it('refuses a genuinely signed seal of a negative tree size, and one past the events before it', () => {
    const checker = new SealChecker(trustKeys([publicKeyPem(publicKey)]));
    for (let p = 1; p <= 3; p++) checker.check(plain(p));
    expect(checker.check(sealAt(4, { treeSize: -1, rootHash: rootOf(0), lastPosition: 0 }))).toBe('seal covers -1 events: a tree size is never negative');
    expect(checker.check(sealAt(5, { treeSize: 9, rootHash: rootOf(3), lastPosition: 3 }))).toMatch(/^seal covers 9 events but only 4 come before it/);
    expect(checker.summary().lastSeal).toBeUndefined();
  });
});
