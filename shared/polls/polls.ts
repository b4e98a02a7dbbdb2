/**
 * Polls: voting (once per member, changeable until closing) from chat buttons and the mini-app, live
 * results, and sending a poll to the members in scope. Sending goes straight through the Zalo client in
 * batches (the broadcast module's segment/ledger carries announcement templates, not option buttons).
 */
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { button, promotionMessage, BUTTONS_MAX, type ZaloClient } from '../zalo';
import { vi } from '../i18n/vi';
import type { Member } from '../db/queries/members';
import { getAncestorIds } from '../db/queries/announcements';
import { getSubtreeIds } from '../db/queries/branches';
import { countVotes, getPoll, listPollRecipients, upsertVote, type Poll } from '../db/queries/polls';
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

export async function pollResults(db: Db, poll: Poll) {
  const counts = await countVotes(db, poll.id);
  const options = poll.options.map((text, i) => ({ text, votes: counts.get(i) ?? 0 }));
  return { id: poll.id, question: poll.question, options, total: options.reduce((a, o) => a + o.votes, 0), closesAt: poll.closesAt };
}

export const pollPayload = (pollId: number, index: number) => `#poll:${pollId}:${index}`;
export const POLL_PAYLOAD = /^#poll:(\d+):(\d+)$/;

/** The poll as Zalo promotion messages: question + option buttons, ≤ 5 buttons per message. */
export function pollMessages(poll: Poll) {
  const buttons = poll.options.map((o, i) => button.hiddenQuery(o.slice(0, 100), pollPayload(poll.id, i)));
  const msgs = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_MAX) {
    const title = i === 0 ? `Bình chọn: ${poll.question}`.slice(0, 100) : 'Bình chọn (tiếp)';
    const lines = i === 0 ? [vi.poll.question(poll.question, formatVnDateTime(poll.closesAt))] : [];
    msgs.push(promotionMessage({ title, lines, buttons: buttons.slice(i, i + BUTTONS_MAX) }));
  }
  return msgs;
}

export async function sendPoll(deps: { db: Db; zalo: ZaloClient; logger: Logger }, poll: Poll, opts: { batch?: number; concurrency?: number } = {}) {
  const branchIds = await getSubtreeIds(deps.db, poll.branchId);
  const msgs = pollMessages(poll);
  const batch = opts.batch ?? 200;
  const concurrency = opts.concurrency ?? 5;
  let after = 0;
  const out = { sent: 0, failed: 0 };
  for (;;) {
    const rows = await listPollRecipients(deps.db, branchIds, after, batch);
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    for (let i = 0; i < rows.length; i += concurrency) {
      await Promise.all(
        rows.slice(i, i + concurrency).map(async (r) => {
          try {
            for (const m of msgs) await deps.zalo.sendMessage('promotion', r.zaloUserId!, m);
            out.sent++;
          } catch (err) {
            out.failed++;
            deps.logger.warn({ pollId: poll.id, memberId: r.id, code: (err as { code?: unknown }).code }, 'poll send failed');
          }
        }),
      );
    }
  }
  return out;
}
