import { writeSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * Errors that mean the output has nowhere to go: the reader of a pipe went away (EPIPE), the
 * disk of a log file is full (ENOSPC) or failing (EIO), or the stream is already closed.
 */
const LOST_OUTPUT = new Set(['EPIPE', 'ENOSPC', 'EIO', 'EAGAIN', 'EBADF', 'EDQUOT', 'EFBIG', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export interface OutputGuard {
  /** Writes dropped so far, per error code. */
  readonly dropped: ReadonlyMap<string, number>;
}

type Write = NodeJS.WriteStream['write'];
type Callback = (error?: Error | null) => void;

/**
 * Makes the process's own output unable to kill it. A log line that cannot be written is
 * dropped: there is nowhere to report the failure, and a ledger that stops answering because its
 * log disk is full (or because whoever read its stdout went away) is worse than a gap in its log.
 *
 * A stream on a pipe or socket reports a failed write as an 'error' event, which unhandled kills
 * the process: it is counted and dropped. A stream on a file would do the same and then stay
 * closed for good, so on a file each line is written straight to the descriptor instead: a line
 * that does not fit is dropped, and logging resumes once there is space again.
 */
export function guardProcessOutput(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): OutputGuard {
  const dropped = new Map<string, number>();
  const count = (error: unknown): void => {
    const code = String((error as { code?: unknown } | null)?.code ?? 'UNKNOWN');
    dropped.set(code, (dropped.get(code) ?? 0) + 1);
  };
  for (const stream of streams) {
    // Whatever the error, there is no better place to say so than the stream that failed.
    stream.on('error', count);
    const fd = (stream as { fd?: unknown }).fd;
    const onFile = typeof fd === 'number' && !stream.isTTY && !(stream instanceof Socket);
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    const guarded = (chunk: unknown, ...rest: unknown[]): boolean => {
      const callback = rest.find((a) => typeof a === 'function') as Callback | undefined;
      if (onFile) {
        const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
        try {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Uint8Array);
          for (let at = 0, n = 1; at < bytes.length && n > 0; at += n) n = writeSync(fd, bytes, at);
        } catch (error) {
          if (!LOST_OUTPUT.has(String((error as { code?: unknown }).code))) throw error;
          count(error);
        }
        if (callback) process.nextTick(callback);
        return true;
      }
      if (stream.destroyed) {
        count({ code: 'ERR_STREAM_DESTROYED' });
        if (callback) process.nextTick(callback);
        return true;
      }
      return write(chunk, ...rest);
    };
    stream.write = guarded as Write;
  }
  return { dropped };
}
