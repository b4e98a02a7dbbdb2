/**
 * Console sign-in: phone → one-time code sent as an OA message → session cookie (id stored hashed in
 * officer_sessions) + CSRF token (double-submit via `x-csrf-token` on every non-GET cookie request).
 * Demo mode adds one-click sign-in as any seeded officer. Mounted on /api/admin before requireOfficer.
 */
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/logger';
import type { ZaloClient } from '../../../shared/zalo';
import { AppError, notFound, tooMany, unauthorized } from '../../../shared/errors';
import { parseInput, rowId } from '../../../shared/http/validate';
import { normalizeVietnamesePhone } from '../../../shared/phone';
import { hashToken, type Officer } from '../../../shared/db/queries/officers';
import { getBranchById } from '../../../shared/db/queries/branches';
import { writeAudit } from '../../../shared/db/queries/audit';
import {
  countAttempts,
  createOfficerSession,
  deleteOfficerSession,
  deleteOtp,
  getLiveSession,
  getOfficerById,
  getOfficersByPhone,
  getOtp,
  listOfficersWithBranch,
  putOtp,
  recordAttempt,
} from '../../../shared/db/queries/officer-sessions';
import { adminLocals, requireOfficer, type SessionResolver } from './auth';

export const SESSION_COOKIE = 'cd_admin_session';
export const SESSION_TTL_MS = 12 * 3600_000;
export const OTP_TTL_MS = 5 * 60_000;
const WINDOW_MS = 15 * 60_000;
/** Codes sent per phone / per IP, and wrong codes per phone / per IP, within WINDOW_MS. */
export const LIMITS = { sendPerPhone: 3, sendPerIp: 20, failPerPhone: 5, failPerIp: 30 };

/** Methods that change nothing: no CSRF token (or same-origin proof) needed. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const phoneBody = z.object({ phone: z.string().trim().min(6, 'phone is required').max(20) });
const verifyBody = z.object({ phone: z.string().trim().min(6).max(20), code: z.string().trim().regex(/^\d{6}$/, 'code: 6 digits') });
const demoBody = z.object({ officerId: rowId });

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Resolves the console cookie to its officer; a state-changing request must echo the CSRF token. */
/** The live console session named by the request's cookie, if any (no CSRF check: see sessionResolver). */
export async function sessionOf(db: Db, clock: Clock, req: Request) {
  const id = readCookie(req, SESSION_COOKIE);
  return id ? getLiveSession(db, hashToken(id), clock.now()) : undefined;
}

export function sessionResolver(db: Db, clock: Clock): SessionResolver {
  return async (req) => {
    const live = await sessionOf(db, clock, req);
    if (!live) return undefined;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token') ?? '';
      if (!sent || !safeEqual(sent, live.session.csrfToken)) throw new AppError('CSRF_INVALID', 403, 'Thiếu hoặc sai mã chống giả mạo (CSRF) / missing or bad CSRF token');
    }
    return live.officer;
  };
}

async function officerView(db: Db, o: Officer) {
  const branch = await getBranchById(db, o.branchId);
  return {
    id: o.id,
    name: o.name,
    role: o.role,
    branch: branch ? { id: branch.id, code: branch.code, name: branch.name, isRoot: branch.parentId == null } : null,
    hasZalo: Boolean(o.zaloUserId),
  };
}

