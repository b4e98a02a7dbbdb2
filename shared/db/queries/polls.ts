/** Polls and votes. One vote per (poll, member) is the unique constraint `poll_votes_poll_member_uq`; a re-vote updates it. */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { pollVotes, polls } from '../schema';

export type Poll = typeof polls.$inferSelect;

export async function createPoll(
  db: Db,
  p: { branchId: number; question: string; options: string[]; closesAt: Date; createdByOfficerId: number },
): Promise<Poll> {
  const [row] = await db.insert(polls).values(p).returning();
  return row;
}

export async function getPoll(db: Db, id: number): Promise<Poll | undefined> {
  const [p] = await db.select().from(polls).where(eq(polls.id, id));
  return p;
}

export async function getPollInScope(db: Db, id: number, branchIds: number[]): Promise<Poll | undefined> {
  const [p] = await db.select().from(polls).where(and(eq(polls.id, id), inArray(polls.branchId, branchIds)));
  return p;
}

export async function listPollsInScope(db: Db, branchIds: number[]): Promise<Poll[]> {
  return db.select().from(polls).where(inArray(polls.branchId, branchIds)).orderBy(sql`${polls.id} desc`).limit(100);
}

/** Ends voting now (a poll already past its closing time keeps it). */
export async function closePoll(db: Db, id: number, at: Date): Promise<Poll> {
  const [row] = await db
    .update(polls)
    .set({ closesAt: sql`least(${polls.closesAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(polls.id, id))
    .returning();
  return row;
}

/** The poll's latest send (a broadcast; see shared/polls/polls.ts). */
export async function setPollBroadcast(db: Db, pollId: number, broadcastId: number): Promise<void> {
  await db.update(polls).set({ broadcastId }).where(eq(polls.id, pollId));
}

/** Inserts or changes the member's vote; returns the previous option index (null on a first vote). */
export async function upsertVote(db: Db, pollId: number, memberId: number, optionIndex: number): Promise<number | null> {
  const [prev] = await db.select({ optionIndex: pollVotes.optionIndex }).from(pollVotes).where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.memberId, memberId)));
  await db
    .insert(pollVotes)
    .values({ pollId, memberId, optionIndex })
    .onConflictDoUpdate({ target: [pollVotes.pollId, pollVotes.memberId], set: { optionIndex, updatedAt: sql`now()` } });
  return prev?.optionIndex ?? null;
}

/** Votes per option for each of the polls, in one query: poll id → (option index → votes). */
export async function countVotes(db: Db, pollIds: number[]): Promise<Map<number, Map<number, number>>> {
  const byPoll = new Map<number, Map<number, number>>(pollIds.map((id) => [id, new Map()]));
  if (pollIds.length === 0) return byPoll;
  const rows = await db
    .select({ pollId: pollVotes.pollId, optionIndex: pollVotes.optionIndex, n: count() })
    .from(pollVotes)
    .where(inArray(pollVotes.pollId, pollIds))
    .groupBy(pollVotes.pollId, pollVotes.optionIndex);
  for (const r of rows) byPoll.get(r.pollId)!.set(r.optionIndex, Number(r.n));
  return byPoll;
}
