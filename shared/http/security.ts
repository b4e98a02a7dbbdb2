/**
 * HTTP hardening: helmet headers with a CSP that fits our pages, CORS for the mini-app API (Zalo serves
 * the mini-app from h5.zdn.vn), and rate limits whose counters live in Redis when Redis is configured
 * (shared by every web process) or in memory otherwise.
 */
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { rateLimit, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';

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
  /** RateLimit headers on every answer (default); off for server-to-server callers that never read them. */
  headers?: boolean;
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

export function createRateLimiter(spec: RateLimitSpec, redis?: Redis): RequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    standardHeaders: spec.headers === false ? false : 'draft-7',
    passOnStoreError: true,
    legacyHeaders: false,
    keyGenerator: spec.key,
    store: redis ? new RedisStore({ prefix: `congdoan:rl:${spec.name}:`, sendCommand: redisCommand(redis) }) : undefined,
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'Quá nhiều yêu cầu, vui lòng thử lại sau / too many requests' } });
    },
  });
}