export function sessionRoutes(deps: { db: Db; zalo: ZaloClient; clock: Clock; logger: Logger; demoMode: boolean; secureCookies: boolean }): Router {
  const { db, clock, logger } = deps;
  const r = Router();
  const resolve = sessionResolver(db, clock);
  const authed = requireOfficer(db, resolve);
  const ipOf = (req: Request) => req.ip ?? 'unknown';

  async function startSession(req: Request, res: Response, officer: Officer, how: string) {
    const id = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + SESSION_TTL_MS);
    await createOfficerSession(db, { idHash: hashToken(id), officerId: officer.id, csrfToken, expiresAt });
    res.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies || req.secure,
      path: '/',
      expires: expiresAt,
    });
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'auth.sign_in', target: `officer:${officer.id}`, details: { how } });
    res.json({ officer: await officerView(db, officer), csrfToken, expiresAt: expiresAt.toISOString() });
  }

  const generic = { ok: true, message: 'Nếu số điện thoại thuộc một cán bộ đã gắn Zalo, mã đăng nhập đã được gửi qua Zalo OA (hiệu lực 5 phút).' };

  r.post('/auth/otp', async (req, res) => {
    const { phone: raw } = parseInput(phoneBody, req.body);
    const phone = normalizeVietnamesePhone(raw);
    const since = new Date(clock.now().getTime() - WINDOW_MS);
    const ipKey = `admin-otp-ip:${ipOf(req)}`;
    const phoneKey = `admin-otp-phone:${sha(phone ?? raw)}`;
    if ((await countAttempts(db, ipKey, since)) >= LIMITS.sendPerIp || (await countAttempts(db, phoneKey, since)) >= LIMITS.sendPerPhone) throw tooMany();
    await recordAttempt(db, ipKey);
    await recordAttempt(db, phoneKey);
    const officer = phone ? (await getOfficersByPhone(db, phone)).find((o) => o.zaloUserId) : undefined;
    if (officer?.zaloUserId && phone) {
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
      await putOtp(db, sha(phone), { codeHash: sha(`${phone}:${code}`), officerId: officer.id, expiresAt: clock.now().getTime() + OTP_TTL_MS });
      try {
        await deps.zalo.sendText(officer.zaloUserId, `Mã đăng nhập bảng điều khiển cán bộ Công đoàn: ${code}\nMã có hiệu lực 5 phút. Không chia sẻ mã này với bất kỳ ai.`, 'cs');
      } catch (err) {
        logger.warn({ officerId: officer.id, err: (err as Error).message }, 'console sign-in code not delivered');
      }
    }
    res.json(generic);
  });

  r.post('/auth/verify', async (req, res) => {
    const body = parseInput(verifyBody, req.body);
    const phone = normalizeVietnamesePhone(body.phone) ?? body.phone;
    const since = new Date(clock.now().getTime() - WINDOW_MS);
    const ipKey = `admin-verify-ip:${ipOf(req)}`;
    const phoneKey = `admin-verify-phone:${sha(phone)}`;
    if ((await countAttempts(db, ipKey, since)) >= LIMITS.failPerIp || (await countAttempts(db, phoneKey, since)) >= LIMITS.failPerPhone) throw tooMany();
    const otp = await getOtp(db, sha(phone));
    const ok = otp && otp.expiresAt > clock.now().getTime() && safeEqual(otp.codeHash, sha(`${phone}:${body.code}`));
    if (!ok || !otp) {
      await recordAttempt(db, ipKey);
      await recordAttempt(db, phoneKey);
      throw new AppError('OTP_INVALID', 401, 'Mã không đúng hoặc đã hết hạn / wrong or expired code');
    }
    await deleteOtp(db, sha(phone));
    const officer = await getOfficerById(db, otp.officerId);
    if (!officer) throw unauthorized();
    await startSession(req, res, officer, 'otp');
  });

  r.post('/auth/logout', async (req, res) => {
    const id = readCookie(req, SESSION_COOKIE);
    if (id) {
      // Logging out needs the CSRF token too, else any site could sign the officer out.
      await resolve(req);
      await deleteOfficerSession(db, hashToken(id));
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  r.get('/auth/me', authed, async (req, res) => {
    const { officer, scope } = adminLocals(res);
    const id = readCookie(req, SESSION_COOKIE);
    const live = id && !req.get('authorization') ? await getLiveSession(db, hashToken(id), clock.now()) : undefined;
    res.json({
      officer: await officerView(db, officer),
      role: officer.role,
      scope: { branchIds: scope.branchIds, includesRoot: scope.includesRoot },
      csrfToken: live ? live.session.csrfToken : null,
      expiresAt: live ? live.session.expiresAt.toISOString() : null,
      demoMode: deps.demoMode,
    });
  });

  r.get('/auth/demo-officers', async (_req, res) => {
    if (!deps.demoMode) throw notFound();
    res.json({ items: await listOfficersWithBranch(db) });
  });

  r.post('/auth/demo', async (req, res) => {
    if (!deps.demoMode) throw notFound();
    const { officerId } = parseInput(demoBody, req.body);
    const officer = await getOfficerById(db, officerId);
    if (!officer) throw notFound('OFFICER_NOT_FOUND', 'Không tìm thấy cán bộ');
    await startSession(req, res, officer, 'demo');
  });

  return r;
}
