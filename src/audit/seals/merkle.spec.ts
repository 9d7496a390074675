import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { peaksOf } from './merkle-store';
import {
  EMPTY_ROOT,
  Hash,
  MerkleBuilder,
  NodeReader,
  consistencyPath,
  inclusionPath,
  leafHash,
  nodeHash,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

/** RFC 9162 §2.1.1 MTH, written the naive recursive way, to check the real code against. */
function mth(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const eventHash = (i: number) => createHash('sha256').update(`event ${i}`).digest('hex');

/** A tree of n leaves with every node kept, as MerkleStore keeps them. */
function tree(n: number): { leaves: Hash[]; read: NodeReader; builder: MerkleBuilder } {
  const nodes = new Map<string, Hash>();
  const builder = new MerkleBuilder(64, (level, index, hash) => nodes.set(`${level}/${index}`, hash));
  const leaves: Hash[] = [];
  for (let i = 0; i < n; i++) {
    const leaf = leafHash(eventHash(i));
    leaves.push(leaf);
    builder.push(leaf);
  }
  const read: NodeReader = (level, index) => {
    const hash = nodes.get(`${level}/${index}`);
    if (!hash) throw new Error(`no node ${level}/${index}`);
    return hash;
  };
  return { leaves, read, builder };
}

describe('Merkle tree (RFC 9162)', () => {
  it('hashes leaves and nodes as RFC 9162 says: SHA-256 of 0x00 ‖ the event hash, of 0x01 ‖ left ‖ right', () => {
    const eventHash = 'ab'.repeat(32);
    const expectedLeaf = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(eventHash, 'hex')])).digest();
    expect(leafHash(eventHash).equals(expectedLeaf)).toBe(true);
    const right = createHash('sha256').update('right').digest();
    const expectedNode = createHash('sha256').update(Buffer.concat([Buffer.from([1]), expectedLeaf, right])).digest();
    expect(nodeHash(expectedLeaf, right).equals(expectedNode)).toBe(true);
    // A fresh Buffer each time: the scratch input is reused, the output never is.
    expect(leafHash(eventHash)).not.toBe(leafHash(eventHash));
  });

  it('hashes leaves and nodes with the 0x00 and 0x01 prefixes', () => {
    const h = eventHash(1);
    expect(leafHash(h)).toEqual(createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(h, 'hex')])).digest());
    const a = leafHash(eventHash(1));
    const b = leafHash(eventHash(2));
    expect(nodeHash(a, b)).toEqual(createHash('sha256').update(Buffer.concat([Buffer.from([1]), a, b])).digest());
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the builder, the stored nodes and the naive definition agree on every root', () => {
    const { leaves, read, builder } = tree(70);
    for (let n = 1; n <= 70; n++) {
      expect(rootAt(read, n)).toEqual(mth(leaves.slice(0, n)));
      if (70 - n < 64) expect(builder.rootAtRecent(n)).toEqual(mth(leaves.slice(0, n)));
    }
    expect(builder.root).toEqual(mth(leaves));
    expect(builder.rootAtRecent(0)).toEqual(EMPTY_ROOT);
  });

  it('the builder answers the root at each of its last `history` sizes, and nothing before them or before a resume', () => {
    const leaves = Array.from({ length: 300 }, (_, i) => leafHash(eventHash(i)));
    const builder = new MerkleBuilder(50);
    for (let n = 0; n < leaves.length; n++) {
      builder.push(leaves[n]);
      if (n % 37 !== 0 && n < 290) continue;
      for (let size = 0; size <= n + 1; size++) {
        const expected = size === 0 || n + 1 - size < 50 ? mth(leaves.slice(0, size)) : undefined;
        expect(builder.rootAtRecent(size)).toEqual(expected);
      }
    }
    expect(builder.rootAtRecent(301)).toBeUndefined();
    expect(builder.rootAtRecent(299.5)).toBeUndefined();
    const resumed = new MerkleBuilder(50);
    const whole = tree(100);
    resumed.resume(100, peaksOf(100).map(({ level, index }) => ({ level, hash: whole.read(level, index) })));
    for (let n = 100; n < 140; n++) resumed.push(leafHash(eventHash(n)));
    const all = Array.from({ length: 140 }, (_, i) => leafHash(eventHash(i)));
    for (let size = 90; size <= 140; size++) {
      expect(resumed.rootAtRecent(size)).toEqual(size >= 100 ? mth(all.slice(0, size)) : undefined);
    }
  });

  it('every inclusion and consistency proof up to 40 leaves verifies, and fails for another leaf, index or size', () => {
    const { leaves, read } = tree(41);
    for (let n = 1; n <= 40; n++) {
      const root = rootAt(read, n);
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(read, m, n);
        expect(verifyInclusion(leaves[m], m, n, path, root)).toBe(true);
        expect(verifyInclusion(leaves[(m + 1) % n], m, n, path, root)).toBe(n === 1);
        if (n > 1) expect(verifyInclusion(leaves[m], (m + 1) % n, n, path, root)).toBe(false);
        // The proof binds the size: with the genuine root of the next size it fails.
        expect(verifyInclusion(leaves[m], m, n + 1, path, rootAt(read, n + 1))).toBe(false);
      }
      for (let m = 1; m <= n; m++) {
        const path = consistencyPath(read, m, n);
        const first = rootAt(read, m);
        expect(verifyConsistency(m, n, first, root, path)).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, root, root, path)).toBe(false);
          // Every element counts: change any one and the proof fails.
          for (let i = 0; i < path.length; i++) {
            const tampered = path.map((p, j) => (j === i ? nodeHash(p, p) : p));
            expect(verifyConsistency(m, n, first, root, tampered)).toBe(false);
          }
        }
      }
    }
  });

  it('refuses malformed input without throwing', () => {
    const { leaves, read } = tree(8);
    const root = rootAt(read, 8);
    const path = inclusionPath(read, 3, 8);
    expect(verifyInclusion(leaves[3], -1, 8, path, root)).toBe(false);
    expect(verifyInclusion(leaves[3], 3, 8, [...path, path[0]], root)).toBe(false);
    expect(verifyInclusion(leaves[3], 3, 8, path.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaves[3], 3, 8, [Buffer.alloc(31), ...path.slice(1)], root)).toBe(false);
    expect(verifyInclusion(leaves[3], 3.5, 8, path, root)).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root, [])).toBe(true);
    expect(verifyConsistency(8, 4, root, root, [])).toBe(false);
    expect(verifyConsistency(4, 8, rootAt(read, 4), root, [])).toBe(false);
  });
});

