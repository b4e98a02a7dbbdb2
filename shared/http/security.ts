/**
 * HTTP hardening: helmet headers with a CSP that fits our pages, CORS for the mini-app API (Zalo serves
 * the mini-app from h5.zdn.vn), and rate limits whose counters live in Redis when Redis is configured
 * (shared by every web process) or in memory otherwise.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import proxyAddr from 'proxy-addr';
import helmet from 'helmet';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { AppError } from '../errors';

function headers(inlineScripts: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: inlineScripts ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:', 'https://h5.zadn.vn'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'", 'https://*.zalo.me', 'https://*.zdn.vn'],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

/** Helmet headers; the demo-only simulator page (an inline script) gets a policy that allows it. */
export function securityHeaders(): RequestHandler {
  const strict = headers(false);
  const simulator = headers(true);
  return (req, res, next) => (req.path === '/simulator' ? simulator(req, res, next) : strict(req, res, next));
}

/** CORS for /api/miniapp: the Zalo host origin and our own public origin, nothing else. */
export function miniAppCors(extraOrigins: string[] = []): RequestHandler {
  const allowed = (origin: string) => /^https:\/\/([a-z0-9-]+\.)*zdn\.vn$/.test(origin) || /^https:\/\/([a-z0-9-]+\.)*zalo\.me$/.test(origin) || extraOrigins.includes(origin);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') return void res.status(origin && allowed(origin) ? 204 : 403).end();
    next();
  };
}

export interface RateLimitSpec {
  name: string;
  windowMs: number;
  limit: number;
  key?: Options['keyGenerator'];
}

/**
 * rate-limit-redis loads its Lua scripts once, when the limiter is created. If Redis is not connected
 * yet (a web process starting next to a Redis still booting), that load fails and the store keeps the
 * rejected promise: every later request would fail over to "no limit". A script's SHA is sha1 of its
 * text, so a failed SCRIPT LOAD answers the SHA computed here; the first EVALSHA then gets NOSCRIPT
 * and the store loads the script for real, once Redis answers.
 */
function redisCommand(redis: Redis) {
  return async (command: string, ...args: string[]): Promise<RedisReply> => {
    try {
      return (await redis.call(command, ...args)) as RedisReply;
    } catch (err) {
      if (command.toUpperCase() === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD' && args[1]) {
        return crypto.createHash('sha1').update(args[1]).digest('hex');
      }
      throw err;
    }
  };
}

/** Counters in Redis (shared by every web process) when it is configured, else in this process. */
function counterStore(name: string, redis?: Redis): Store | undefined {
  return redis ? new RedisStore({ prefix: `congdoan:rl:${name}:`, sendCommand: redisCommand(redis) }) : undefined;
}

/** The answer past a rate limit or flood guard. */
export function rateLimitedError(): AppError {
  return new AppError('RATE_LIMITED', 429, 'Quá nhiều yêu cầu, vui lòng thử lại sau / too many requests');
}

export function createRateLimiter(spec: RateLimitSpec, redis?: Redis): RequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    standardHeaders: 'draft-7',
    passOnStoreError: true,
    legacyHeaders: false,
    keyGenerator: spec.key,
    store: counterStore(spec.name, redis),
    // The app's error handler answers it, as every other error (one place maps errors to HTTP).
    handler: (_req, _res, next) => next(rateLimitedError()),
  });
}

/** Whether an address is within its count (a failed counter store counts as within). */
export type FloodGuard = (address: string) => Promise<boolean>;

/**
 * A per-address flood guard for a server-to-server route (the webhook): the same counters as
 * `createRateLimiter` (express-rate-limit's store, in Redis when configured, same key by address),
 * counted with one store call per request. The full middleware's validations, awaited steps and
 * headers cost ~25 µs of CPU per request on the route that takes every event of the OA (measured with
 * bench/webhook.ts), and Zalo's servers read none of its headers. It takes the address rather than a
 * request: the webhook is served before Express (bot/webhook/route.ts). A store error lets the request
 * through, as `passOnStoreError` does, and is reported to `onStoreError` (at most once a minute: while
 * Redis is down every request would report it).
 */
export function createFloodGuard(
  spec: Omit<RateLimitSpec, 'key'>,
  redis?: Redis,
  onStoreError?: (err: unknown) => void,
): FloodGuard {
  const store = counterStore(spec.name, redis) ?? new MemoryStore();
  let reportedAt = -Infinity;
  const report = (err: unknown) => {
    if (Date.now() - reportedAt < 60_000) return;
    reportedAt = Date.now();
    try {
      onStoreError?.(err);
    } catch {
      /* a failing reporter must not hold the request */
    }
  };
  void Promise.resolve(store.init?.({ windowMs: spec.windowMs } as Options)).catch(report);
  const pass = (err: unknown) => {
    report(err);
    return true;
  };
  return (address) => {
    try {
      return Promise.resolve(store.increment(ipKeyGenerator(address))).then(({ totalHits }) => totalHits <= spec.limit, pass);
    } catch (err) {
      return Promise.resolve(pass(err));
    }
  };
}

/** The proxies whose X-Forwarded-For is believed: the app's `trust proxy` setting, and `clientAddress`. */
export const TRUSTED_PROXIES = 'loopback';
const trusted = proxyAddr.compile(TRUSTED_PROXIES);

/** The client's address as Express's `req.ip` gives it, for a request served before Express. */
export function clientAddress(req: IncomingMessage): string {
  return proxyAddr(req, trusted) ?? '';
}
