/**
 * Polls: voting (once per member, changeable until closing) from chat buttons and the mini-app, live
 * results, and sending a poll: a broadcast whose message carries the options as buttons, so a poll goes
 * through the same ledger, rate limit, retries and progress as any broadcast (one row per member).
 */
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { BUTTONS_MAX } from '../zalo';
import type { BroadcastMessage } from '../db/schema';
import type { JobQueue } from '../queue';
import { startInBackground, type BroadcastJob } from '../broadcast/dispatch';
import { countSegment, createBroadcast } from '../db/queries/broadcasts';
import { vi } from '../i18n/vi';
import type { Member } from '../db/queries/members';
import { getAncestorIds } from '../db/queries/announcements';
import { countVotes, getPoll, setPollBroadcast, upsertVote, type Poll } from '../db/queries/polls';
import { formatVnDateTime } from '../welfare/messages';

export type VoteOutcome =
  | { ok: true; poll: Poll; option: string; changed: boolean; previous: number | null }
  | { ok: false; reason: 'not_found' | 'closed' | 'bad_option' | 'not_in_scope' };

export async function castVote(db: Db, input: { pollId: number; member: Member; optionIndex: number; now: Date }): Promise<VoteOutcome> {
  const poll = await getPoll(db, input.pollId);
  if (!poll) return { ok: false, reason: 'not_found' };
  if (!(await getAncestorIds(db, input.member.branchId)).includes(poll.branchId)) return { ok: false, reason: 'not_in_scope' };
  if (poll.closesAt <= input.now) return { ok: false, reason: 'closed' };
  if (!Number.isInteger(input.optionIndex) || input.optionIndex < 0 || input.optionIndex >= poll.options.length) return { ok: false, reason: 'bad_option' };
  const previous = await upsertVote(db, poll.id, input.member.id, input.optionIndex);
  return { ok: true, poll, option: poll.options[input.optionIndex], changed: previous !== null && previous !== input.optionIndex, previous };
}

/** Each poll's question, options with their votes, total and closing time; one query for all the polls. */
export async function pollsResults(db: Db, polls: Poll[]) {
  const counts = await countVotes(db, polls.map((p) => p.id));
  return polls.map((poll) => {
    const votes = counts.get(poll.id)!;
    const options = poll.options.map((text, i) => ({ text, votes: votes.get(i) ?? 0 }));
    return { id: poll.id, question: poll.question, options, total: options.reduce((a, o) => a + o.votes, 0), closesAt: poll.closesAt };
  });
}

export async function pollResults(db: Db, poll: Poll) {
  return (await pollsResults(db, [poll]))[0];
}

export const pollPayload = (pollId: number, index: number) => `#poll:${pollId}:${index}`;
export const POLL_PAYLOAD = /^#poll:(\d{1,9}):(\d{1,3})$/;

/** At most this many options: they must fit one promotion message's buttons. */
export const POLL_OPTIONS_MAX = BUTTONS_MAX;

/** The poll as a broadcast message: the question and closing time, one hidden query button per option. */
export function pollBroadcastMessage(poll: Poll): BroadcastMessage {
  if (poll.options.length > POLL_OPTIONS_MAX) throw new RangeError(`a poll has at most ${POLL_OPTIONS_MAX} options`);
  return {
    title: `Bình chọn: ${poll.question}`.slice(0, 100),
    text: vi.poll.question(poll.question, formatVnDateTime(poll.closesAt)),
    buttons: poll.options.map((o, i) => ({ title: o.slice(0, 100), payload: pollPayload(poll.id, i), hidden: true })),
  };
}

/**
 * Sends the poll to every linked member of its branch subtree as a new broadcast (a re-send is a new
 * broadcast; the poll points at the latest). Snapshot now, enqueue in the background (the worker's
 * sweep re-enqueues if this process dies meanwhile).
 */
export async function startPollBroadcast(
  deps: { db: Db; queue: JobQueue<BroadcastJob>; logger: Logger },
  poll: Poll,
  officerId: number,
): Promise<{ broadcastId: number; total: number; pending: number }> {
  const { db } = deps;
  const segment = { linkedOnly: true };
  const b = await createBroadcast(db, {
    branchId: poll.branchId,
    segment,
    message: pollBroadcastMessage(poll),
    scheduledAt: null,
    announcementId: null,
    createdByOfficerId: officerId,
    total: await countSegment(db, poll.branchId, segment),
  });
  await setPollBroadcast(db, poll.id, b.id);
  const started = await startInBackground(deps, b.id, { pollId: poll.id });
  if (!started) throw new Error(`broadcast ${b.id} for poll ${poll.id} could not start`);
  return { broadcastId: b.id, total: started.total, pending: started.pending };
}
