/** The webhook's per-address flood guard: counts, refuses past the limit, and never blocks when its store fails. */
import crypto from 'node:crypto';
import express from 'express';
import request from 'supertest';
import IORedis from 'ioredis';
import { createFloodGuard } from '../../shared/http/security';

function appWith(guard: express.RequestHandler) {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.post('/hook', guard, (_req, res) => void res.json({ ok: true }));
  return app;
}

describe('webhook flood guard', () => {
  it('answers 429 with the Vietnamese error past the limit, per address', async () => {
    const app = appWith(createFloodGuard({ name: `t${crypto.randomBytes(3).toString('hex')}`, windowMs: 60_000, limit: 3 }));
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await request(app).post('/hook')).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const refused = await request(app).post('/hook');
    expect(refused.body.error).toEqual({ code: 'RATE_LIMITED', message: expect.stringContaining('Quá nhiều yêu cầu') });
    // Another address (behind the trusted local proxy) has its own count.
    expect((await request(app).post('/hook').set('x-forwarded-for', '203.0.113.7')).status).toBe(200);
  });

  it('lets requests through and reports once when its Redis store fails', async () => {
    // Nothing listens on port 1: with no offline queue every command fails at once.
    const redis = new IORedis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    const reports: unknown[] = [];
    try {
      const app = appWith(createFloodGuard({ name: 'down', windowMs: 60_000, limit: 1 }, redis, (err) => reports.push(err)));
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await request(app).post('/hook')).status);
      expect(codes).toEqual([200, 200, 200, 200]);
      expect(reports).toHaveLength(1);
      // A reporter that throws holds no request either.
      const throwing = appWith(createFloodGuard({ name: 'down2', windowMs: 60_000, limit: 1 }, redis, () => {
        throw new Error('reporter failed');
      }));
      expect((await request(throwing).post('/hook')).status).toBe(200);
    } finally {
      redis.disconnect();
    }
  });
});
