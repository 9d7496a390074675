import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `ledger backup` and `ledger restore`: a consistent online copy of every file in the data
 * directory that is not derived, and its restore into an empty data directory.
 *
 * What is copied (the documented list, README "Backups"): every regular file directly in the
 * data directory except
 *   - the read models (`readmodels.db`) and the Merkle tree's nodes (`merkle.db`), derived from
 *     the log and rebuilt on start,
 *   - SQLite's side files (`-wal`, `-shm`, `-journal`): their content is in the copy of their database,
 *   - scratch directories (`replay-*`) and anything that is not a regular file.
 * So `events.db`, `keys.db`, `relay.db` and any seal-key or other file the service keeps there
 * are backed up, including files a later version adds, without this list changing.
 *
 * SQLite files are copied with SQLite's online backup API (better-sqlite3's `db.backup()`) in one
 * step, under one read transaction: a consistent snapshot of each database while the service
 * appends (WAL lets the writer go on). Other files are copied byte for byte.
 *
 * The order keeps the copies consistent with one another: `relay.db` and `webhooks.db` before
 * `events.db` (the relay's and the webhooks' checkpoints are then never ahead of the copied log,
 * so after a restore nothing is skipped, at most sent again), `seal-keys.db` before `events.db`
 * (the signer's record of its last seal is then never ahead of the copied log, which `verify`
 * would rightly call a truncation), `events.db` before `keys.db` (a sustainer's key is written
 * before their registration is appended, so every sustainer in the copied log has its key;
 * a key of a later registration is a harmless orphan).
 *
 * A `manifest.json` lists each file with its size and SHA-256; restore checks them before
 * copying anything into the data directory.
 *
 * A backup holds the seals' private keys (`seal-keys.db`, mode 0600 in the data directory), the
 * webhooks' key and the whole log, so a new backup directory is made 0700 and every file in it
 * 0600 from its creation, whatever the source file's mode or the umask; restore writes its files
 * 0600 too (the service, running as the same user, reads them).
 */

export const MANIFEST = 'manifest.json';
const DERIVED = new Set(['readmodels.db', 'merkle.db']);
const SIDE_FILE = /-(wal|shm|journal)$/;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Files backed up first and last, in this order; everything else between them, by name. */
const FIRST = ['relay.db', 'webhooks.db', 'seal-keys.db', 'events.db'];
const LAST = ['keys.db'];
/** Mode of every file a backup or a restore writes, and of a directory either creates. */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

export interface ManifestFile {
  readonly name: string;
  readonly kind: 'sqlite' | 'file';
  readonly bytes: number;
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: 1;
  readonly createdAt: string;
  readonly dataDir: string;
  /** The last log position in the copied events.db (0 for an empty log or none). */
  readonly logHead: number;
  readonly files: readonly ManifestFile[];
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** The files of a data directory a backup copies, in the order it copies them. */
export function filesToBackUp(dataDir: string): string[] {
  const names = readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !DERIVED.has(entry.name) && !SIDE_FILE.test(entry.name) && !DERIVED.has(entry.name.replace(SIDE_FILE, '')))
    .map((entry) => entry.name);
  const rank = (name: string) => (FIRST.includes(name) ? FIRST.indexOf(name) - FIRST.length : LAST.includes(name) ? 1 + LAST.indexOf(name) : 0);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isSqlite(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform lets a directory be opened for fsync.
  }
}

/**
 * Copies a file byte for byte into a new file of mode 0600, created so before a byte is written
 * (copyFileSync would give the target the source's mode, e.g. 0644 for a backup made before
 * backups were private, while it copies).
 */
function copyPrivately(source: string, target: string): void {
  const from = openSync(source, 'r');
  try {
    const to = openSync(target, 'wx', PRIVATE_FILE);
    try {
      fchmodSync(to, PRIVATE_FILE); // whatever the umask
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (let read = readSync(from, buffer, 0, buffer.length, null); read > 0; read = readSync(from, buffer, 0, buffer.length, null)) {
        for (let written = 0; written < read; ) written += writeSync(to, buffer, written, read - written);
      }
    } finally {
      closeSync(to);
    }
  } finally {
    closeSync(from);
  }
}

function isEmptyOrAbsent(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) throw new BackupError(`${dir} is not a directory`);
  return readdirSync(dir).length === 0;
}

function logHeadOf(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    return table ? (db.prepare('SELECT COALESCE(MAX(global_position), 0) AS head FROM events').get() as { head: number }).head : 0;
  } finally {
    db.close();
  }
}

