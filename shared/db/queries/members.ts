/** Member registry queries. Personal fields (phone, national id, date of birth) never go to logs. */
import { and, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { branches, members, type MemberStatus } from '../schema';
import { foldVietnamese } from '../../text';

export type Member = typeof members.$inferSelect;
export type NewMember = typeof members.$inferInsert;

export interface MemberUpsert {
  memberCode: string;
  fullName: string;
  dateOfBirth?: string | null;
  gender?: string | null;
  phone?: string | null;
  nationalId?: string | null;
  branchId: number;
  joinedAt?: string | null;
  status?: MemberStatus;
  zaloUserId?: string | null;
}

/** Upserts by member code. Returns how many rows were inserted vs updated. */
export async function upsertMembers(db: Db, rows: MemberUpsert[]): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  const values = rows.map((r) => ({ ...r, searchName: foldVietnamese(r.fullName) }));
  const result = await db
    .insert(members)
    .values(values)
    .onConflictDoUpdate({
      target: members.memberCode,
      set: {
        fullName: sql`excluded.full_name`,
        searchName: sql`excluded.search_name`,
        dateOfBirth: sql`excluded.date_of_birth`,
        gender: sql`excluded.gender`,
        phone: sql`excluded.phone`,
        nationalId: sql`excluded.national_id`,
        branchId: sql`excluded.branch_id`,
        joinedAt: sql`excluded.joined_at`,
        status: sql`excluded.status`,
        zaloUserId: sql`coalesce(excluded.zalo_user_id, ${members.zaloUserId})`,
        updatedAt: sql`now()`,
      },
    })
    // xmax = 0 only for freshly inserted rows.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  const created = result.filter((r) => r.inserted === true || (r.inserted as unknown) === 't').length;
  return { created, updated: result.length - created };
}

export async function getMemberByCode(db: Db, memberCode: string): Promise<Member | undefined> {
  const [m] = await db.select().from(members).where(eq(members.memberCode, memberCode));
  return m;
}

export async function getMemberById(db: Db, id: number): Promise<Member | undefined> {
  const [m] = await db.select().from(members).where(eq(members.id, id));
  return m;
}

export async function getMemberByZaloUserId(db: Db, zaloUserId: string): Promise<Member | undefined> {
  const [m] = await db.select().from(members).where(eq(members.zaloUserId, zaloUserId));
  return m;
}

export async function getMemberByZaloAppUserId(db: Db, appUserId: string): Promise<Member | undefined> {
  const [m] = await db.select().from(members).where(eq(members.zaloAppUserId, appUserId));
  return m;
}

export async function getMembersByPhone(db: Db, phone: string): Promise<Member[]> {
  return db.select().from(members).where(eq(members.phone, phone));
}

/** Member with its branch, for cards and "me". */
export async function getMemberWithBranch(db: Db, id: number) {
  const [row] = await db
    .select({ member: members, branch: { id: branches.id, code: branches.code, name: branches.name } })
    .from(members)
    .innerJoin(branches, eq(branches.id, members.branchId))
    .where(eq(members.id, id));
  return row;
}

export async function countMembers(db: Db, branchIds?: number[]): Promise<number> {
  const q = db.select({ n: count() }).from(members);
  const [r] = await (branchIds ? q.where(inArray(members.branchId, branchIds)) : q);
  return Number(r.n);
}

export async function countLinkedMembers(db: Db, branchIds?: number[]): Promise<number> {
  const linked = isNotNull(members.zaloUserId);
  const [r] = await db
    .select({ n: count() })
    .from(members)
    .where(branchIds ? and(linked, inArray(members.branchId, branchIds)) : linked);
  return Number(r.n);
}

/**
 * Links a Zalo identity to a member. Either id may be set; an id already held by another member is
 * moved (the newest proof wins) so the unique indexes never fail a legitimate re-link.
 */
export async function linkMemberZalo(
  db: Db,
  memberId: number,
  ids: { zaloUserId?: string | null; zaloAppUserId?: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (ids.zaloUserId) {
      await tx
        .update(members)
        .set({ zaloUserId: null })
        .where(and(eq(members.zaloUserId, ids.zaloUserId), sql`${members.id} <> ${memberId}`));
    }
    if (ids.zaloAppUserId) {
      await tx
        .update(members)
        .set({ zaloAppUserId: null })
        .where(and(eq(members.zaloAppUserId, ids.zaloAppUserId), sql`${members.id} <> ${memberId}`));
    }
    const set: Partial<NewMember> = { updatedAt: new Date() };
    if (ids.zaloUserId) {
      set.zaloUserId = ids.zaloUserId;
      set.unfollowedAt = null;
    }
    if (ids.zaloAppUserId) set.zaloAppUserId = ids.zaloAppUserId;
    await tx.update(members).set(set).where(eq(members.id, memberId));
  });
}

export async function markUnfollowed(db: Db, zaloUserId: string, at: Date): Promise<void> {
  await db.update(members).set({ unfollowedAt: at }).where(eq(members.zaloUserId, zaloUserId));
}

export async function markFollowed(db: Db, zaloUserId: string): Promise<void> {
  await db.update(members).set({ unfollowedAt: null }).where(eq(members.zaloUserId, zaloUserId));
}
