/**
 * Bull Board for operators at /admin/queues (BullMQ driver only), behind officer auth with role admin.
 * A browser cannot send a Bearer header for the board's pages and assets, so it accepts the console's
 * session cookie, or `?token=<API token>` checked once and kept in an HttpOnly cookie limited to this
 * path. With the in-process driver there is nothing to show: a short note says so.
 */
import { Router, type Request } from 'express';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import type { QueueDriver } from '../../../shared/queue';
import { AppError } from '../../../shared/errors';
import { getOfficerByToken } from '../../../shared/db/queries/officers';
import { requireOfficer, requireRole } from './auth';
import { readCookie, SAFE_METHODS, SESSION_COOKIE, sessionOf } from './session';

export const QUEUES_PATH = '/admin/queues';
const COOKIE = 'cd_queues';

/**
 * The board's own UI cannot echo the console's CSRF token, so its writes (retry, clean, pause, remove)
 * must come from a page of this origin. SameSite=Strict alone is not enough: a sibling subdomain is the
 * same "site" and its pages would send the cookie.
 */
export function isSameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

export function queueBoardRoutes(deps: { db: Db; queue: QueueDriver; clock: Clock }): Router {
  const { db, clock } = deps;
  const r = Router();

  // ?token=… → cookie, then the same URL without the token (so it leaves the address bar and history).
  r.use(async (req, res, next) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (!token) return next();
    const officer = await getOfficerByToken(db, token);
    if (!officer) return next();
    res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: QUEUES_PATH, maxAge: 8 * 3600_000 });
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.delete('token');
    res.redirect(303, url.pathname + url.search);
  });
  r.use(
    requireOfficer(db, async (req) => {
      const token = readCookie(req, COOKIE);
      const sessionId = readCookie(req, SESSION_COOKIE);
      if (!token && !sessionId) return undefined;
      if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req)) {
        throw new AppError('CROSS_ORIGIN', 403, 'Thao tác trên hàng đợi phải gửi từ chính trang Bull Board / queue actions must come from this origin');
      }
      const byToken = token ? await getOfficerByToken(db, token) : undefined;
      if (byToken) return byToken;
      return (await sessionOf(db, clock, req))?.officer;
    }),
  );
  r.use(requireRole('admin'));

  let board: Router | null = null;
  r.use(async (req, res, next) => {
    const bullQueues = deps.queue.bullQueues?.();
    if (!bullQueues) {
      res.json({
        driver: deps.queue.kind,
        message:
          'Hàng đợi đang chạy trong tiến trình (không có REDIS_URL) nên không có Bull Board; tiến độ gửi xem ở GET /api/admin/broadcasts/:id. / ' +
          'The in-process queue driver is in use (no REDIS_URL): Bull Board needs BullMQ. Broadcast progress: GET /api/admin/broadcasts/:id.',
      });
      return;
    }
    if (!board) {
      // Loaded on first use: the web role without Redis never pays for it.
      const { createBullBoard } = await import('@bull-board/api');
      const { BullMQAdapter } = await import('@bull-board/api/bullMQAdapter');
      const { ExpressAdapter } = await import('@bull-board/express');
      const serverAdapter = new ExpressAdapter();
      serverAdapter.setBasePath(QUEUES_PATH);
      // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1 next to our 9.10.2: same shape.
      type BoardAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];
      createBullBoard({ queues: bullQueues.map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as unknown as BoardAdapter });
      board = serverAdapter.getRouter() as Router;
    }
    board(req, res, next);
  });
  return r;
}
