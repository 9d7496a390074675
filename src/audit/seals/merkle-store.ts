import Database from 'better-sqlite3';
import { RowInserter } from '../../event-store/sqlite/sqlite-rows';
import { Hash, MerkleBuilder, NodeReader, consistencyPath, inclusionPath, rootAt } from './merkle';

/**
 * The Merkle tree's nodes, kept in `merkle.db` in the data directory (derived from the log, like
 * the read models: delete it and the follower builds it again). Every complete aligned subtree
 * is one row (level, index), so the root at any size and any proof is O(log n) indexed reads.
 * `leaves` maps each leaf index to its log position (KurrentDB positions are not consecutive)
 * and marks the seals' own events.
 */
export interface MerkleState {
  readonly size: number;
  readonly lastPosition: number;
}

export interface LeafRow {
  readonly idx: number;
  readonly position: number;
  readonly seal: number;
}

export class MerkleStore {
  readonly db: Database.Database;
  private readonly getNode: Database.Statement<[number, number], { hash: Buffer }>;
  private readonly putNodes: RowInserter;
  private readonly putLeaves: RowInserter;
  /** The nodes the builder completed in the append under way (level, index, hash, …), written with its leaves. */
  private nodes: unknown[] = [];
  private readonly getState: Database.Statement<[], MerkleState>;
  private readonly putState: Database.Statement<[number, number]>;
  private readonly leafByPosition: Database.Statement<[number], LeafRow>;
  private readonly leafByIndex: Database.Statement<[number], LeafRow>;
  private readonly plainFrom: Database.Statement<[number], { n: number; first: number | null }>;
  private readonly sealsFrom: Database.Statement<[number, number], LeafRow>;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS merkle_leaves (idx INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, seal INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS merkle_state (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, last_position INTEGER NOT NULL);
      INSERT OR IGNORE INTO merkle_state (id, size, last_position) VALUES (1, 0, 0);
    `);
    this.getNode = this.db.prepare('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?');
    // Many rows a statement: a rebuild of the tree writes three rows per event (a leaf, its node, about one inner node).
    this.putNodes = new RowInserter(this.db, 'INSERT OR REPLACE INTO merkle_nodes (level, idx, hash)', 3);
    this.putLeaves = new RowInserter(this.db, 'INSERT OR REPLACE INTO merkle_leaves (idx, position, seal)', 3);
    this.getState = this.db.prepare('SELECT size, last_position AS lastPosition FROM merkle_state WHERE id = 1');
    this.putState = this.db.prepare('UPDATE merkle_state SET size = ?, last_position = ? WHERE id = 1');
    this.leafByPosition = this.db.prepare('SELECT idx, position, seal FROM merkle_leaves WHERE position = ?');
    this.leafByIndex = this.db.prepare('SELECT idx, position, seal FROM merkle_leaves WHERE idx = ?');
    this.plainFrom = this.db.prepare('SELECT COUNT(*) AS n, MIN(position) AS first FROM merkle_leaves WHERE idx >= ? AND seal = 0');
    this.sealsFrom = this.db.prepare('SELECT idx, position, seal FROM merkle_leaves WHERE idx >= ? AND seal = 1 ORDER BY idx LIMIT ?');
  }

  state(): MerkleState {
    return this.getState.get()!;
  }

  readonly read: NodeReader = (level, index) => {
    const row = this.getNode.get(level, index);
    if (!row) throw new Error(`Merkle node (${level}, ${index}) is missing: merkle.db is incomplete`);
    return row.hash;
  };

  /** A builder that goes on from the stored tree: its peaks are read back from the nodes. */
  builder(): MerkleBuilder {
    const { size } = this.state();
    const builder = new MerkleBuilder(0, (level, index, hash) => this.nodes.push(level, index, hash));
    builder.resume(size, peaksOf(size).map(({ level, index }) => ({ level, hash: this.read(level, index) })));
    return builder;
  }

  /**
   * Appends leaves in one transaction, if the stored tree is still at `expected` (another process,
   * the CLI, may have moved it): false when it was not, and nothing is written.
   */
  append(expected: MerkleState, builder: MerkleBuilder, leaves: ReadonlyArray<{ hash: Hash; position: number; seal: boolean }>): boolean {
    return this.db.transaction(() => {
      const now = this.state();
      if (now.size !== expected.size || now.lastPosition !== expected.lastPosition) return false;
      const rows: unknown[] = [];
      this.nodes = [];
      for (const leaf of leaves) {
        rows.push(builder.size, leaf.position, leaf.seal ? 1 : 0);
        builder.push(leaf.hash);
      }
      this.putLeaves.run(rows);
      this.putNodes.run(this.nodes);
      this.nodes = [];
      this.putState.run(builder.size, leaves.length > 0 ? leaves[leaves.length - 1].position : now.lastPosition);
      return true;
    }).immediate();
  }

  root(treeSize: number): Hash {
    return rootAt(this.read, treeSize);
  }

  inclusion(leafIndex: number, treeSize: number): Hash[] {
    return inclusionPath(this.read, leafIndex, treeSize);
  }

  consistency(first: number, second: number): Hash[] {
    return consistencyPath(this.read, first, second);
  }

  leafAt(position: number): LeafRow | undefined {
    return this.leafByPosition.get(position);
  }

  leaf(index: number): LeafRow | undefined {
    return this.leafByIndex.get(index);
  }

  /** Events (not seals) at leaf index ≥ `from`: how many, and the first one's position. */
  plainEventsFrom(from: number): { count: number; firstPosition?: number } {
    const row = this.plainFrom.get(from)!;
    return { count: row.n, ...(row.first !== null ? { firstPosition: row.first } : {}) };
  }

  /** The seal stream's leaves (seals, key rotations) at leaf index ≥ `from`, at most `limit`, in order. */
  sealLeavesFrom(from: number, limit: number): LeafRow[] {
    return this.sealsFrom.all(from, limit);
  }

  close(): void {
    this.db.close();
  }
}

/** The complete subtrees a tree of `size` leaves decomposes into, largest (leftmost) first. */
export function peaksOf(size: number): Array<{ level: number; index: number }> {
  const peaks: Array<{ level: number; index: number }> = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      peaks.push({ level, index: start / width });
      start += width;
    }
  }
  return peaks;
}
