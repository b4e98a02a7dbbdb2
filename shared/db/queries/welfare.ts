/**
 * Welfare programs and registrations. One active registration per (program, member) is the partial
 * unique index `welfare_registrations_active_uq`; inserts use ON CONFLICT DO NOTHING.
 */
import { and, count, desc, eq, gt, inArray, lte, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { branches, members, welfarePrograms, welfareRegistrations, type RegistrationStatus, type WelfareField, type WelfareRules } from '../schema';

export type WelfareProgram = typeof welfarePrograms.$inferSelect;
export type WelfareRegistration = typeof welfareRegistrations.$inferSelect;

/** Statuses that hold a place (count against capacity). */
export const HOLDING_STATUSES: RegistrationStatus[] = ['submitted', 'approved'];

export function registrationReference(programCode: string, registrationId: number): string {
  return `${programCode}-${String(registrationId).padStart(6, '0')}`;
}

export interface ProgramInput {
  branchId: number;
  code: string;
  title: string;
  description: string;
  eligibility: string;
  rules: WelfareRules;
  fields: WelfareField[];
  opensAt: Date;
  closesAt: Date;
  capacity: number | null;
  active?: boolean;
}

export async function createProgram(db: Db, p: ProgramInput): Promise<WelfareProgram | undefined> {
  const [row] = await db.insert(welfarePrograms).values(p).onConflictDoNothing({ target: welfarePrograms.code }).returning();
  return row;
}

export async function updateProgram(db: Db, id: number, patch: Partial<ProgramInput>): Promise<WelfareProgram | undefined> {
  const [row] = await db
    .update(welfarePrograms)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(welfarePrograms.id, id))
    .returning();
  return row;
}

export async function getProgram(db: Db, id: number): Promise<WelfareProgram | undefined> {
  const [p] = await db.select().from(welfarePrograms).where(eq(welfarePrograms.id, id));
  return p;
}

export async function getPrograms(db: Db, ids: readonly number[]): Promise<WelfareProgram[]> {
  if (!ids.length) return [];
  return db.select().from(welfarePrograms).where(inArray(welfarePrograms.id, [...ids]));
}

export async function getProgramInScope(db: Db, id: number, branchIds: number[]): Promise<WelfareProgram | undefined> {
  const [p] = await db.select().from(welfarePrograms).where(and(eq(welfarePrograms.id, id), inArray(welfarePrograms.branchId, branchIds)));
  return p;
}

export async function listProgramsInScope(db: Db, branchIds: number[]) {
  const active = db
    .select({ programId: welfareRegistrations.programId, n: count().as('n') })
    .from(welfareRegistrations)
    .where(inArray(welfareRegistrations.status, HOLDING_STATUSES))
    .groupBy(welfareRegistrations.programId)
    .as('active');
  return db
    .select({ program: welfarePrograms, registered: sql<number>`coalesce(${active.n}, 0)::int` })
    .from(welfarePrograms)
    .leftJoin(active, eq(active.programId, welfarePrograms.id))
    .where(inArray(welfarePrograms.branchId, branchIds))
    .orderBy(desc(welfarePrograms.opensAt));
}

/** Open programs whose branch is one of `branchIds` (the member's branch and its ancestors). */
export async function listOpenPrograms(db: Db, branchIds: number[], now: Date): Promise<WelfareProgram[]> {
  if (!branchIds.length) return [];
  return db
    .select()
    .from(welfarePrograms)
    .where(and(eq(welfarePrograms.active, true), inArray(welfarePrograms.branchId, branchIds), lte(welfarePrograms.opensAt, now), gt(welfarePrograms.closesAt, now)))
    .orderBy(desc(welfarePrograms.opensAt), desc(welfarePrograms.id));
}

export async function countHoldingRegistrations(db: Db, programId: number): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(welfareRegistrations)
    .where(and(eq(welfareRegistrations.programId, programId), inArray(welfareRegistrations.status, HOLDING_STATUSES)));
  return Number(r.n);
}

/** Inserts unless the member already has a registration that is not cancelled (then undefined). */
export async function insertRegistration(
  db: Db,
  r: { programId: number; memberId: number; answers: Record<string, unknown>; channel: string },
): Promise<WelfareRegistration | undefined> {
  const [row] = await db.insert(welfareRegistrations).values(r).onConflictDoNothing().returning();
  return row;
}

export async function getActiveRegistration(db: Db, programId: number, memberId: number): Promise<WelfareRegistration | undefined> {
  const [r] = await db
    .select()
    .from(welfareRegistrations)
    .where(and(eq(welfareRegistrations.programId, programId), eq(welfareRegistrations.memberId, memberId), ne(welfareRegistrations.status, 'cancelled')));
  return r;
}

export async function getRegistration(db: Db, id: number): Promise<WelfareRegistration | undefined> {
  const [r] = await db.select().from(welfareRegistrations).where(eq(welfareRegistrations.id, id));
  return r;
}

export async function listMemberRegistrations(db: Db, memberId: number) {
  return db
    .select({ registration: welfareRegistrations, program: welfarePrograms })
    .from(welfareRegistrations)
    .innerJoin(welfarePrograms, eq(welfarePrograms.id, welfareRegistrations.programId))
    .where(eq(welfareRegistrations.memberId, memberId))
    .orderBy(desc(welfareRegistrations.createdAt), desc(welfareRegistrations.id));
}

