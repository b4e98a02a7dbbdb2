/**
 * Send-time pacing for broadcasts: each send reserves the next slot of a global schedule spaced
 * 1/rate apart (GCRA: one "theoretical arrival time" moved forward per send) and waits for it.
 *
 * Why on top of the queue limiter: the limiter admits jobs at `rate`, but a job reaches Zalo only
 * after its claim query and any event-loop or database hiccup, so admitted jobs can arrive at Zalo
 * bunched (a slow patch, then a catch-up burst) above the rate. Pacing right before the HTTP call
 * keeps what Zalo sees at the rate. With BullMQ the schedule lives in Redis (one key next to the
 * queue's, one Lua call per send), so every process shares it; the in-process driver paces locally.
 * A Redis failure never blocks sending: that call falls back to local pacing (the limiter still holds).
 */
import IORedis, { type Redis } from 'ioredis';
import type { Logger } from '../../shared/logger';

export interface Pacer {
  /** Resolves when this send may go. */
  wait(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createLocalPacer(rate: number): Pacer {
  const interval = 1000 / rate;
  let tat = 0;
  return {
    async wait() {
      const now = performance.now();
      const slot = Math.max(tat, now);
      tat = slot + interval;
      if (slot - now >= 1) await sleep(slot - now);
    },
    async close() {},
  };
}

/** Reserves the next slot; returns how many ms to wait for it. Redis time, so process clocks do not matter. */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', 60000)
return tostring(tat - now)
`;

export function createRedisPacer(opts: { redisUrl: string; key: string; rate: number; logger: Logger }): Pacer {
  const interval = 1000 / opts.rate;
  const fallback = createLocalPacer(opts.rate);
  const redis: Redis = new IORedis(opts.redisUrl, { maxRetriesPerRequest: 1, enableReadyCheck: true, lazyConnect: false });
  let lastWarn = 0;
  redis.on('error', () => {});
  return {
    async wait() {
      let waitMs: number;
      try {
        waitMs = Number(await redis.eval(RESERVE, 1, opts.key, String(interval)));
      } catch (err) {
        if (Date.now() - lastWarn > 10_000) {
          lastWarn = Date.now();
          opts.logger.warn({ err: (err as Error).message }, 'broadcast pacer: Redis unavailable, pacing locally');
        }
        return fallback.wait();
      }
      if (waitMs >= 1) await sleep(waitMs);
    },
    async close() {
      redis.disconnect();
    },
  };
}
