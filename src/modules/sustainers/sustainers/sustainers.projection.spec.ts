import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { SustainerEvent } from '../sustainer/sustainer.decider';
import { sustainersProjection } from './sustainers.projection';
import { findSustainerRow, listSustainerRows, sealedOf } from './sustainers.queries';

const sealed = { alg: 'A256GCM', iv: 'iv', tag: 'tag', ciphertext: 'secret' } as const;
const registered = (sustainerId: string, anonymous = false): SustainerEvent => ({
  type: 'SustainerRegistered',
  data: { sustainerId, anonymous, personal: sealed, registeredAt: '2028-01-01T00:00:00.000Z', registeredBy: 'steward' },
});

function given(...events: Array<{ type: string; data: unknown }>): Database.Database {
  const db = new Database(':memory:');
  sustainersProjection.setup(db);
  for (const event of events) sustainersProjection.apply(db, event as unknown as RecordedEvent);
  return db;
}

describe('sustainers projection', () => {
  it('keeps a registered sustainer with the sealed blob only, never the clear data', () => {
    const db = given(registered('s1', true));
    const row = findSustainerRow(db, 's1')!;
    expect(row).toMatchObject({ sustainer_id: 's1', anonymous: 1, status: 'active', registered_at: '2028-01-01T00:00:00.000Z', erased_at: null });
    expect(sealedOf(row)).toEqual(sealed);
  });

  it('drops the sealed blob on erasure and keeps the sustainer', () => {
    const db = given(registered('s1'), { type: 'SustainerErased', data: { sustainerId: 's1', erasedAt: '2028-02-01T00:00:00.000Z', erasedBy: 'steward' } });
    const row = findSustainerRow(db, 's1')!;
    expect(row).toMatchObject({ status: 'erased', personal: null, erased_at: '2028-02-01T00:00:00.000Z' });
    expect(sealedOf(row)).toBeNull();
  });

  it('pages sustainers by id and ignores every other event', () => {
    const db = given(registered('s3'), registered('s1'), { type: 'FundOpened', data: { fundId: 'f1' } }, registered('s2'));
    expect(listSustainerRows(db, { limit: 2 }).map((r) => r.sustainer_id)).toEqual(['s1', 's2']);
    expect(listSustainerRows(db, { after: 's2', limit: 2 }).map((r) => r.sustainer_id)).toEqual(['s3']);
  });
});