/** Active (not cancelled) registrations of a member, keyed by program id. */
export async function mapActiveRegistrations(db: Db, memberId: number, programIds: number[]): Promise<Map<number, WelfareRegistration>> {
  if (!programIds.length) return new Map();
  const rows = await db
    .select()
    .from(welfareRegistrations)
    .where(and(eq(welfareRegistrations.memberId, memberId), inArray(welfareRegistrations.programId, programIds), ne(welfareRegistrations.status, 'cancelled')));
  return new Map(rows.map((r) => [r.programId, r]));
}

/** Cancels the member's own registration while it is still `submitted`. */
export async function cancelOwnRegistration(db: Db, id: number, memberId: number): Promise<WelfareRegistration | undefined> {
  const [row] = await db
    .update(welfareRegistrations)
    .set({ status: 'cancelled', updatedAt: sql`now()` })
    .where(and(eq(welfareRegistrations.id, id), eq(welfareRegistrations.memberId, memberId), eq(welfareRegistrations.status, 'submitted')))
    .returning();
  return row;
}

export interface RegistrationListFilter {
  programId: number;
  status?: RegistrationStatus;
  /** Only members of these branches (officer scope, optionally narrowed to one branch subtree). */
  memberBranchIds: number[];
  limit?: number;
  offset?: number;
}

export async function listProgramRegistrations(db: Db, f: RegistrationListFilter) {
  const where = and(
    eq(welfareRegistrations.programId, f.programId),
    f.status ? eq(welfareRegistrations.status, f.status) : undefined,
    inArray(members.branchId, f.memberBranchIds.length ? f.memberBranchIds : [-1]),
  );
  const base = db
    .select({
      id: welfareRegistrations.id,
      status: welfareRegistrations.status,
      answers: welfareRegistrations.answers,
      channel: welfareRegistrations.channel,
      note: welfareRegistrations.note,
      createdAt: welfareRegistrations.createdAt,
      decidedAt: welfareRegistrations.decidedAt,
      notifyStatus: welfareRegistrations.notifyStatus,
      memberId: members.id,
      memberCode: members.memberCode,
      fullName: members.fullName,
      phone: members.phone,
      branchCode: branches.code,
      branchName: branches.name,
    })
    .from(welfareRegistrations)
    .innerJoin(members, eq(members.id, welfareRegistrations.memberId))
    .innerJoin(branches, eq(branches.id, members.branchId))
    .where(where)
    .orderBy(welfareRegistrations.id);
  const items = f.limit !== undefined ? await base.limit(f.limit).offset(f.offset ?? 0) : await base;
  const [{ n }] = await db
    .select({ n: count() })
    .from(welfareRegistrations)
    .innerJoin(members, eq(members.id, welfareRegistrations.memberId))
    .where(where);
  return { items, total: Number(n) };
}

/** Registrations (with their member) among `ids` that belong to the program and to members in scope. */
export async function getRegistrationsForReview(db: Db, ids: number[], memberBranchIds: number[], programId?: number) {
  if (!ids.length) return [];
  return db
    .select({ registration: welfareRegistrations, member: members, program: welfarePrograms })
    .from(welfareRegistrations)
    .innerJoin(members, eq(members.id, welfareRegistrations.memberId))
    .innerJoin(welfarePrograms, eq(welfarePrograms.id, welfareRegistrations.programId))
    .where(
      and(
        inArray(welfareRegistrations.id, ids),
        inArray(members.branchId, memberBranchIds.length ? memberBranchIds : [-1]),
        programId !== undefined ? eq(welfareRegistrations.programId, programId) : undefined,
      ),
    );
}

/**
 * Sets the decision on rows still in a reviewable state; returns the rows it changed. Approving a
 * rejected registration takes a place again, so it is checked against the program's capacity under
 * the program's row lock (as registering is): when the program is full, that row stays rejected.
 */
export async function decideRegistrations(
  db: Db,
  ids: number[],
  d: { status: 'approved' | 'rejected'; officerId: number; note: string | null; at: Date },
): Promise<WelfareRegistration[]> {
  if (!ids.length) return [];
  return db.transaction(async (tx) => {
    let allowed = ids;
    if (d.status === 'approved') {
      const rejected = await tx
        .select({ id: welfareRegistrations.id, programId: welfareRegistrations.programId })
        .from(welfareRegistrations)
        .where(and(inArray(welfareRegistrations.id, ids), eq(welfareRegistrations.status, 'rejected')))
        .orderBy(welfareRegistrations.id);
      if (rejected.length) {
        const programIds = [...new Set(rejected.map((r) => r.programId))];
        const programs = await tx.select().from(welfarePrograms).where(inArray(welfarePrograms.id, programIds)).orderBy(welfarePrograms.id).for('update');
        const refused = new Set<number>();
        for (const p of programs) {
          if (p.capacity == null) continue;
          let free = p.capacity - (await countHoldingRegistrations(tx, p.id));
          for (const r of rejected) if (r.programId === p.id && free-- <= 0) refused.add(r.id);
        }
        allowed = ids.filter((id) => !refused.has(id));
      }
    }
    if (!allowed.length) return [];
    return tx
      .update(welfareRegistrations)
      .set({ status: d.status, reviewedByOfficerId: d.officerId, note: d.note, decidedAt: d.at, notifyStatus: null, notifyError: null, updatedAt: sql`now()` })
      .where(and(inArray(welfareRegistrations.id, allowed), notInArray(welfareRegistrations.status, ['cancelled', d.status])))
      .returning();
  });
}

export async function setNotifyOutcome(db: Db, id: number, status: 'sent' | 'failed' | 'skipped', error: string | null): Promise<void> {
  await db.update(welfareRegistrations).set({ notifyStatus: status, notifyError: error }).where(eq(welfareRegistrations.id, id));
}
