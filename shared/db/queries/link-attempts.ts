/** Failed member-link attempts per key (a Zalo id), counted over the last hour across processes. */
import { and, count, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { linkAttempts } from '../schema';

export async function countRecentLinkFailures(db: Db, key: string, since: Date): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(linkAttempts)
    .where(and(eq(linkAttempts.key, key), gt(linkAttempts.createdAt, since)));
  return Number(r.n);
}

export async function recordLinkFailure(db: Db, key: string): Promise<void> {
  await db.insert(linkAttempts).values({ key });
}

export async function pruneLinkAttempts(db: Db, before: Date): Promise<void> {
  await db.delete(linkAttempts).where(lt(linkAttempts.createdAt, before));
}
