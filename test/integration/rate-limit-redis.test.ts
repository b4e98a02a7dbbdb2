/** Rate limits with Redis counters: still enforced when the web process started before Redis answered. */
import crypto from 'node:crypto';
import express from 'express';
import request from 'supertest';
import IORedis from 'ioredis';
import { createFloodGuard, createRateLimiter } from '../../shared/http/security';
import { describeIfRedis, TEST_REDIS_URL } from '../helpers/tier';

describeIfRedis('rate limits on Redis', () => {
  it('limits requests even when Redis was not connected yet as the limiter was created', async () => {
    // Like bot/runtime.ts: no offline queue, so commands sent before the connection fail at once.
    const redis = new IORedis(TEST_REDIS_URL!, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 2 });
    redis.on('error', () => {});
    try {
      const name = `t${crypto.randomBytes(4).toString('hex')}`;
      const app = express();
      app.use(createRateLimiter({ name, windowMs: 60_000, limit: 3 }, redis));
      app.get('/', (_req, res) => void res.send('ok'));
      // The store's SCRIPT LOAD went out before any connection and failed; that command started one.
      expect(redis.status).not.toBe('ready');
      await new Promise((r) => redis.once('ready', r));
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await request(app).get('/')).status);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      // The counter lives in Redis (shared by every web process).
      expect(await redis.keys(`congdoan:rl:${name}:*`)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });

  it('counts the webhook flood guard in Redis, shared by every web process', async () => {
    const redis = new IORedis(TEST_REDIS_URL!, { maxRetriesPerRequest: 2 });
    try {
      const name = `t${crypto.randomBytes(4).toString('hex')}`;
      // Two web processes: two guards, one counter.
      const guards = [0, 1].map(() => createFloodGuard({ name, windowMs: 60_000, limit: 3 }, redis));
      const allowed: boolean[] = [];
      for (let i = 0; i < 5; i++) allowed.push(await guards[i % 2]('203.0.113.9'));
      expect(allowed).toEqual([true, true, true, false, false]);
      expect(await redis.keys(`congdoan:rl:${name}:*`)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });
});
