import Database from 'better-sqlite3';

/**
 * The page cache of a connection that reads the log in order (KiB): it reads each page once, so
 * better-sqlite3's 16 MB default only fills with pages done with, in every thread that reads (a
 * rebuild's two threads, the verifier threads, the Merkle follower).
 */
export const SEQUENTIAL_READ_CACHE_KIB = 2_048;

/** A read-only connection to an embedded log's file that reads it in order (see SEQUENTIAL_READ_CACHE_KIB). */
export function sequentialReader(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${SEQUENTIAL_READ_CACHE_KIB}`);
  return db;
}
