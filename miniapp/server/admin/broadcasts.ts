/**
 * Officer API for broadcasts: create (segment inside the officer's subtree), send now or on schedule,
 * send a test to oneself, cancel, retry the failed ones, watch progress and the per-recipient ledger.
 * Sending snapshots the recipients here and enqueues delivery ids; workers do the sending.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/logger';
import type { QueueDriver } from '../../../shared/queue';
import { describeZaloFailure, type ZaloClient } from '../../../shared/zalo';
import { AppError, badRequest, conflict, notFound } from '../../../shared/errors';
import { idParam, parseInput, rowId } from '../../../shared/http/validate';
import { writeAudit } from '../../../shared/db/queries/audit';
import { getAnnouncementInScope } from '../../../shared/db/queries/announcements';
import { getMemberById } from '../../../shared/db/queries/members';
import {
  broadcastProgress,
  cancelBroadcast,
  countSegment,
  createBroadcast,
  findBranchCodesOutside,
  findMemberCodesOutside,
  getBroadcastInScope,
  listBroadcasts,
  listDeliveries,
  recentSends,
  requeueFailedDeliveries,
  type Broadcast,
} from '../../../shared/db/queries/broadcasts';
import { broadcastStatuses, deliveryStatuses, type BroadcastMessage } from '../../../shared/db/schema';
import { broadcastQueue, enqueueDeliveries, inBackground, removeQueuedJobs, startInBackground } from '../../../shared/broadcast/dispatch';
import { buildBroadcastMessage, findUnknownPlaceholders, PLACEHOLDERS } from '../../../shared/broadcast/message';
import { TEXT_MAX } from '../../../shared/zalo';
import { adminLocals, requireRole } from './auth';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1000);
const code = z.string().trim().min(1).max(64);
const TITLE_MAX = 100;

const segmentSchema = z.strictObject({
  branchCodes: z.array(code).max(200).optional(),
  memberCodes: z.array(code).max(10_000).optional(),
  linkedOnly: z.boolean().optional(),
});

const createBody = z.object({
  title: z.string().trim().min(1, 'title is required').max(TITLE_MAX).optional(),
  text: z.string().trim().min(1, 'text is required').max(TEXT_MAX).optional(),
  imageUrl: httpUrl.optional(),
  linkUrl: httpUrl.optional(),
  segment: segmentSchema.default({}),
  scheduledAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2026-12-01T08:00:00+07:00' }).optional(),
  /** Take title, text, image and link from this announcement unless given here. */
  announcementId: rowId.optional(),
});

