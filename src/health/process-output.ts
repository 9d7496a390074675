/**
 * Errors that mean the output has nowhere to go: the reader of a pipe went away (EPIPE), the
 * disk of a log file is full (ENOSPC) or failing (EIO), or the stream is already closed.
 */
const LOST_OUTPUT = new Set(['EPIPE', 'ENOSPC', 'EIO', 'EAGAIN', 'EBADF', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export interface OutputGuard {
  /** Writes dropped so far, per error code. */
  readonly dropped: ReadonlyMap<string, number>;
}

type Write = NodeJS.WriteStream['write'];

/**
 * Makes the process's own output unable to kill it. A log line that cannot be written is
 * dropped: there is nowhere to report the failure, and a ledger that stops answering because its
 * log disk is full (or because whoever read its stdout went away) is worse than a gap in its log.
 *
 * Two paths fail: a stream on a pipe or socket emits 'error' (unhandled, that kills the
 * process), and a stream on a file writes synchronously and throws from `write`.
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
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    const guarded = (...args: unknown[]): boolean => {
      if (stream.destroyed) {
        count({ code: 'ERR_STREAM_DESTROYED' });
        const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      try {
        return write(...args);
      } catch (error) {
        if (!LOST_OUTPUT.has(String((error as { code?: unknown }).code))) throw error;
        count(error);
        return true;
      }
    };
    stream.write = guarded as Write;
  }
  return { dropped };
}
