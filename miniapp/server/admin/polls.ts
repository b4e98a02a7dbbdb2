/** Officer API for polls: create, send to the members in scope, close early, live results. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/logger';
import { AppError, notFound } from '../../../shared/errors';
import { idParam, parseInput } from '../../../shared/http/validate';
import { writeAudit } from '../../../shared/db/queries/audit';
import { closePoll, createPoll, getPollInScope, listPollsInScope, type Poll } from '../../../shared/db/queries/polls';
import { broadcastProgress, type BroadcastProgress } from '../../../shared/db/queries/broadcasts';
import { pollsResults, POLL_OPTIONS_MAX, startPollBroadcast } from '../../../shared/polls/polls';
import type { QueueDriver } from '../../../shared/queue';
import { broadcastQueue } from '../../../shared/broadcast/dispatch';
import { adminLocals, branchIdInScope, requireRole } from './auth';

const createBody = z.object({
  question: z.string().trim().min(3).max(500),
  options: z
    .array(z.string().trim().min(1).max(80))
    .min(2)
    .max(POLL_OPTIONS_MAX, `at most ${POLL_OPTIONS_MAX} options (one Zalo message holds ${POLL_OPTIONS_MAX} buttons)`)
    .refine((o) => new Set(o).size === o.length, { message: 'options must be distinct' }),
  branchCode: z.string().trim().max(50).optional(),
  closesAt: z.coerce.date(),
});

/** The poll's latest send: its broadcast's state and delivery counts (sent/failed/pending). */
function lastSend(p: BroadcastProgress | undefined) {
  if (!p) return null;
  return { broadcastId: p.id, at: p.startedAt ?? p.createdAt, status: p.status, sent: p.sent, failed: p.failed, pending: p.pending, skipped: p.skipped };
}

/**
 * Results plus what the console shows beside them: open or closed, and the last send. Two queries
 * whatever the number of polls: the votes of all of them, the sends' progress of all of them.
 */
async function pollViews(db: Db, polls: Poll[], now: Date) {
  const [results, progress] = await Promise.all([
    pollsResults(db, polls),
    broadcastProgress(db, polls.flatMap((p) => (p.broadcastId ? [p.broadcastId] : []))),
  ]);
  return polls.map((poll, i) => ({
    ...results[i],
    branchId: poll.branchId,
    createdAt: poll.createdAt,
    closed: poll.closesAt <= now,
    lastSend: lastSend(poll.broadcastId ? progress.get(poll.broadcastId) : undefined),
  }));
}

async function pollView(db: Db, poll: Poll, now: Date) {
  return (await pollViews(db, [poll], now))[0];
}

export function pollAdminRoutes(deps: { db: Db; queue: QueueDriver; clock: Clock; logger: Logger }): Router {
  const { db } = deps;
  const queue = broadcastQueue(deps.queue);
  const r = Router();
  const inScope = async (id: number, branchIds: number[]) => {
    const p = await getPollInScope(db, id, branchIds);
    if (!p) throw notFound('POLL_NOT_FOUND', 'Không tìm thấy cuộc bình chọn / poll not found');
    return p;
  };

  r.post('/polls', requireRole('officer'), async (req, res) => {
    const body = parseInput(createBody, req.body);
    const { officer, scope } = adminLocals(res);
    if (body.closesAt <= deps.clock.now()) throw new AppError('VALIDATION_ERROR', 400, 'closesAt: must be in the future', { fields: [{ path: 'closesAt', message: 'must be in the future' }] });
    const branchId = await branchIdInScope(db, body.branchCode, scope, officer.branchId);
    const poll = await createPoll(db, { branchId, question: body.question, options: body.options, closesAt: body.closesAt, createdByOfficerId: officer.id });
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'poll.create', target: `poll:${poll.id}` });
    res.status(201).json(await pollView(db, poll, deps.clock.now()));
  });

  r.get('/polls', async (_req, res) => {
    const items = await listPollsInScope(db, adminLocals(res).scope.branchIds);
    const now = deps.clock.now();
    res.set('cache-control', 'no-store').json({ items: await pollViews(db, items, now) });
  });

  r.get('/polls/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    res.set('cache-control', 'no-store').json(await pollView(db, await inScope(id, adminLocals(res).scope.branchIds), deps.clock.now()));
  });

  r.post('/polls/:id/send', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const poll = await inScope(id, scope.branchIds);
    if (poll.closesAt <= deps.clock.now()) throw new AppError('POLL_CLOSED', 400, 'Cuộc bình chọn đã kết thúc / poll is closed');
    const out = await startPollBroadcast({ db, queue, logger: deps.logger }, poll, officer.id);
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'poll.send', target: `poll:${poll.id}`, details: out });
    res.status(202).json(out);
  });

  r.post('/polls/:id/close', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    await inScope(id, scope.branchIds);
    const now = deps.clock.now();
    const poll = await closePoll(db, id, now);
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'poll.close', target: `poll:${poll.id}` });
    res.json(await pollView(db, poll, now));
  });

  return r;
}
