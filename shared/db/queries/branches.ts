/** Branch tree queries: lookups by code and subtree expansion (for RBAC and segments). */
import { eq, inArray, isNull, sql } from 'drizzle-orm';
import { perDatabase, queryRows, type Db } from '../client';
import { ttlCache } from '../../ttl-cache';
import { branches } from '../schema';

export type Branch = typeof branches.$inferSelect;

export async function getBranchByCode(db: Db, code: string): Promise<Branch | undefined> {
  const [b] = await db.select().from(branches).where(eq(branches.code, code));
  return b;
}

export async function getBranchById(db: Db, id: number): Promise<Branch | undefined> {
  const [b] = await db.select().from(branches).where(eq(branches.id, id));
  return b;
}

export async function getRootBranch(db: Db): Promise<Branch | undefined> {
  const [b] = await db.select().from(branches).where(isNull(branches.parentId)).orderBy(branches.id).limit(1);
  return b;
}

/** Root branch, created as "ROOT" when the tree is empty. */
export async function ensureRootBranch(db: Db): Promise<Branch> {
  const root = await getRootBranch(db);
  if (root) return root;
  await db.insert(branches).values({ code: 'ROOT', name: 'Công đoàn' }).onConflictDoNothing();
  return (await getBranchByCode(db, 'ROOT'))!;
}

export async function createBranch(db: Db, b: { code: string; name: string; parentId: number | null }): Promise<Branch> {
  const [row] = await db
    .insert(branches)
    .values(b)
    .onConflictDoUpdate({ target: branches.code, set: { name: b.name, parentId: b.parentId } })
    .returning();
  return row;
}

/** Ids of the branch and all its descendants. */
export async function getSubtreeIds(db: Db, rootId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`with recursive t(id) as (select ${rootId}::int union all select b.id from branches b join t on b.parent_id = t.id) select id from t`,
  );
  return rows.map((r) => Number(r.id));
}

/** How long a subtree read by getSubtreeIdsCached is reused (per process). */
export const SUBTREE_TTL_MS = 5_000;
const subtreeCache = perDatabase((db) => ttlCache(SUBTREE_TTL_MS, (rootId: number) => getSubtreeIds(db, rootId)));

/**
 * getSubtreeIds for hot paths (every admin request, a door scanner's burst of check-ins): each
 * branch's subtree is reused for SUBTREE_TTL_MS, so a branch added on any process is seen within that
 * time. The array is shared: read it, never change it.
 */
export function getSubtreeIdsCached(db: Db, rootId: number): Promise<readonly number[]> {
  return subtreeCache(db)(rootId);
}

export async function listBranches(db: Db, ids?: number[]): Promise<Branch[]> {
  const q = db.select().from(branches);
  return ids ? q.where(inArray(branches.id, ids)).orderBy(branches.code) : q.orderBy(branches.code);
}
