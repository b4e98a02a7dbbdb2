/**
 * Bull Board for operators at /admin/queues (BullMQ driver only), behind officer auth with role admin.
 * A browser cannot send a Bearer header for the board's pages and assets, so `?token=<API token>`
 * is checked once and kept in an HttpOnly cookie limited to this path. With the in-process driver
 * there is nothing to show: a short note says so.
 */
import { Router, type Request } from 'express';
import type { Db } from '../../../shared/db/client';
import type { QueueDriver } from '../../../shared/queue';
import { getOfficerByToken } from '../../../shared/db/queries/officers';
import { requireOfficer, requireRole } from './auth';

export const QUEUES_PATH = '/admin/queues';
const COOKIE = 'cd_queues';

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function queueBoardRoutes(deps: { db: Db; queue: QueueDriver }): Router {
  const { db } = deps;
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
      return token ? getOfficerByToken(db, token) : undefined;
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
