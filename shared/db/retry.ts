/**
 * Retrying an outcome write while the database is unreachable (a PostgreSQL restart, a failover).
 * Used where the side effect already happened outside the database — Zalo accepted a message — and
 * losing its record would send it again once a lease runs out.
 */
export interface RetryWriteOptions {
  /** Give up (rethrow the last error) once this much time has passed. Keep it below the lease. */
  budgetMs: number;
  /** Called before each wait, with the error and the attempt number (1 = the first failure). */
  onRetry?: (err: unknown, attempt: number) => void;
  /** Checked before each wait: true stops retrying (shutdown). */
  stop?: () => boolean;
}

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2000;

export async function retryWrite<T>(write: () => Promise<T>, opts: RetryWriteOptions): Promise<T> {
  const deadline = Date.now() + opts.budgetMs;
  for (let attempt = 1, delay = FIRST_DELAY_MS; ; attempt++, delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + delay > deadline || opts.stop?.()) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * `warn`, called at most once per `ms` however many writes are retrying at once: an outage makes
 * every in-flight write fail together, and one line every few seconds says enough.
 */
export function warnEvery<A extends unknown[]>(ms: number, warn: (...args: A) => void): (...args: A) => void {
  let last = 0;
  return (...args) => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    warn(...args);
  };
}