const listQuery = z.object({
  status: z.enum(broadcastStatuses).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const deliveriesQuery = z.object({
  status: z.enum(deliveryStatuses).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

const NOT_FOUND = () => notFound('BROADCAST_NOT_FOUND', 'Không tìm thấy đợt gửi / broadcast not found');
const ALLOWED = PLACEHOLDERS.map((p) => `{${p}}`).join(', ');

/** A 400 in the same shape as zod's, for checks zod cannot do alone (database, merged announcement). */
function fieldErrors(fields: { path: string; message: string }[]): AppError {
  const detail = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return badRequest('VALIDATION_ERROR', `Dữ liệu không hợp lệ / validation failed: ${detail}`, { fields });
}
const fieldError = (path: string, message: string) => fieldErrors([{ path, message }]);

function listSome(items: string[], max = 10): string {
  return items.slice(0, max).join(', ') + (items.length > max ? ` … (+${items.length - max})` : '');
}

function view(b: Broadcast) {
  return {
    id: b.id,
    status: b.status,
    title: b.message.title,
    text: b.message.text,
    imageUrl: b.message.imageUrl ?? null,
    linkUrl: b.message.linkUrl ?? null,
    segment: b.segment,
    announcementId: b.announcementId,
    branchId: b.branchId,
    scheduledAt: b.scheduledAt,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    createdAt: b.createdAt,
    createdByOfficerId: b.createdByOfficerId,
    total: b.total,
  };
}

export function broadcastRoutes(deps: { db: Db; queue: QueueDriver; zalo: ZaloClient; logger: Logger; clock: Clock; rate: number }): Router {
  const { db, zalo, logger, clock } = deps;
  const queue = broadcastQueue(deps.queue);
  const r = Router();

  async function progress(b: Broadcast) {
    const p = (await broadcastProgress(db, [b.id])).get(b.id);
    if (!p) throw NOT_FOUND();
    let ratePerSec = 0;
    let etaSec: number | null = b.status === 'done' || b.status === 'cancelled' ? 0 : null;
    if (b.status === 'sending') {
      const recent = await recentSends(db, b.id, 10);
      ratePerSec = Math.round((recent.n / recent.spanSec) * 10) / 10;
      etaSec = ratePerSec > 0 ? Math.ceil(p.pending / ratePerSec) : null;
    }
    return {
      ...view(b),
      total: p.total,
      sent: p.sent,
      failed: p.failed,
      pending: p.pending,
      inFlight: p.inFlight,
      skipped: p.skipped,
      ratePerSec,
      etaSec,
      rateLimit: deps.rate,
    };
  }

  async function loadInScope(id: number, scopeIds: number[]) {
    const b = await getBroadcastInScope(db, id, scopeIds);
    if (!b) throw NOT_FOUND();
    return b;
  }

  r.get('/broadcasts', async (req, res) => {
    const q = parseInput(listQuery, req.query);
    const { items, total } = await listBroadcasts(db, adminLocals(res).scope.branchIds, {
      status: q.status,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    res.json({ items: items.map(view), total, page: q.page, pageSize: q.pageSize });
  });

  r.post('/broadcasts', requireRole('officer'), async (req, res) => {
    const body = parseInput(createBody, req.body);
    const { officer, scope } = adminLocals(res);

    const announcement = body.announcementId ? await getAnnouncementInScope(db, body.announcementId, scope) : undefined;
    if (body.announcementId && !announcement) throw notFound('ANNOUNCEMENT_NOT_FOUND', 'Không tìm thấy thông báo / announcement not found');
    const message: BroadcastMessage = {
      title: body.title ?? announcement?.title ?? '',
      text: body.text ?? announcement?.body ?? '',
    };
    const imageUrl = body.imageUrl ?? announcement?.imageUrl;
    const linkUrl = body.linkUrl ?? announcement?.linkUrl;
    if (imageUrl) message.imageUrl = imageUrl;
    if (linkUrl) message.linkUrl = linkUrl;
    const problems: { path: string; message: string }[] = [];
    const limits = { title: TITLE_MAX, text: TEXT_MAX };
    for (const field of ['title', 'text'] as const) {
      const value = message[field];
      if (!value) problems.push({ path: field, message: `${field} is required` });
      else if (value.length > limits[field]) problems.push({ path: field, message: `at most ${limits[field]} characters` });
      const unknown = findUnknownPlaceholders(value);
      if (unknown.length) {
        problems.push({ path: field, message: `không hỗ trợ ${unknown.join(', ')}; chỉ dùng được ${ALLOWED} / unknown placeholder ${unknown.join(', ')}` });
      }
    }
    const scheduledAt = body.scheduledAt ? new Date(body.scheduledAt) : null;
    if (scheduledAt && scheduledAt.getTime() < clock.now().getTime() - 60_000) {
      problems.push({ path: 'scheduledAt', message: 'must be in the future' });
    }
    const segment = body.segment;
    const badBranches = await findBranchCodesOutside(db, segment.branchCodes ?? [], scope.branchIds);
    if (badBranches.length) {
      problems.push({ path: 'segment.branchCodes', message: `không có đơn vị trong phạm vi của bạn / unknown branch: ${listSome(badBranches)}` });
    }
    const badMembers = await findMemberCodesOutside(db, segment.memberCodes ?? [], scope.branchIds);
    if (badMembers.length) {
      problems.push({ path: 'segment.memberCodes', message: `không có đoàn viên trong phạm vi của bạn / unknown member: ${listSome(badMembers)}` });
    }
    if (problems.length) throw fieldErrors(problems);
    try {
      buildBroadcastMessage(message, { fullName: 'Nguyễn Văn A', memberCode: 'DV00001' });
    } catch (err) {
      throw fieldError('text', (err as Error).message);
    }

    const total = await countSegment(db, officer.branchId, segment);
    const b = await createBroadcast(db, {
      branchId: officer.branchId,
      segment,
      message,
      scheduledAt,
      announcementId: announcement?.id ?? null,
      createdByOfficerId: officer.id,
      total,
    });
    await writeAudit(db, {
      officerId: officer.id,
      actor: `officer:${officer.id}`,
      action: 'broadcast.create',
      target: `broadcast:${b.id}`,
      details: { total, scheduledAt: scheduledAt?.toISOString() ?? null },
    });
    res.status(201).json(view(b));
  });

  r.get('/broadcasts/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    res.json(await progress(await loadInScope(id, adminLocals(res).scope.branchIds)));
  });

  r.get('/broadcasts/:id/deliveries', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const q = parseInput(deliveriesQuery, req.query);
    await loadInScope(id, adminLocals(res).scope.branchIds);
    const { items, total } = await listDeliveries(db, id, { status: q.status, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
    res.json({ items, total, page: q.page, pageSize: q.pageSize });
  });

  r.post('/broadcasts/:id/send', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const b = await loadInScope(id, scope.branchIds);
    const started = b.status === 'draft' || b.status === 'scheduled' ? await startInBackground({ db, queue, logger }, id) : null;
    if (!started) throw conflict('BROADCAST_ALREADY_STARTED', `Đợt gửi đang ở trạng thái "${b.status}", không gửi lại được / broadcast is ${b.status}`);
    await writeAudit(db, {
      officerId: officer.id,
      actor: `officer:${officer.id}`,
      action: 'broadcast.send',
      target: `broadcast:${id}`,
      details: { total: started.total, pending: started.pending },
    });
    res.status(202).json({ ...view(started.broadcast), total: started.total, pending: started.pending });
  });

  r.post('/broadcasts/:id/test', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    parseInput(z.object({}), req.body ?? {});
    const { officer, scope } = adminLocals(res);
    const b = await loadInScope(id, scope.branchIds);
    if (!officer.zaloUserId) {
      throw badRequest(
        'OFFICER_NO_ZALO',
        'Tài khoản cán bộ của bạn chưa gắn Zalo nên chưa gửi thử được; hãy nhờ quản trị viên cập nhật Zalo ID cho tài khoản / your officer account has no Zalo id to send a test to',
      );
    }
    const member = officer.memberId ? await getMemberById(db, officer.memberId) : undefined;
    const message = buildBroadcastMessage(b.message, {
      fullName: member?.fullName ?? officer.name,
      memberCode: member?.memberCode ?? '(mã đoàn viên)',
    });
    try {
      const sent = await zalo.sendMessage('promotion', officer.zaloUserId, message);
      await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'broadcast.test', target: `broadcast:${id}` });
      res.json({ ok: true, messageId: sent.messageId });
    } catch (err) {
      const info = describeZaloFailure(err);
      throw new AppError('ZALO_SEND_FAILED', 502, `Gửi thử thất bại: ${info.reason}${info.code !== null ? ` (mã ${info.code})` : ''}`, {
        zaloCode: info.code,
      });
    }
  });

  r.post('/broadcasts/:id/cancel', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const b = await loadInScope(id, scope.branchIds);
    const result = await cancelBroadcast(db, id);
    if (!result.cancelled) throw conflict('BROADCAST_NOT_CANCELLABLE', `Đợt gửi đã "${b.status}", không hủy được / broadcast is ${b.status}`);
    await writeAudit(db, {
      officerId: officer.id,
      actor: `officer:${officer.id}`,
      action: 'broadcast.cancel',
      target: `broadcast:${id}`,
      details: { skipped: result.skipped },
    });
    // Workers would find these rows skipped anyway; removing the jobs just saves them the trip.
    if (result.skipped > 0) inBackground(logger, 'job removal', { broadcastId: id }, () => removeQueuedJobs(db, queue, id, 'skipped'));
    res.json(await progress((await getBroadcastInScope(db, id, scope.branchIds))!));
  });

  r.post('/broadcasts/:id/retry-failed', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const b = await loadInScope(id, scope.branchIds);
    if (b.status !== 'done' && b.status !== 'sending') {
      throw conflict('BROADCAST_NOT_RETRYABLE', `Đợt gửi đang "${b.status}", không gửi lại được / broadcast is ${b.status}`);
    }
    const retried = await requeueFailedDeliveries(db, id);
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'broadcast.retry_failed', target: `broadcast:${id}`, details: { retried } });
    if (retried > 0) inBackground(logger, 'enqueue', { broadcastId: id }, () => enqueueDeliveries(db, queue, id));
    res.status(202).json({ id, retried, status: retried > 0 ? 'sending' : b.status });
  });

  return r;
}
