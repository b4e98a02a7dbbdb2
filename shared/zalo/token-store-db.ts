/**
 * TokenStore on the single-row `zalo_tokens` table (id = 1). On PostgreSQL a refresh runs inside a
 * transaction holding `SELECT … FOR UPDATE` on that row, so across processes exactly one calls Zalo and
 * the rotated pair is written before the lock is released (refresh tokens are single-use).
 *
 * On PGlite (`oneProcess`) no other process can open the database (shared/db/data-dir-lock.ts), so
 * refreshes are serialized in this process instead: PGlite runs one transaction at a time, and one held
 * open across Zalo's OAuth call would hold every other query of the process (webhook inserts included)
 * for as long as Zalo takes to answer, up to the client's 10 s timeout.
 */
import { eq } from 'drizzle-orm';
import { perDatabase, type Db } from '../db/client';
import { zaloTokens } from '../db/schema';
import { noTokensError, type RefreshFn, type TokenPair, type TokenStore } from './tokens';

const ROW_ID = 1;

/** expires_at is NOT NULL: "unknown expiry" (seeded from env) is stored as this far-future date. */
export const UNKNOWN_EXPIRY = new Date('9999-12-31T00:00:00.000Z');

const toStored = (expiresAt: Date | null): Date => expiresAt ?? UNKNOWN_EXPIRY;
const fromStored = (d: Date): Date | null => (d.getTime() >= UNKNOWN_EXPIRY.getTime() ? null : d);

type Row = typeof zaloTokens.$inferSelect;
const toPair = (row: Row): TokenPair => ({
  accessToken: row.accessToken,
  refreshToken: row.refreshToken,
  expiresAt: fromStored(new Date(row.expiresAt)),
});

/** One refresh at a time per database in this process (the PGlite path; see the top of this file). */
const refreshQueue = perDatabase(() => ({ tail: Promise.resolve() as Promise<unknown> }));

export class DbTokenStore implements TokenStore {
  constructor(
    private readonly db: Db,
    private readonly opts: { oneProcess?: boolean } = {},
  ) {}

  async get(): Promise<TokenPair | null> {
    return getStoredTokens(this.db);
  }

  async refreshUnderLock(failedAccessToken: string | null, doRefresh: RefreshFn): Promise<TokenPair> {
    if (this.opts.oneProcess) {
      const queue = refreshQueue(this.db);
      const turn = queue.tail.then(async () => this.refreshStep(this.db, await getStoredTokens(this.db), failedAccessToken, doRefresh));
      queue.tail = turn.catch(() => undefined);
      return turn;
    }
    return this.db.transaction(async (tx) => {
      const rows = await tx.select().from(zaloTokens).where(eq(zaloTokens.id, ROW_ID)).for('update');
      return this.refreshStep(tx as unknown as Db, rows[0] ? toPair(rows[0]) : null, failedAccessToken, doRefresh);
    });
  }

  /** Under whichever lock, with the pair read under it: refresh, unless another refresh already replaced the failed token. */
  private async refreshStep(db: Db, current: TokenPair | null, failedAccessToken: string | null, doRefresh: RefreshFn) {
    if (!current) throw noTokensError();
    if (failedAccessToken !== null && current.accessToken !== failedAccessToken) return current;
    const next = await doRefresh(current);
    await db
      .update(zaloTokens)
      .set({
        accessToken: next.accessToken,
        refreshToken: next.refreshToken,
        expiresAt: toStored(next.expiresAt),
        updatedAt: new Date(),
      })
      .where(eq(zaloTokens.id, ROW_ID));
    return next;
  }
}

export async function getStoredTokens(db: Db): Promise<TokenPair | null> {
  const rows = await db.select().from(zaloTokens).where(eq(zaloTokens.id, ROW_ID));
  return rows[0] ? toPair(rows[0]) : null;
}

/**
 * Inserts the pair from the environment once; a stored pair (possibly already rotated) wins.
 * Returns true when it inserted. Expiry unknown → treated as valid until Zalo rejects it.
 */
export async function seedTokens(
  db: Db,
  pair: { accessToken: string; refreshToken: string; expiresAt?: Date | null },
): Promise<boolean> {
  const inserted = await db
    .insert(zaloTokens)
    .values({
      id: ROW_ID,
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: toStored(pair.expiresAt ?? null),
    })
    .onConflictDoNothing()
    .returning({ id: zaloTokens.id });
  return inserted.length > 0;
}

/** Overwrites the stored pair (operator re-authorized the OA). Processes should `forget()` their cache. */
export async function replaceTokens(
  db: Db,
  pair: { accessToken: string; refreshToken: string; expiresAt?: Date | null },
): Promise<void> {
  const values = {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: toStored(pair.expiresAt ?? null),
    updatedAt: new Date(),
  };
  await db
    .insert(zaloTokens)
    .values({ id: ROW_ID, ...values })
    .onConflictDoUpdate({ target: zaloTokens.id, set: values });
}
