import pino, { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config';

/**
 * Paths pino replaces with `[redacted]` wherever they appear in a log object. The request line
 * (request-log.ts) and Nest's logs never carry headers or bodies in the first place; this is the
 * second line of defence against a caller that logs a request, its headers, or a token.
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  '*.authorization',
  'headers.cookie',
  'req.headers.cookie',
  'token',
  'secret',
  '*.token',
  '*.secret',
  'body',
  'req.body',
  '*.body',
];

/**
 * The service's one pino logger: JSON lines with an ISO time and the level's name. It writes to
 * `destination`, by default the process's stdout stream (not pino's own file descriptor writer),
 * so that the guard of src/health/process-output.ts applies: a line that cannot be written (full
 * disk, closed pipe) is dropped and never stops the service.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = process.stdout): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