/** A copy of one SQLite database, consistent as of one moment, as a single self-contained file. */
async function copySqlite(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Every page in one step, under one read transaction: a snapshot, never restarted by the writer.
    // An empty file of mode 0600 first: SQLite writes its pages (and its journal, which takes the
    // database's mode) into it, so the copy is never readable by others, even for a moment.
    writeFileSync(target, '', { mode: PRIVATE_FILE, flag: 'wx' });
    chmodSync(target, PRIVATE_FILE);
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new Database(target);
  try {
    // The copy stands alone: no -wal beside it, and its pages check out.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy of ${source} does not check out: ${String(check)}`);
  } finally {
    copy.close();
  }
}

/**
 * Backs up `dataDir` into `target` (which must not exist or be empty) while the service may run.
 * Returns the manifest written beside the copies.
 */
export async function backupDataDir(dataDir: string, target: string, now: Date = new Date()): Promise<BackupManifest> {
  if (!existsSync(dataDir)) throw new BackupError(`the data directory ${dataDir} does not exist`);
  if (!isEmptyOrAbsent(target)) throw new BackupError(`${target} is not empty: back up into a new directory`);
  if (!existsSync(target)) mkdirSync(target, { recursive: true, mode: PRIVATE_DIR });
  const files: ManifestFile[] = [];
  for (const name of filesToBackUp(dataDir)) {
    const source = join(dataDir, name);
    const copy = join(target, name);
    const kind = isSqlite(source) ? 'sqlite' : 'file';
    if (kind === 'sqlite') await copySqlite(source, copy);
    else copyPrivately(source, copy);
    fsyncFile(copy);
    files.push({ name, kind, bytes: statSync(copy).size, sha256: sha256Of(copy) });
  }
  const manifest: BackupManifest = {
    format: 1,
    createdAt: now.toISOString(),
    dataDir,
    logHead: files.some((f) => f.name === 'events.db') ? logHeadOf(join(target, 'events.db')) : 0,
    files,
  };
  writeFileSync(join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  fsyncFile(join(target, MANIFEST));
  fsyncDir(target);
  return manifest;
}

/** Reads a backup's manifest and checks every file against it: present, same size, same SHA-256. */
export function checkBackup(backupDir: string): BackupManifest {
  const file = join(backupDir, MANIFEST);
  if (!existsSync(file)) throw new BackupError(`${backupDir} holds no ${MANIFEST}: not a backup made by \`ledger backup\``);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new BackupError(`${file} cannot be read: ${(error as Error).message}`);
  }
  if (manifest.format !== 1 || !Array.isArray(manifest.files)) throw new BackupError(`${file} is not a backup manifest this version reads`);
  for (const f of manifest.files) {
    if (typeof f.name !== 'string' || f.name.includes('/') || f.name.includes('\\') || f.name.startsWith('.')) throw new BackupError(`${file} names a bad file: ${JSON.stringify(f.name)}`);
    const path = join(backupDir, f.name);
    if (!existsSync(path)) throw new BackupError(`${f.name} is missing from the backup`);
    if (statSync(path).size !== f.bytes || sha256Of(path) !== f.sha256) throw new BackupError(`${f.name} in the backup differs from its manifest (size or SHA-256): the backup is damaged`);
  }
  return manifest;
}

export interface RestoreChecks {
  /** Verifies the restored data directory (the log's hashes, links and rules); returns problems, empty when it verifies. */
  readonly verify: (dataDir: string) => Promise<string[]>;
}

/**
 * Restores a backup into `dataDir`, which must not exist or be empty: checks the backup against
 * its manifest, copies its files, then runs the checks on the restored directory. If anything
 * fails, the restored files are removed again, so the data directory is left as it was (empty).
 */
export async function restoreDataDir(backupDir: string, dataDir: string, checks: RestoreChecks): Promise<{ manifest: BackupManifest; problems: string[] }> {
  const manifest = checkBackup(backupDir);
  if (!isEmptyOrAbsent(dataDir)) throw new BackupError(`the data directory ${dataDir} is not empty: restore only into an empty one (move the old one aside first)`);
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const restored: string[] = [];
  try {
    for (const f of manifest.files) {
      const target = join(dataDir, f.name);
      const partial = `${target}.restoring`;
      copyPrivately(join(backupDir, f.name), partial);
      fsyncFile(partial);
      renameSync(partial, target);
      restored.push(target);
    }
    fsyncDir(dataDir);
    const problems = await checks.verify(dataDir);
    if (problems.length > 0) throw new RestoreVerificationError(problems);
    return { manifest, problems };
  } catch (error) {
    for (const entry of readdirSync(dataDir)) rmSync(join(dataDir, entry), { recursive: true, force: true });
    throw error;
  }
}

export class RestoreVerificationError extends BackupError {
  constructor(readonly problems: string[]) {
    super(`the restored data does not verify: ${problems.join('; ')}`);
  }
}
