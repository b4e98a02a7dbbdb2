// When to fetch a new card QR: ~30 s before it expires (pure, so it can be unit tested).

export const REFRESH_BEFORE_MS = 30_000;
export const MIN_REFRESH_DELAY_MS = 5_000;

/** Delay before refreshing a code that is still valid for `ttlMs`. */
export function refreshDelay(ttlMs: number): number {
  if (ttlMs > 2 * REFRESH_BEFORE_MS) return ttlMs - REFRESH_BEFORE_MS;
  return Math.max(MIN_REFRESH_DELAY_MS, ttlMs / 2); // very short-lived codes: refresh halfway
}
