/** Events and check-ins. One check-in per (event, member) is a database constraint, not a read-then-write. */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
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
  const [existing] = await db
    .select({ at: checkins.at, scanId: checkins.scanId })
    .from(checkins)
    .where(and(eq(checkins.eventId, c.eventId), eq(checkins.memberId, c.memberId)));
  // The same scan re-sent (offline queue, lost answer) gets the answer it would have had.
  return { created: !!c.scanId && existing.scanId === c.scanId, at: existing.at };
}

export async function countCheckins(db: Db, eventId: number): Promise<number> {
  const [r] = await db.select({ n: count() }).from(checkins).where(eq(checkins.eventId, eventId));
  return Number(r.n);
}

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
