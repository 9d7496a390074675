import { StoreUnavailableError } from '../store-unavailable';

/** SQLSTATE classes that mean the server or the connection failed, not the statement. */
const FAULT_SQLSTATE = /^(08|53|57|58|XX)/;
const FAULT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** A failure of the server or the connection as a StoreUnavailableError (503); anything else unchanged. */
export function asPostgresFault(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && (FAULT_SQLSTATE.test(code) || FAULT_ERRNO.has(code))) {
    return new StoreUnavailableError(`POSTGRES_${code}`, `PostgreSQL is unavailable (${code}: ${text})`);
  }
  if (/Connection terminated|connection timeout|timeout exceeded when trying to connect|Client was closed|not queryable/i.test(text)) {
    return new StoreUnavailableError('POSTGRES_CONNECTION', `PostgreSQL is unavailable (${text})`);
  }
  return error;
}
