/** pino logger with redaction: personal data (phone, CCCD, date of birth) and secrets never reach logs. */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'phone',
  '*.phone',
  '*.*.phone',
  'nationalId',
  '*.nationalId',
  '*.*.nationalId',
  'national_id',
  '*.national_id',
  'dateOfBirth',
  '*.dateOfBirth',
  'date_of_birth',
  '*.date_of_birth',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.access_token',
  'req.headers["x-csrf-token"]',
  'req.headers["x-zevent-signature"]',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Masks a phone or CCCD for display in lists: keeps the last 3 digits. */
export function maskDigits(value: string | null | undefined): string | null {
  if (!value) return null;
  return value.length <= 3 ? '***' : '*'.repeat(Math.max(3, value.length - 3)) + value.slice(-3);
}

/**
 * A failed Drizzle query as it may be logged. Its own message carries the statement's parameters
 * (names, phone numbers, CCCD of the row at hand): this keeps the database's error and the statement
 * text only. Null for any other error.
 */
export function queryErrorParts(err: unknown): { message: string; code?: string; query: string } | null {
  const e = err as { query?: unknown; params?: unknown; cause?: { message?: unknown; code?: unknown } } | null;
  if (!e || typeof e.query !== 'string' || !('params' in e)) return null;
  return { message: String(e.cause?.message ?? 'query failed'), code: typeof e.cause?.code === 'string' ? e.cause.code : undefined, query: e.query };
}

/** An error as one line for a log or a stored failure reason (a failed query without its parameters). */
export function errorText(err: unknown): string {
  const q = queryErrorParts(err);
  if (q) return `${q.message}${q.code ? ` [${q.code}]` : ''} in: ${q.query.slice(0, 300)}`;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}
