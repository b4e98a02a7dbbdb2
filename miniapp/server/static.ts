/** Serves the built mini-app at /app (browser/demo use); explains how to build it when it is missing. */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export const MINIAPP_WWW = path.resolve(__dirname, '../www');

export function miniAppStatic(): Router {
  const r = Router();
  r.get('/app', (req, res, next) => (req.originalUrl === '/app' ? res.redirect(301, '/app/') : next()));
  r.use('/app', express.static(MINIAPP_WWW, { index: 'index.html', maxAge: '1h', setHeaders: (res, p) => p.endsWith('.html') && res.set('cache-control', 'no-cache') }));
  r.get('/app/', (_req, res) => {
    if (fs.existsSync(path.join(MINIAPP_WWW, 'index.html'))) return res.sendFile(path.join(MINIAPP_WWW, 'index.html'));
    res
      .status(503)
      .type('html')
      .send('<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><p style="font:16px system-ui;padding:24px">Mini-app đang được build, trang sẽ tự tải lại sau vài giây… (hoặc chạy <code>npm run build:miniapp</code>)</p>');
  });
  return r;
}
