/** Polls and votes. One vote per (poll, member) is the unique constraint `poll_votes_poll_member_uq`; a re-vote updates it. */
import { and, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { appSettings, members, pollVotes, polls } from '../schema';

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

export interface PollSend {
  at: string;
  sent: number;
  failed: number;
}

// The last send of a poll is a small record in app_settings (keyed by poll id) rather than a column:
// polls have no per-recipient ledger, the console only needs to warn before sending twice.
const SEND_KEY = 'poll-sent:';
const sendKey = (pollId: number) => `${SEND_KEY}${pollId}`;

export async function recordPollSend(db: Db, pollId: number, s: PollSend): Promise<void> {
  const value = JSON.stringify(s);
  await db.insert(appSettings).values({ key: sendKey(pollId), value }).onConflictDoUpdate({ target: appSettings.key, set: { value } });
}

export async function getPollSends(db: Db, pollIds: number[]): Promise<Map<number, PollSend>> {
  if (!pollIds.length) return new Map();
  const rows = await db.select().from(appSettings).where(inArray(appSettings.key, pollIds.map(sendKey)));
  return new Map(rows.map((r) => [Number(r.key.slice(SEND_KEY.length)), JSON.parse(r.value) as PollSend]));
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

export async function countVotes(db: Db, pollId: number): Promise<Map<number, number>> {
  const rows = await db.select({ optionIndex: pollVotes.optionIndex, n: count() }).from(pollVotes).where(eq(pollVotes.pollId, pollId)).groupBy(pollVotes.optionIndex);
  return new Map(rows.map((r) => [r.optionIndex, Number(r.n)]));
}

/** Linked, active members of the branches, in id batches (for sending a poll). */
export async function listPollRecipients(db: Db, branchIds: number[], afterId: number, limit: number) {
  return db
    .select({ id: members.id, zaloUserId: members.zaloUserId })
    .from(members)
    .where(and(inArray(members.branchId, branchIds), eq(members.status, 'active'), isNotNull(members.zaloUserId), sql`${members.id} > ${afterId}`))
    .orderBy(members.id)
    .limit(limit);
}