describe('proof verifier fuzz (fast-check)', () => {
  const { leaves, read } = tree(300);
  const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));

  it('never accepts a random inclusion proof', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(299), fc.array(hash32, { maxLength: 12 }), (n, m, path) => {
        const index = m % n;
        // A one-leaf tree's root is its leaf: the empty path is the genuine proof there.
        if (n === 1 && path.length === 0) return true;
        return !verifyInclusion(leaves[index], index, n, path, rootAt(read, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a genuine inclusion proof with any element, the index or the size changed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.nat(299),
        fc.nat(20),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('element', 'index', 'size', 'leaf', 'drop', 'extra'),
        (n, m, which, byte, how) => {
          const index = m % n;
          const root = rootAt(read, n);
          const path = inclusionPath(read, index, n);
          const leaf = leaves[index];
          switch (how) {
            case 'element': {
              if (path.length === 0) return true;
              const i = which % path.length;
              const changed = Buffer.from(path[i]);
              changed[byte % 32] ^= 1 + (byte % 255);
              return !verifyInclusion(leaf, index, n, path.map((p, j) => (j === i ? changed : p)), root);
            }
            case 'index': {
              const other = (index + 1 + (which % (n - 1))) % n;
              return !verifyInclusion(leaf, other, n, path, root);
            }
            case 'size': {
              const other = Math.min(300, n + 1 + which);
              // Proved against another size (with that tree's genuine root): never valid.
              return other === n || !verifyInclusion(leaf, index, other, path, rootAt(read, other));
            }
            case 'leaf':
              return !verifyInclusion(leaves[(index + 1) % n], index, n, path, root);
            case 'drop':
              return path.length === 0 || !verifyInclusion(leaf, index, n, path.slice(0, -1), root);
            case 'extra':
              return !verifyInclusion(leaf, index, n, [...path, leaf], root);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never accepts a genuine consistency proof with any element changed, or random proofs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 299 }), fc.integer({ min: 1, max: 300 }), fc.nat(30), fc.boolean(), fc.array(hash32, { maxLength: 12 }), (a, b, which, random, noise) => {
        const first = Math.min(a, b);
        const second = Math.max(a, b);
        if (first === second) return true;
        const r1 = rootAt(read, first);
        const r2 = rootAt(read, second);
        if (random) return !verifyConsistency(first, second, r1, r2, noise);
        const path = consistencyPath(read, first, second);
        const i = which % path.length;
        const tampered = path.map((p, j) => (j === i ? nodeHash(p, r1) : p));
        return verifyConsistency(first, second, r1, r2, path) && !verifyConsistency(first, second, r1, r2, tampered);
      }),
      { numRuns: 3000 },
    );
  });
});
