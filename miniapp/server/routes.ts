/** Member API of the mini-app: /api/miniapp/*. A member reads only their own data. */
import express, { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../shared/db/client';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { AppError, conflict, forbidden, notFound, tooMany } from '../../shared/errors';
import { idParam, parseInput } from '../../shared/http/validate';
import type { QrKeys } from '../../shared/qr/tokens';
import { signMemberQr } from '../../shared/qr/tokens';
import type { ZaloClient } from '../../shared/zalo';
import { getMemberWithBranch, type Member } from '../../shared/db/queries/members';
import { getOfficerByMemberId } from '../../shared/db/queries/officers';
import { getBranchById, getSubtreeIdsCached } from '../../shared/db/queries/branches';
import { listVisibleAnnouncements } from '../../shared/db/queries/announcements';
import { countCheckins, getEventInScope, listEventsWithCounts } from '../../shared/db/queries/events';
import { linkByCodeAndDob, linkByVerifiedPhone, notifyMovedMember } from '../../shared/members/linking';
import { checkIn, checkInScannedCard, resolveEvent, scanIdSchema } from '../../shared/events/checkin';
import { miniAppLocals, requireMiniAppUser, VerifiedTokenCache } from './auth';
import { miniAppWelfareRoutes } from './welfare';

const linkBody = z.union([
  z.object({ memberCode: z.string().trim().min(1).max(50), dateOfBirth: z.string().trim().min(6).max(20) }),
  z.object({ phoneToken: z.string().trim().min(1).max(2000) }),
]);
const checkinBody = z.object({ eventToken: z.string().trim().min(1, 'eventToken is required').max(2000) });
const officerCheckinBody = z.object({ memberQr: z.string().trim().min(1).max(2000), scanId: scanIdSchema.optional() });

const NOT_LINKED = 'Tài khoản Zalo của bạn chưa liên kết với hồ sơ đoàn viên. Vào mục "Liên kết" và nhập mã đoàn viên + ngày sinh, hoặc chia sẻ số điện thoại.';
const LINKED_ELSEWHERE =
  'Hồ sơ đoàn viên này đã liên kết với một tài khoản Zalo khác. Nếu đó là bạn (ví dụ bạn đổi tài khoản Zalo), hãy xác minh bằng "Chia sẻ số điện thoại", hoặc liên hệ cán bộ công đoàn.';
const LINK_FAILED = 'Thông tin chưa khớp với hồ sơ đoàn viên. Bạn kiểm tra lại mã đoàn viên và ngày sinh, hoặc liên hệ cán bộ công đoàn.';

export interface MiniAppRouteDeps {
  db: Db;
  logger: Logger;
  zalo: ZaloClient;
  clock: Clock;
  qrKeys: QrKeys;
  cache?: VerifiedTokenCache;
}

async function memberView(db: Db, member: Member) {
  const row = (await getMemberWithBranch(db, member.id))!;
  const m = row.member;
  return { id: m.id, memberCode: m.memberCode, fullName: m.fullName, branch: { code: row.branch.code, name: row.branch.name }, status: m.status, joinedAt: m.joinedAt };
}

export function miniAppRoutes(deps: MiniAppRouteDeps): Router {
  const { db, clock } = deps;
  const r = Router();
  r.use(express.json({ limit: '64kb' }));
  r.use(requireMiniAppUser({ db, zalo: deps.zalo, cache: deps.cache ?? new VerifiedTokenCache(), now: () => clock.now() }));

  const needMember = (res: express.Response): Member => {
    const { member } = miniAppLocals(res);
    if (!member) throw new AppError('NOT_LINKED', 404, NOT_LINKED);
    return member;
  };

  r.get('/me', async (_req, res) => {
    const member = needMember(res);
    const officer = await getOfficerByMemberId(db, member.id);
    const branch = officer ? await getBranchById(db, officer.branchId) : undefined;
    res.json({
      member: await memberView(db, member),
      officer: officer ? { role: officer.role, branchCode: branch?.code, branchName: branch?.name } : null,
    });
  });

  r.post('/link', async (req, res) => {
    const body = parseInput(linkBody, req.body);
    const { zaloUser, zaloToken, member: current } = miniAppLocals(res);
    if (current) throw conflict('ALREADY_LINKED', `Tài khoản Zalo của bạn đã liên kết với đoàn viên ${current.fullName} (mã ${current.memberCode}).`);
    const ids = { zaloAppUserId: zaloUser.id, zaloUserId: zaloUser.userIdByOa ?? null };
    const rateKey = `app:${zaloUser.id}`;
    let result;
    if ('phoneToken' in body) {
      let phone: string;
      try {
        phone = await deps.zalo.exchangePhoneToken(zaloToken, body.phoneToken);
      } catch {
        throw new AppError('PHONE_TOKEN_INVALID', 400, 'Không lấy được số điện thoại từ Zalo (mã đã hết hạn). Bạn bấm chia sẻ lại nhé.');
      }
      result = await linkByVerifiedPhone(db, rateKey, ids, phone, clock.now());
      await notifyMovedMember(deps.zalo, deps.logger, result);
    } else {
      result = await linkByCodeAndDob(db, rateKey, ids, body.memberCode, body.dateOfBirth, clock.now());
    }
    if (!result.ok && result.reason === 'rate_limited') throw tooMany('Bạn đã thử quá nhiều lần, vui lòng thử lại sau 1 giờ.');
    if (!result.ok && result.reason === 'linked_elsewhere') throw conflict('LINKED_ELSEWHERE', LINKED_ELSEWHERE);
    if (!result.ok) throw new AppError('LINK_FAILED', 400, LINK_FAILED);
    res.json({ member: await memberView(db, result.member) });
  });

  r.get('/card', async (_req, res) => {
    const member = needMember(res);
    const view = await memberView(db, member);
    const qr = signMemberQr(deps.qrKeys, member.id, clock.now());
    res.set('cache-control', 'no-store');
    res.json({ ...view, qr: qr.token, qrExpiresAt: qr.expiresAt.toISOString() });
  });

  r.post('/checkins', async (req, res) => {
    const member = needMember(res);
    const { eventToken } = parseInput(checkinBody, req.body);
    const now = clock.now();
    const event = await resolveEvent(db, deps.qrKeys, eventToken, now);
    const out = await checkIn(db, { event, member, method: 'self', now });
    res.status(out.status === 'checked_in' ? 201 : 200).json({ status: out.status, at: out.at.toISOString(), event: { id: event.id, title: event.title } });
  });

  r.get('/announcements', async (_req, res) => {
    const { member } = miniAppLocals(res);
    const items = await listVisibleAnnouncements(db, member?.branchId ?? null, clock.now(), 20);
    res.json({ items: items.map((a) => ({ id: a.id, title: a.title, body: a.body, imageUrl: a.imageUrl, linkUrl: a.linkUrl, publishedAt: a.publishedAt })) });
  });

  r.use(miniAppWelfareRoutes({ db, clock, needMember }));

  // Officer pages of the mini-app: officers are members with an officer record.
  const needOfficer = async (res: express.Response) => {
    const member = needMember(res);
    const officer = await getOfficerByMemberId(db, member.id);
    if (!officer || officer.role === 'viewer') throw forbidden('Chỉ cán bộ công đoàn mới dùng được chức năng này.');
    return { officer, scope: [...(await getSubtreeIdsCached(db, officer.branchId))] };
  };

  r.get('/officer/events', async (_req, res) => {
    const { scope } = await needOfficer(res);
    const items = await listEventsWithCounts(db, scope, 50);
    res.json({ items: items.map(({ code: _c, branchId: _b, ...e }) => e) });
  });

  r.get('/officer/events/:id', async (req, res) => {
    const { scope } = await needOfficer(res);
    const { id } = parseInput(idParam, req.params);
    const event = await getEventInScope(db, id, scope);
    if (!event) throw notFound('EVENT_NOT_FOUND', 'Không tìm thấy sự kiện');
    res.json({ id: event.id, title: event.title, count: await countCheckins(db, event.id) });
  });

  r.post('/officer/events/:id/checkins', async (req, res) => {
    const { officer, scope } = await needOfficer(res);
    const { id } = parseInput(idParam, req.params);
    const { memberQr, scanId } = parseInput(officerCheckinBody, req.body);
    const event = await getEventInScope(db, id, scope);
    if (!event) throw notFound('EVENT_NOT_FOUND', 'Không tìm thấy sự kiện');
    const out = await checkInScannedCard(db, deps.qrKeys, { event, memberQr, byOfficerId: officer.id, now: clock.now(), scanId: scanId ? `${officer.id}:${scanId}` : null });
    res.status(out.status === 'checked_in' ? 201 : 200).json({ status: out.status, at: out.at.toISOString(), member: out.member });
  });

  return r;
}
