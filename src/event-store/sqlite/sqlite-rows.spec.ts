import Database from 'better-sqlite3';
import { ROWS_PER_STATEMENT, RowInserter } from './sqlite-rows';

describe('RowInserter', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER)');
  });
  afterEach(() => db.close());

  const rows = () => db.prepare('SELECT k, v, n FROM t ORDER BY k').raw().all();

  it.each([0, 1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, 2 * ROWS_PER_STATEMENT + 5])('writes %i rows, every value in its column', (count) => {
    const values = Array.from({ length: count }, (_, i) => [i, `v${i}`, i % 3 === 0 ? null : i * 10]).flat();
    new RowInserter(db, 'INSERT INTO t (k, v, n)', 3).run(values);
    expect(rows()).toEqual(Array.from({ length: count }, (_, i) => [i, `v${i}`, i % 3 === 0 ? null : i * 10]));
  });

  it('writes rows in their order, so a later row replaces an earlier one of the same key, within a statement and across two', () => {
    const insert = new RowInserter(db, 'INSERT OR REPLACE INTO t (k, v, n)', 3);
    const values: unknown[] = [];
    for (let i = 0; i < ROWS_PER_STATEMENT + 3; i++) values.push(i % 2, `v${i}`, i);
    insert.run(values);
    expect(rows()).toEqual([
      [0, `v${ROWS_PER_STATEMENT + 2}`, ROWS_PER_STATEMENT + 2],
      [1, `v${ROWS_PER_STATEMENT + 1}`, ROWS_PER_STATEMENT + 1],
    ]);
  });

  it('takes a conflict clause after the rows', () => {
    const insert = new RowInserter(db, 'INSERT INTO t (k, v, n)', 3, 'ON CONFLICT (k) DO UPDATE SET n = n + excluded.n');
    insert.run([1, 'a', 1, 1, 'a', 2, 2, 'b', 5]);
    expect(rows()).toEqual([[1, 'a', 3], [2, 'b', 5]]);
  });

  it('refuses values that are not whole rows, and writes nothing', () => {
    expect(() => new RowInserter(db, 'INSERT INTO t (k, v, n)', 3).run([1, 'a'])).toThrow(RangeError);
    expect(rows()).toEqual([]);
  });
});
