/**
 * POST /webhook/zalo: verify the signature on the raw body (401), parse and validate (400), reject
 * implausible timestamps, store once in the inbox by dedupe key, answer 200 at once. Processing happens
 * asynchronously from the inbox (see inbox-processor.ts).
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Db } from '../../shared/db/client';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
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
  /** Runs before the body is read (the per-IP flood guard). */
  guard?: RequestHandler;
}

/**
 * Mounts the webhook straight on the app (no nested router: this is the hottest path and every layer
 * costs on each event). Mount it first: it serves Zalo's servers, not browsers.
 */
export function mountWebhook(app: Express, deps: WebhookDeps): void {
  const writer = new InboxWriter(deps.db);
  // Zalo checks the URL with a request when it is saved; answer anything but POST with 200.
  app.get('/webhook/zalo', (_req, res) => void res.status(200).json({ ok: true }));
  // First in the chain, so the flood guard's 429 and the body reader's 413 are timed and logged too.
  const observe: RequestHandler = (_req, res, next) => {
    const end = webhookLatency.startTimer();
    res.once('finish', () => {
      const seconds = end({ status: String(res.statusCode) });
      deps.onRequest?.();
      // The app's request log does not see this route (it is mounted before it): refusals are logged here.
      if (res.statusCode >= 400) {
        deps.logger.warn({ method: 'POST', path: '/webhook/zalo', status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'http');
      }
    });
    next();
  };
  const guards = deps.guard ? [deps.guard] : [];
  app.post('/webhook/zalo', observe, ...guards, express.raw({ type: () => true, limit: '512kb' }), async (req, res, next) => {
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      if (deps.oaSecretKey && !verifyWebhookSignature(req.get(WEBHOOK_SIGNATURE_HEADER), raw, deps.oaSecretKey)) {
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
    } catch (err) {
      next(err);
    }
  });
}
