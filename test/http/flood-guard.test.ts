/** The webhook's per-address flood guard: counts, refuses past the limit, and never blocks when its store fails. */
import crypto from 'node:crypto';
import IORedis from 'ioredis';
import type { IncomingMessage } from 'node:http';
import { clientAddress, createFloodGuard } from '../../shared/http/security';

const uniqueName = () => `t${crypto.randomBytes(3).toString('hex')}`;

describe('webhook flood guard', () => {
  it('refuses an address past the limit and counts each address apart', async () => {
    const guard = createFloodGuard({ name: uniqueName(), windowMs: 60_000, limit: 3 });
    const allowed: boolean[] = [];
    for (let i = 0; i < 5; i++) allowed.push(await guard('127.0.0.1'));
    expect(allowed).toEqual([true, true, true, false, false]);
    expect(await guard('203.0.113.7')).toBe(true);
    // IPv6 addresses count by their /56, as express-rate-limit keys them: a neighbour shares the count.
    const v6 = createFloodGuard({ name: uniqueName(), windowMs: 60_000, limit: 1 });
    expect(await v6('2001:db8:0:1::1')).toBe(true);
    expect(await v6('2001:db8:0:1::2')).toBe(false);
  });

  it('lets requests through and reports once when its Redis store fails', async () => {
    // Nothing listens on port 1: with no offline queue every command fails at once.
    const redis = new IORedis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    const reports: unknown[] = [];
    try {
      const guard = createFloodGuard({ name: 'down', windowMs: 60_000, limit: 1 }, redis, (err) => reports.push(err));
      const allowed: boolean[] = [];
      for (let i = 0; i < 4; i++) allowed.push(await guard('127.0.0.1'));
      expect(allowed).toEqual([true, true, true, true]);
      expect(reports).toHaveLength(1);
      // A reporter that throws holds no request either.
      const throwing = createFloodGuard({ name: 'down2', windowMs: 60_000, limit: 1 }, redis, () => {
        throw new Error('reporter failed');
      });
      expect(await throwing('127.0.0.1')).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});

describe('client address for the webhook (served before Express)', () => {
  const req = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, connection: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

  it('believes X-Forwarded-For only from a loopback proxy, as the app’s trust proxy setting does', () => {
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(req('::1', '198.51.100.2, 203.0.113.7'))).toBe('203.0.113.7');
    // A client on the internet cannot pick its own address (and so its own flood counter).
    expect(clientAddress(req('203.0.113.9', '1.2.3.4'))).toBe('203.0.113.9');
    expect(clientAddress(req('203.0.113.9'))).toBe('203.0.113.9');
  });
});
