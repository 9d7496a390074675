import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerConfig } from '../../config';
import type { EventCatalogue } from '../../event-store/event-catalogue';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../../shared/clock';
import { MerkleStore } from '../seals/merkle-store';
import type { SealService } from '../seals/seal.service';
import { SealKeyStore, type SealKeys } from '../seals/seal-keys';
import { SEALER_METADATA, Sealer } from '../seals/sealer';
import { BackgroundVerifier } from './background-verifier';

describe('BackgroundVerifier and the seal keys', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bgverify-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the seal keys before a run: keys shared in PostgreSQL are unknown until refreshed, and a run at start came first', async () => {
    const keys = new SealKeyStore(join(dir, 'seal-keys.db'));
    const sealer = new Sealer(store, new MerkleStore(join(dir, 'merkle.db')), keys, { everyEvents: 1_000_000, intervalMs: 3_600_000 });
    for (let i = 0; i < 3; i++) await store.append(`s-${i}`, [{ type: 'Noted', schemaVersion: 1, data: { i } }], 'no_stream', SEALER_METADATA());
    expect(await sealer.maybeSeal(true)).toMatchObject({ treeSize: 3 });
    // As PostgresSealKeys: nothing known before the first refresh.
    let refreshed = false;
    const shared: Pick<SealKeys, 'refresh' | 'publicKeys' | 'signed'> = {
      refresh: () => {
        refreshed = true;
      },
      publicKeys: () => (refreshed ? keys.publicKeys() : []),
      signed: () => (refreshed ? keys.signed() : undefined),
    };
    const catalogue = { problems: () => [] } as unknown as EventCatalogue;
    const verifier = new BackgroundVerifier(store, { verifyIntervalSeconds: 3600 } as LedgerConfig, catalogue, { sealer: { keys: shared } } as unknown as SealService);
    const status = await verifier.runOnce();
    expect(status).toMatchObject({ status: 'ok', verifiedUpTo: 4 });
    await sealer.close();
  });
});
