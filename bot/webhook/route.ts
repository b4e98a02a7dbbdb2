/**
 * POST /webhook/zalo: verify the signature on the raw body (401), parse and validate (400), reject
 * implausible timestamps, store once in the inbox by dedupe key, answer 200 at once. Processing happens
 * asynchronously from the inbox (see inbox-processor.ts).
 *
 * The route is served before Express sees the request (`serveBeforeExpress`). It takes every event of
 * the OA, and Express's own work per request (setting its request and response prototypes, routing)
 * costs ~170 µs of CPU on the bench machine: nearly three times the rest of the webhook without its
 * insert (~60 µs), measured with bench/webhook.ts (docs/decisions.md). Everything else, GET
 * /webhook/zalo included, stays with Express; this handler uses the same body reader, error mapping,
 * client-address rule and rate-limit counters as the Express side.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction } from 'express';
import parseurl from 'parseurl';
import type { Db } from '../../shared/db/client';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import { toHttpError, writeHttpError } from '../../shared/http/error-handler';
import { clientAddress, rateLimitedError, type FloodGuard } from '../../shared/http/security';
import { InboxWriter } from './inbox-writer';
import { webhookLatency } from '../../shared/metrics';
import {
  WEBHOOK_SIGNATURE_HEADER,
  eventDedupeKey,
  eventUserId,
  parseWebhookEvent,
  parseWebhookJson,
  verifyWebhookSignature,
} from '../../shared/zalo';

/** Zalo re-sends failed deliveries for up to ~12 h; anything older (or from the future) is not genuine. */
export const MAX_EVENT_AGE_MS = 13 * 3600_000;
export const MAX_EVENT_SKEW_MS = 5 * 60_000;

export const WEBHOOK_PATH = '/webhook/zalo';

/** The acknowledgement, serialized once: Zalo reads only the status. */
const ACK_BODY = '{"ok":true}';
const ACK_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(ACK_BODY.length) };

export interface WebhookDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  oaSecretKey?: string;
  /** Called after every webhook request (the silence alarm watches this). */
  onRequest?: () => void;
  /** Called after a new event is stored (wakes the inbox processor of this process). */
  onStored?: () => void;
  /** Counts each request by client address before its body is read (429 past the limit). */
  floodGuard?: FloodGuard;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;
type BodyReader = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Express's matching of the route: the path as its router reads it (parseurl: no query, no fragment,
 * an absolute-form target's host dropped), case-insensitive, one trailing slash allowed.
 */
export function isWebhookPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const path = parseurl(req)?.pathname ?? '';
  return path === WEBHOOK_PATH || path.toLowerCase().replace(/\/$/, '') === WEBHOOK_PATH;
}

/** The webhook as a plain Node request handler: answers every request itself, errors included. */
export function createWebhookReceiver(deps: WebhookDeps): NodeHandler {
  const writer = new InboxWriter(deps.db);
  // body-parser's raw reader, as the Express route had: length limit (413), gzip/deflate/br inflation,
  // a body cut short (400). It needs no Express on the request.
  const bodyReader = express.raw({ type: () => true, limit: '512kb' }) as unknown as BodyReader;
  const readBody = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<string>((resolve, reject) =>
      bodyReader(req, res, (err) => {
        if (err) return reject(err);
        const body = (req as IncomingMessage & { body?: unknown }).body;
        resolve(Buffer.isBuffer(body) ? body.toString('utf8') : '');
      }),
    );

  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    if (deps.floodGuard && !(await deps.floodGuard(clientAddress(req)))) throw rateLimitedError();
    const raw = await readBody(req, res);
    if (deps.oaSecretKey && !verifyWebhookSignature(req.headers[WEBHOOK_SIGNATURE_HEADER], raw, deps.oaSecretKey)) {
      throw new AppError('BAD_SIGNATURE', 401, 'invalid or missing X-ZEvent-Signature');
    }
    let json: unknown;
    try {
      json = parseWebhookJson(raw);
    } catch {
      throw new AppError('MALFORMED_JSON', 400, 'malformed JSON body');
    }
    const parsed = parseWebhookEvent(json);
    if (!parsed.ok) {
      const detail = parsed.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
      throw new AppError('INVALID_EVENT', 400, `invalid webhook event: ${detail}`);
    }
    const event = parsed.event;
    const ts = Number(event.timestamp);
    const now = deps.clock.now().getTime();
    if (!Number.isFinite(ts) || ts > now + MAX_EVENT_SKEW_MS || ts < now - MAX_EVENT_AGE_MS) {
      throw new AppError('STALE_EVENT', 400, 'event timestamp outside the accepted window');
    }
    const stored = await writer.write({
      dedupeKey: eventDedupeKey(event),
      eventName: event.event_name,
      zaloUserId: eventUserId(event),
      payload: event as unknown as Record<string, unknown>,
      status: parsed.known ? 'pending' : 'ignored',
    });
    res.writeHead(200, ACK_HEADERS).end(ACK_BODY);
    if (stored && parsed.known) deps.onStored?.();
    else if (!stored) deps.logger.debug({ event: event.event_name }, 'duplicate webhook event ignored');
  };

  return (req, res) => {
    const end = webhookLatency.startTimer();
    res.once('finish', () => {
      const seconds = end({ status: String(res.statusCode) });
      deps.onRequest?.();
      // The app's request log never sees this route: refusals are logged here.
      if (res.statusCode >= 400) {
        deps.logger.warn({ method: 'POST', path: WEBHOOK_PATH, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'http');
      }
    });
    receive(req, res).catch((err) => writeHttpError(res, toHttpError(err, deps.logger, { method: 'POST', path: WEBHOOK_PATH })));
  };
}

type ExpressHandle = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void;

/**
 * Hands the requests `take` accepts to `handler` before Express's own handling starts. An Express app
 * is a function that calls `app.handle` for each request (express/lib/express.js), whether it serves
 * through `app.listen`, `http.createServer(app)` or supertest, so this one wrapper covers them all.
 */
function serveBeforeExpress(app: Express, take: (req: IncomingMessage) => boolean, handler: NodeHandler): void {
  const target = app as unknown as { handle: ExpressHandle };
  const expressHandle = target.handle;
  target.handle = function (this: unknown, req, res, next) {
    if (take(req)) return handler(req, res);
    return expressHandle.call(this, req, res, next);
  };
}

/** Mounts the webhook: POST served before Express, and Zalo's URL check (any GET answers 200) on Express. */
export function mountWebhook(app: Express, deps: WebhookDeps): void {
  serveBeforeExpress(app, isWebhookPost, createWebhookReceiver(deps));
  app.get(WEBHOOK_PATH, (_req, res) => void res.status(200).json({ ok: true }));
}
