/** Serves the built officer console at /admin (SPA: unknown paths get index.html); explains how to build it when missing. */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export const ADMIN_DIST = path.resolve(__dirname, '../admin-dist');
export const ADMIN_SRC = path.resolve(__dirname, '../admin');

export function adminStatic(): Router {
  const r = Router();
  const index = path.join(ADMIN_DIST, 'index.html');
  r.get('/admin', (req, res, next) => (req.originalUrl === '/admin' ? res.redirect(301, '/admin/') : next()));
  r.use(
    '/admin/assets',
    express.static(path.join(ADMIN_DIST, 'assets'), { maxAge: '365d', immutable: true, fallthrough: false }),
  );
  r.get(/^\/admin\/(?!api\/|queues(?:\/|$)).*/, (_req, res) => {
    res.set('cache-control', 'no-cache');
    if (fs.existsSync(index)) return res.sendFile(index);
    res
      .status(503)
      .type('html')
      .send('<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><p style="font:16px system-ui;padding:24px">Bảng điều khiển cán bộ đang được build, trang sẽ tự tải lại sau vài giây… (hoặc chạy <code>npm run build:admin</code>)</p>');
  });
  return r;
}
