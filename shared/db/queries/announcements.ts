/** Announcements: published ones visible to a member are those of their branch, its ancestors, or public. */
import { and, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../client';
import { announcements } from '../schema';

export type Announcement = typeof announcements.$inferSelect;

/** Ids of the branch and its ancestors up to the root. */
export async function getAncestorIds(db: Db, branchId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`with recursive t(id, parent_id) as (
          select id, parent_id from branches where id = ${branchId}
          union all select b.id, b.parent_id from branches b join t on b.id = t.parent_id)
        select id from t`,
  );
  return rows.map((r) => Number(r.id));
}

export async function listVisibleAnnouncements(db: Db, branchId: number | null, now: Date, limit = 5): Promise<Announcement[]> {
  const scope = branchId ? await getAncestorIds(db, branchId) : [];
  const visible = scope.length ? or(isNull(announcements.branchId), inArray(announcements.branchId, scope)) : isNull(announcements.branchId);
  return db
    .select()
    .from(announcements)
    .where(and(isNotNull(announcements.publishedAt), lte(announcements.publishedAt, now), visible))
    .orderBy(desc(announcements.publishedAt), desc(announcements.id))
    .limit(limit);
}

export async function getAnnouncement(db: Db, id: number): Promise<Announcement | undefined> {
  const [a] = await db.select().from(announcements).where(eq(announcements.id, id));
  return a;
}

export async function isAnnouncementVisible(db: Db, a: Announcement, branchId: number | null, now: Date): Promise<boolean> {
  if (!a.publishedAt || a.publishedAt > now) return false;
  if (a.branchId === null) return true;
  if (!branchId) return false;
  return (await getAncestorIds(db, branchId)).includes(a.branchId);
}

// ---------------------------------------------------------------------------------------------
// Officer side: announcements of a branch subtree (public ones belong to officers of the root).

export function announcementScope(scope: { branchIds: number[]; includesRoot: boolean }) {
  const mine = inArray(announcements.branchId, scope.branchIds);
  return scope.includesRoot ? or(isNull(announcements.branchId), mine)! : mine;
}

export async function getAnnouncementInScope(db: Db, id: number, scope: { branchIds: number[]; includesRoot: boolean }) {
  const [a] = await db
    .select()
    .from(announcements)
    .where(and(eq(announcements.id, id), announcementScope(scope)));
  return a;
}

export async function listAnnouncementsInScope(
  db: Db,
  scope: { branchIds: number[]; includesRoot: boolean },
  o: { published?: boolean; limit: number; offset: number },
): Promise<{ items: Announcement[]; total: number }> {
  const filters = [announcementScope(scope)];
  if (o.published === true) filters.push(isNotNull(announcements.publishedAt));
  if (o.published === false) filters.push(isNull(announcements.publishedAt));
  const where = and(...filters);
  const items = await db
    .select()
    .from(announcements)
    .where(where)
    .orderBy(desc(announcements.id))
    .limit(o.limit)
    .offset(o.offset);
  const [c] = await db.select({ n: sql<number>`count(*)` }).from(announcements).where(where);
  return { items, total: Number(c?.n ?? 0) };
}

export async function createAnnouncement(db: Db, a: typeof announcements.$inferInsert): Promise<Announcement> {
  const [row] = await db.insert(announcements).values(a).returning();
  return row;
}

export async function updateAnnouncement(
  db: Db,
  id: number,
  patch: Partial<Pick<Announcement, 'title' | 'body' | 'imageUrl' | 'linkUrl' | 'branchId' | 'publishedAt'>>,
): Promise<Announcement> {
  const [row] = await db
    .update(announcements)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(announcements.id, id))
    .returning();
  return row;
}
