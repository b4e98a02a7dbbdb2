/**
 * TokenStore on the single-row `zalo_tokens` table (id = 1). A refresh runs inside a transaction
 * holding `SELECT … FOR UPDATE` on that row, so across processes exactly one calls Zalo and the
 * rotated pair is written before the lock is released (refresh tokens are single-use).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
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

export class DbTokenStore implements TokenStore {
  constructor(private readonly db: Db) {}

  async get(): Promise<TokenPair | null> {
    return getStoredTokens(this.db);
  }

  async refreshUnderLock(failedAccessToken: string | null, doRefresh: RefreshFn): Promise<TokenPair> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.select().from(zaloTokens).where(eq(zaloTokens.id, ROW_ID)).for('update');
      if (!rows[0]) throw noTokensError();
      const current = toPair(rows[0]);
      if (failedAccessToken !== null && current.accessToken !== failedAccessToken) return current;
      const next = await doRefresh(current);
      await tx
        .update(zaloTokens)
        .set({
          accessToken: next.accessToken,
          refreshToken: next.refreshToken,
          expiresAt: toStored(next.expiresAt),
          updatedAt: new Date(),
        })
        .where(eq(zaloTokens.id, ROW_ID));
      return next;
    });
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
