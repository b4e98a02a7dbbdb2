/**
 * OA token pair management. The pair lives in a TokenStore (the database in production); refresh
 * tokens are single-use, so a refresh happens under the store's lock (one process at a time) and
 * behind one shared promise in this process (10 concurrent sends during expiry → one OAuth call).
 * The OAuth call itself is passed in (`doRefresh`) by the client, which owns the HTTP side.
 */
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { ZaloApiError, ZaloErrorCode } from './errors';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** null = unknown (a pair seeded from the environment): valid until Zalo says otherwise. */
  expiresAt: Date | null;
}

export type RefreshFn = (current: TokenPair) => Promise<TokenPair>;

export interface TokenStore {
  get(): Promise<TokenPair | null>;
  /**
   * Under an exclusive lock: if the stored access token differs from `failedAccessToken` (someone
   * else already refreshed) return the stored pair; otherwise call doRefresh, persist its result
   * before releasing the lock, and return it. `failedAccessToken` null = refresh whatever is stored.
   */
  refreshUnderLock(failedAccessToken: string | null, doRefresh: RefreshFn): Promise<TokenPair>;
}

export interface TokenManagerOptions {
  clock?: Clock;
  logger?: Logger;
  /** Refresh ahead of time when the token expires within this window. Default 5 minutes. */
  refreshMarginMs?: number;
}

export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function noTokensError(): ZaloApiError {
  return new ZaloApiError(ZaloErrorCode.ACCESS_TOKEN_INVALID, 'no OA token pair stored', {
    endpoint: 'token-store',
    kind: 'auth',
  });
}

export class TokenManager {
  private readonly clock: Clock;
  private readonly logger?: Logger;
  private readonly marginMs: number;
  private cached: TokenPair | null = null;
  private inflight: Promise<TokenPair> | null = null;

  constructor(
    readonly store: TokenStore,
    opts: TokenManagerOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger;
    this.marginMs = opts.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  /** The pair as this process knows it (reads the store once, then trusts its cache). */
  async current(): Promise<TokenPair> {
    if (!this.cached) {
      const pair = await this.store.get();
      if (!pair) throw noTokensError();
      this.cached = pair;
    }
    return this.cached;
  }

  /** An access token to use now; refreshes first if it expires within the margin. */
  async getAccessToken(doRefresh: RefreshFn): Promise<string> {
    const pair = await this.current();
    if (pair.expiresAt && pair.expiresAt.getTime() - this.clock.now().getTime() <= this.marginMs) {
      try {
        return (await this.refresh(pair.accessToken, doRefresh)).accessToken;
      } catch (err) {
        // A token that has not yet expired is still worth a try; Zalo will say if it is not.
        if (pair.expiresAt.getTime() > this.clock.now().getTime()) {
          this.logger?.warn({ err: errorSummary(err) }, 'zalo: proactive token refresh failed, using current token');
          return pair.accessToken;
        }
        throw err;
      }
    }
    return pair.accessToken;
  }

  /**
   * Replaces `failedAccessToken` (the token Zalo just rejected, or the one about to expire).
   * Single-flight: concurrent callers share one refresh. If this process already moved past that
   * token, the newer pair is returned without calling Zalo.
   */
  refresh(failedAccessToken: string | null, doRefresh: RefreshFn): Promise<TokenPair> {
    if (this.cached && failedAccessToken !== null && this.cached.accessToken !== failedAccessToken) {
      return Promise.resolve(this.cached);
    }
    if (!this.inflight) {
      this.inflight = this.store
        .refreshUnderLock(failedAccessToken, doRefresh)
        .then((pair) => {
          this.cached = pair;
          return pair;
        })
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  /** Forget the cached pair (e.g. after an operator replaced the tokens in the store). */
  forget(): void {
    this.cached = null;
  }
}

function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof ZaloApiError) return { name: err.name, code: err.code, kind: err.kind };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { value: String(err) };
}

/**
 * In-memory TokenStore: for demo mode and unit tests. Same contract as the database store within
 * one process (the lock is a promise chain).
 */
export class MemoryTokenStore implements TokenStore {
  private pair: TokenPair | null;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(initial: TokenPair | null = null) {
    this.pair = initial ? { ...initial } : null;
  }

  async get(): Promise<TokenPair | null> {
    return this.pair ? { ...this.pair } : null;
  }

  set(pair: TokenPair | null): void {
    this.pair = pair ? { ...pair } : null;
  }

  refreshUnderLock(failedAccessToken: string | null, doRefresh: RefreshFn): Promise<TokenPair> {
    const run = async (): Promise<TokenPair> => {
      const current = this.pair;
      if (!current) throw noTokensError();
      if (failedAccessToken !== null && current.accessToken !== failedAccessToken) return { ...current };
      const next = await doRefresh({ ...current });
      this.pair = { ...next };
      return { ...next };
    };
    const result = this.lock.then(run, run);
    this.lock = result.catch(() => undefined);
    return result;
  }
}
