import Database from 'better-sqlite3';
import type { EventStore } from '../../event-store/event-store.port';
import { EXPORT_FORMAT, EXPORT_VERSION, ExportEnd, ExportHeader, eventLine, rowLine } from './export-format';

export * from './export-format';

type Row = [number, string, string, number, string, number, string, string, string, string, string, string];

/**
 * The embedded store's rows as export lines, read straight from events.db (a read-only
 * connection of its own): its data and metadata columns are the canonical text already, so
 * nothing is parsed or canonicalised again.
 */
function* sqliteRows(file: string, head: number): Generator<Row> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const page = db
      .prepare<[number, number, number], Row>(
        'SELECT global_position, event_id, stream_id, stream_version, type, schema_version, recorded_at, effective_at, data, metadata, prev_hash, hash FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position LIMIT ?',
      )
      .raw();
    let after = 0;
    for (;;) {
      const rows = page.all(after, head, 5000);
      if (rows.length === 0) return;
      for (const row of rows) yield row;
      after = rows[rows.length - 1][0];
    }
  } finally {
    db.close();
  }
}

/**
 * The whole log as export lines (each with its newline), up to the head at the start. The
 * caller writes them with backpressure; `onProgress` sees the position every 10,000 events.
 */
export async function* exportLog(
  store: EventStore,
  publicKeys: ExportHeader['publicKeys'],
  options: { onProgress?: (position: number, head: number) => void; now?: () => Date } = {},
): AsyncGenerator<string> {
  const head = await store.headPosition();
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    headPosition: head,
    positionsAreGapFree: store.positionsAreGapFree,
    publicKeys,
  };
  yield `${JSON.stringify(header)}\n`;
  let count = 0;
  let last = 0;
  let chunk = '';
  const file = (store as { file?: unknown }).file;
  const lines: AsyncIterable<[number, string]> | Iterable<[number, string]> =
    typeof file === 'string'
      ? (function* () {
          for (const r of sqliteRows(file, head)) yield [r[0], rowLine(...r)] as [number, string];
        })()
      : (async function* () {
          for await (const event of store.readAll()) {
            if (event.globalPosition > head) return;
            yield [event.globalPosition, eventLine(event)] as [number, string];
          }
        })();
  for await (const [position, line] of lines) {
    chunk += `${line}\n`;
    count += 1;
    last = position;
    if (count % 256 === 0) {
      yield chunk;
      chunk = '';
    }
    if (count % 10_000 === 0) options.onProgress?.(last, head);
  }
  if (chunk) yield chunk;
  options.onProgress?.(last, head);
  const end: ExportEnd = { end: true, events: count, lastPosition: last };
  yield `${JSON.stringify(end)}\n`;
}
