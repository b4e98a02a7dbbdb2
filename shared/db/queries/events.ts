/** Events and check-ins. One check-in per (event, member) is a database constraint, not a read-then-write. */
import { and, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client';
import { toJsonParam } from '../json-param';
import { keysetPages } from '../keyset';
import { branches, checkins, events, members } from '../schema';

export type Event = typeof events.$inferSelect;

export async function createEvent(
  db: Db,
  e: { branchId: number; title: string; startsAt: Date; endsAt: Date; location?: string | null; code: string; createdByOfficerId?: number | null },
): Promise<Event> {
  const [row] = await db.insert(events).values(e).returning();
  return row;
}

export async function getEvent(db: Db, id: number): Promise<Event | undefined> {
  const [e] = await db.select().from(events).where(eq(events.id, id));
  return e;
}

export async function getEventByCode(db: Db, code: string): Promise<Event | undefined> {
  const [e] = await db.select().from(events).where(eq(events.code, code.trim().toUpperCase()));
  return e;
}

export async function getEventInScope(db: Db, id: number, branchIds: number[]): Promise<Event | undefined> {
  const [e] = await db.select().from(events).where(and(eq(events.id, id), inArray(events.branchId, branchIds)));
  return e;
}

export async function listEventsWithCounts(db: Db, branchIds: number[], limit = 100) {
  return db
    .select({
      id: events.id,
      title: events.title,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      location: events.location,
      code: events.code,
      branchId: events.branchId,
      count: sql<number>`(select count(*)::int from ${checkins} where ${checkins.eventId} = ${events.id})`,
    })
    .from(events)
    .where(inArray(events.branchId, branchIds))
    .orderBy(desc(events.startsAt))
    .limit(limit);
}

/** Inserts the check-in unless one exists; returns the row's time and whether it was new. */
export async function insertCheckin(
  db: Db,
  c: { eventId: number; memberId: number; method: 'self' | 'officer'; byOfficerId?: number | null; at: Date; scanId?: string | null },
): Promise<{ created: boolean; at: Date }> {
  const inserted = await db.insert(checkins).values(c).onConflictDoNothing({ target: [checkins.eventId, checkins.memberId] }).returning({ at: checkins.at });
  if (inserted.length) return { created: true, at: inserted[0].at };
  const existing = (await getCheckin(db, c.eventId, c.memberId))!;
  // The same scan re-sent (offline queue, lost answer) gets the answer it would have had.
  return { created: !!c.scanId && existing.scanId === c.scanId, at: existing.at };
}

export async function getCheckin(db: Db, eventId: number, memberId: number): Promise<{ at: Date; scanId: string | null } | undefined> {
  const [row] = await db
    .select({ at: checkins.at, scanId: checkins.scanId })
    .from(checkins)
    .where(and(eq(checkins.eventId, eventId), eq(checkins.memberId, memberId)));
  return row;
}

export interface ScannedCheckin {
  /** The scanned member (undefined when no member has that id). */
  member?: { id: number; memberCode: string; fullName: string; branchId: number; status: string };
  /** Set when this statement created the check-in. */
  insertedAt?: Date;
  /** The check-in that existed before this statement, with its scan id. */
  existing?: { at: Date; scanId: string | null };
}

export interface CardScan {
  eventId: number;
  memberId: number;
  /** Branches whose members may check in to the event (its branch subtree). */
  scopeBranchIds: readonly number[];
  byOfficerId: number;
  at: Date;
  scanId: string | null;
}

/**
 * Officers' card scans in one statement (a congress door is a burst of thousands, batched by the
 * caller): reads each member, inserts the check-in only for an active member inside the scope, and
 * returns per scan the member with the new or earlier check-in so the caller can tell which rule
 * refused it. Scans must name distinct (event, member) pairs. Results are in the scans' order.
 */
export async function insertScannedCheckins(db: Db, scans: readonly CardScan[]): Promise<ScannedCheckin[]> {
  if (!scans.length) return [];
  const batch = toJsonParam(scans.map((c, i) => ({ i, e: c.eventId, m: c.memberId, o: c.byOfficerId, at: c.at.toISOString(), sid: c.scanId })));
  // Each event's branch list goes once, not once per scan: a federation's event can cover thousands.
  const scopes = toJsonParam(Object.fromEntries(scans.map((c) => [String(c.eventId), c.scopeBranchIds])));
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with s as (select * from jsonb_to_recordset(${batch}::jsonb) as x(i int, e int, m int, o int, at timestamptz, sid text)),
        ins as (
          insert into checkins (event_id, member_id, method, by_officer_id, at, scan_id)
          select s.e, m.id, 'officer', s.o, s.at, s.sid from s join members m on m.id = s.m
          where m.status = 'active' and (${scopes}::jsonb -> s.e::text) @> to_jsonb(m.branch_id)
          on conflict (event_id, member_id) do nothing
          returning event_id, member_id, at)
        select s.i, m.id, m.member_code, m.full_name, m.branch_id, m.status,
               ins.at as inserted_at, c.at as existing_at, c.scan_id as existing_scan_id
        from s
        left join members m on m.id = s.m
        left join ins on ins.event_id = s.e and ins.member_id = s.m
        left join checkins c on c.event_id = s.e and c.member_id = s.m`,
  );
  const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
  const out: ScannedCheckin[] = scans.map(() => ({}));
  for (const row of rows) {
    if (row.id == null) continue;
    out[Number(row.i)] = {
      member: { id: Number(row.id), memberCode: String(row.member_code), fullName: String(row.full_name), branchId: Number(row.branch_id), status: String(row.status) },
      insertedAt: row.inserted_at == null ? undefined : toDate(row.inserted_at),
      existing: row.existing_at == null ? undefined : { at: toDate(row.existing_at), scanId: (row.existing_scan_id as string | null) ?? null },
    };
  }
  return out;
}

export async function countCheckins(db: Db, eventId: number): Promise<number> {
  const [r] = await db.select({ n: count() }).from(checkins).where(eq(checkins.eventId, eventId));
  return Number(r.n);
}

/** Every check-in of the event (export), in the order they were recorded, a page at a time (keyset on id). */
export function checkinsForExport(db: Db, eventId: number, pageSize = 5_000) {
  return keysetPages(
    (after: number | null, limit) =>
      db
        .select({ id: checkins.id, memberCode: members.memberCode, fullName: members.fullName, branch: branches.name, at: checkins.at, method: checkins.method })
        .from(checkins)
        .innerJoin(members, eq(members.id, checkins.memberId))
        .innerJoin(branches, eq(branches.id, members.branchId))
        .where(and(eq(checkins.eventId, eventId), gt(checkins.id, after ?? 0)))
        .orderBy(checkins.id)
        .limit(limit),
    (row) => row.id,
    pageSize,
  );
}

/** The latest check-ins for the console's list (the export has them all). */
export async function listCheckins(db: Db, eventId: number, limit = 10000) {
  return db
    .select({ memberCode: members.memberCode, fullName: members.fullName, branch: branches.name, at: checkins.at, method: checkins.method })
    .from(checkins)
    .innerJoin(members, eq(members.id, checkins.memberId))
    .innerJoin(branches, eq(branches.id, members.branchId))
    .where(eq(checkins.eventId, eventId))
    .orderBy(checkins.at)
    .limit(limit);
}
