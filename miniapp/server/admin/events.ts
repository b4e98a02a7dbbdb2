/** Officer API for events: create (with its QR token and short code), live count, officer check-in, attendance list/export. */
import { Router } from 'express';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import { notFound } from '../../../shared/errors';
import { idParam, parseInput } from '../../../shared/http/validate';
import { signEventQr, type QrKeys } from '../../../shared/qr/tokens';
import { checkinsForExport, countCheckins, createEvent, getEvent, getEventInScope, listCheckins, listEventsWithCounts, type Event } from '../../../shared/db/queries/events';
import { checkInScannedCard, newEventCode, scanIdSchema } from '../../../shared/events/checkin';
import { writeAudit } from '../../../shared/db/queries/audit';
import { mapPages, streamTable } from '../../../shared/export/table';
import { ttlCache } from '../../../shared/ttl-cache';
import { adminLocals, branchIdInScope, requireRole } from './auth';

const createBody = z
  .object({
    title: z.string().trim().min(3).max(200),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date().optional(),
    location: z.string().trim().max(300).optional(),
    branchCode: z.string().trim().max(50).optional(),
  })
  .refine((b) => !b.endsAt || b.endsAt > b.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
const checkinBody = z.object({ memberQr: z.string().trim().min(1, 'memberQr is required').max(2000), scanId: scanIdSchema.optional() });
const exportQuery = z.object({ format: z.enum(['json', 'csv', 'xlsx']).default('json') });

const DEFAULT_DURATION_MS = 4 * 3600_000;

export function eventRoutes(deps: { db: Db; clock: Clock; qrKeys: QrKeys }): Router {
  const { db } = deps;
  const r = Router();
  const tokenFor = (e: Event) => signEventQr(deps.qrKeys, e.id, e.endsAt);
  const inScope = async (id: number, branchIds: number[]) => {
    const e = await getEventInScope(db, id, branchIds);
    if (!e) throw notFound('EVENT_NOT_FOUND', 'Không tìm thấy sự kiện / event not found');
    return e;
  };
  // Events are never edited after creation, so a scanner's burst reads each one once per half minute.
  const eventById = ttlCache(30_000, (id: number) => getEvent(db, id));
  const checkinEvent = async (id: number, branchIds: number[]) => {
    const e = await eventById(id);
    return e && branchIds.includes(e.branchId) ? e : inScope(id, branchIds);
  };

  r.post('/events', requireRole('officer'), async (req, res) => {
    const body = parseInput(createBody, req.body);
    const { officer, scope } = adminLocals(res);
    const branchId = await branchIdInScope(db, body.branchCode, scope, officer.branchId);
    const endsAt = body.endsAt ?? new Date(body.startsAt.getTime() + DEFAULT_DURATION_MS);
    let event: Event | undefined;
    for (let i = 0; !event; i++) {
      try {
        event = await createEvent(db, { branchId, title: body.title, startsAt: body.startsAt, endsAt, location: body.location ?? null, code: newEventCode(), createdByOfficerId: officer.id });
      } catch (err) {
        if (i >= 3) throw err; // code collision: try another code
      }
    }
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'event.create', target: `event:${event.id}` });
    res.status(201).json({ id: event.id, title: event.title, code: event.code, startsAt: event.startsAt, endsAt: event.endsAt, eventToken: tokenFor(event) });
  });

  r.get('/events', async (_req, res) => {
    res.json({ items: await listEventsWithCounts(db, adminLocals(res).scope.branchIds) });
  });

  r.get('/events/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const e = await inScope(id, adminLocals(res).scope.branchIds);
    const eventToken = tokenFor(e);
    res.json({
      ...e,
      eventToken,
      qrImage: await QRCode.toDataURL(eventToken, { margin: 1, width: 512 }),
      count: await countCheckins(db, e.id),
    });
  });

  r.post('/events/:id/checkins', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { memberQr, scanId } = parseInput(checkinBody, req.body);
    const { officer, scope } = adminLocals(res);
    const event = await checkinEvent(id, scope.branchIds);
    const out = await checkInScannedCard(db, deps.qrKeys, { event, memberQr, byOfficerId: officer.id, now: deps.clock.now(), scanId: scanId ? `${officer.id}:${scanId}` : null });
    res.status(out.status === 'checked_in' ? 201 : 200).json({ status: out.status, at: out.at.toISOString(), member: out.member });
  });

  r.get('/events/:id/checkins', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { format } = parseInput(exportQuery, req.query);
    const e = await inScope(id, adminLocals(res).scope.branchIds);
    if (format === 'json') {
      const items = await listCheckins(db, e.id);
      return void res.json({ items, total: await countCheckins(db, e.id) });
    }
    const pages = mapPages(checkinsForExport(db, e.id), (i) => ({
      ...i,
      at: i.at.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }),
      method: i.method === 'self' ? 'Tự quét' : 'Cán bộ quét',
    }));
    await streamTable(
      res,
      format,
      `diem-danh-su-kien-${e.id}`,
      {
        sheet: 'Điểm danh',
        columns: [
          { header: 'Mã đoàn viên', key: 'memberCode', width: 16 },
          { header: 'Họ và tên', key: 'fullName', width: 28 },
          { header: 'Đơn vị', key: 'branch', width: 36 },
          { header: 'Thời gian', key: 'at', width: 22 },
          { header: 'Cách điểm danh', key: 'method', width: 16 },
        ],
      },
      pages,
    );
  });

  return r;
}
