/**
 * Send-time pacing for broadcasts: each send reserves the next slot of a global schedule spaced
 * 1/rate apart (GCRA: one "theoretical arrival time" moved forward per send) and waits for it.
 *
 * Why on top of the queue limiter: the limiter admits jobs per fixed window, and a job reaches Zalo
 * only after its claim query and any event-loop or database hiccup, so admitted jobs can arrive at
 * Zalo bunched (a slow patch, then a catch-up burst) above the rate. Pacing right before the HTTP
 * call keeps what Zalo sees at the rate; the limiter (a little above the rate) bounds the work in
 * flight. With BullMQ the schedule lives in Redis (one key next to the queue's, one Lua call per few
 * sends), so every process shares it; with the in-process driver it is local. A Redis failure never
 * blocks sending: that call falls back to local pacing.
 */
import IORedis, { type Redis } from 'ioredis';
import type { Logger } from '../../shared/logger';

export interface Pacer {
  /** Resolves when this send may go. */
  wait(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * How late a slot may still be used. A slot reached later than this (event-loop lag, a busy
 * machine) is dropped and a new one taken: a stalled process must not send its missed slots in a
 * catch-up burst. Dropped slots only cost time.
 */
const STALE_MS = 50;

/** Waits for slots from `next` until one is used on time. */
async function waitForSlot(next: () => Promise<number>): Promise<void> {
  for (;;) {
    const slot = await next();
    const delay = slot - performance.now();
    if (delay >= 1) await sleep(delay);
    if (performance.now() - slot <= STALE_MS) return;
  }
}

export function createLocalPacer(rate: number): Pacer {
  const interval = 1000 / rate;
  let tat = 0;
  return {
    wait: () =>
      waitForSlot(async () => {
        const slot = Math.max(tat, performance.now());
        tat = slot + interval;
        return slot;
      }),
    async close() {},
  };
}

/**
 * Reserves the next `k` consecutive slots; returns the first slot and the current time, both on
 * Redis's clock (one clock for every process).
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local k = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tostring(tat + k * interval), 'PX', 60000)
return { tostring(tat), tostring(now) }
`;

/**
 * Shared schedule in Redis. A process reserves a few consecutive slots per call (about 10 ms of
 * schedule at high rates, one slot at low rates) and hands them out locally, so a send costs a
 * fraction of a Redis round trip; blocks of different processes interleave on the one schedule.
 */
export function createRedisPacer(opts: { redisUrl: string; key: string; rate: number; logger: Logger }): Pacer {
  const interval = 1000 / opts.rate;
  const block = Math.max(1, Math.min(10, Math.round(opts.rate / 100)));
  const local = createLocalPacer(opts.rate);
  const redis: Redis = new IORedis(opts.redisUrl, { maxRetriesPerRequest: 1, enableReadyCheck: true });
  redis.on('error', () => {});
  let lastWarn = 0;
  /** Reserved slot times (performance.now() clock), soonest first. */
  const slots: number[] = [];
  let reserving: Promise<void> | null = null;

  /**
   * Local clock minus Redis clock, from the fastest recent answers: a reply that waited behind other
   * commands would otherwise shift this process's slots late, onto another process's slots.
   */
  const offsets: number[] = [];
  function toLocal(redisMs: number, redisNow: number): number {
    offsets.push(performance.now() - redisNow);
    if (offsets.length > 50) offsets.shift();
    return redisMs + Math.min(...offsets);
  }

  function reserve(): Promise<void> {
    reserving ??= (async () => {
      try {
        const [tat, now] = (await redis.eval(RESERVE, 1, opts.key, String(interval), String(block))) as [string, string];
        const first = toLocal(Number(tat), Number(now));
        for (let i = 0; i < block; i++) slots.push(first + i * interval);
      } finally {
        reserving = null;
      }
    })();
    return reserving;
  }

  async function nextSlot(): Promise<number> {
    while (slots.length === 0) await reserve();
    return slots.shift()!;
  }

  return {
    async wait() {
      try {
        await waitForSlot(nextSlot);
      } catch (err) {
        if (Date.now() - lastWarn > 10_000) {
          lastWarn = Date.now();
          opts.logger.warn({ err: (err as Error).message }, 'broadcast pacer: Redis unavailable, pacing locally');
        }
        await local.wait();
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
