import type { EventStore } from '../../event-store/event-store.port';
import { consistencyProof, inclusionProof } from './proofs';
import type { Sealer } from './sealer';

/** A follower whose tree has `size` leaves while the log's latest seal (by another process) covers `sealed`. */
function sealerBehind(size: number, sealed: number): Sealer {
  return {
    latestSeal: async () => ({ position: sealed + 1, data: { treeSize: sealed, rootHash: 'ab', lastPosition: sealed, sealedAt: '2026-12-01T00:00:00.000Z', previousSeal: null, keyId: 'k', signature: 's' } }),
    merkle: { state: () => ({ size }) },
  } as unknown as Sealer;
}

describe('proofs against a seal the follower has not built to yet', () => {
  it('answers 409 PROOF.TREE_BEHIND (ask again), never a proof over leaves the tree does not have', async () => {
    const store = {} as EventStore;
    await expect(inclusionProof(store, sealerBehind(5, 10), 3)).rejects.toMatchObject({ code: 'PROOF.TREE_BEHIND', status: 409 });
    await expect(consistencyProof(sealerBehind(5, 10), 2)).rejects.toMatchObject({ code: 'PROOF.TREE_BEHIND', status: 409 });
  });
});
