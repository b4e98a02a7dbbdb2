/**
 * App factory: builds the Express app from its dependencies. `runtime.ts` wires real ones; tests pass
 * PGlite, the local queue and a fake Zalo server.
 */
import express, { type Express } from 'express';
import type { Config } from '../shared/config';
import type { Database } from '../shared/db/client';
import type { QueueDriver } from '../shared/queue';
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/clock';
import type { ZaloClient } from '../shared/zalo';
import { errorHandler, notFoundHandler, requestLogger } from '../shared/http/error-handler';
import { createFloodGuard, createRateLimiter, miniAppCors, securityHeaders, TRUSTED_PROXIES } from '../shared/http/security';
import { metricsRouter, type WebhookWatch } from './ops';
import type { Redis } from 'ioredis';
import { mountWebhook } from './webhook/route';
import type { InboxProcessor } from './webhook/inbox-processor';
import type { Bot } from './bot';
import { simulatorRouter } from './simulator/router';
import { requireOfficer } from '../miniapp/server/admin/auth';
import { handoffRoutes } from '../miniapp/server/admin/handoffs';
import { announcementRoutes } from '../miniapp/server/admin/announcements';
import { broadcastRoutes } from '../miniapp/server/admin/broadcasts';
import { QUEUES_PATH, queueBoardRoutes } from '../miniapp/server/admin/queues';
import { eventRoutes } from '../miniapp/server/admin/events';
import { miniAppRoutes } from '../miniapp/server/routes';
import { demoRoutes } from '../miniapp/server/demo';
import { miniAppStatic } from '../miniapp/server/static';
import type { QrKeys } from '../shared/qr/tokens';
import type { KbIndex } from '../shared/kb/kb-index';
import { kbRoutes } from '../miniapp/server/admin/kb';
import { welfareAdminRoutes } from '../miniapp/server/admin/welfare';
import { pollAdminRoutes } from '../miniapp/server/admin/polls';
import { sessionResolver, sessionRoutes } from '../miniapp/server/admin/session';
import { memberRoutes } from '../miniapp/server/admin/members';
import { dashboardRoutes } from '../miniapp/server/admin/dashboard';
import { auditRoutes } from '../miniapp/server/admin/audit';
import { adminStatic } from '../miniapp/server/admin-static';

export interface AppDeps {
  config: Config;
  database: Database;
  queue: QueueDriver;
  logger: Logger;
  clock: Clock;
  zalo: ZaloClient;
  bot: Bot;
  inbox: InboxProcessor;
  qrKeys: QrKeys;
  kb: KbIndex;
  /** Redis for shared rate-limit counters (when REDIS_URL is set). */
  redis?: Redis;
  /** Webhook silence watch (runtime starts one; the console shows its banner). */
  webhookWatch?: WebhookWatch;
}

export function createApp(deps: AppDeps): Express {
  const { config, database, logger } = deps;
  const db = database.db;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', TRUSTED_PROXIES);
  // Zalo's server-to-server webhook is the hottest path and serves no browser: it is answered before Express
  // (bot/webhook/route.ts), with its own flood guard and logging, apart from the browser hardening and
  // request logging of everything else.
  // Zalo posts every event of the OA from a handful of addresses: the per-IP limit only guards against
  // floods (WEBHOOK_FLOOD_LIMIT_PER_MINUTE, by default 60,000 a minute ≈ 1,000/s per address) and must
  // never throttle real traffic of a large federation.
  mountWebhook(app, {
    db,
    logger,
    clock: deps.clock,
    oaSecretKey: config.zalo.oaSecretKey,
    onStored: () => deps.inbox.nudge(),
    floodGuard: createFloodGuard({ name: 'webhook', windowMs: 60_000, limit: config.webhookFloodLimitPerMinute }, deps.redis, (err) =>
      logger.warn({ err: (err as Error)?.message }, 'webhook flood guard: counter store failed, requests pass unlimited'),
    ),
  });

  app.use(requestLogger(logger));
  app.use(securityHeaders());
  app.use(metricsRouter({ db, queue: deps.queue, queueNames: ['broadcast'] }));

  app.get('/healthz', async (_req, res) => {
    const ok = await database.ping();
    res
      .status(ok ? 200 : 503)
      .json(ok ? { status: 'ok' } : { status: 'unavailable', error: { code: 'DB_UNAVAILABLE', message: 'database not answering' } });
  });

  const admin = express.Router();
  admin.use(express.json({ limit: '1mb' }));
  admin.use(sessionRoutes({ db, zalo: deps.zalo, clock: deps.clock, logger, demoMode: config.demoMode, secureCookies: Boolean(config.publicUrl?.startsWith('https://')) }));
  admin.use(requireOfficer(db, sessionResolver(db, deps.clock)));
  admin.get('/ops/status', (_req, res) =>
    void res.json({ webhook: deps.webhookWatch?.status() ?? null, demoMode: config.demoMode, queueDriver: deps.queue.kind }),
  );
  admin.use(memberRoutes({ db, logger }));
  admin.use(dashboardRoutes({ db, clock: deps.clock }));
  admin.use(auditRoutes({ db }));
  admin.use(handoffRoutes({ db, zalo: deps.zalo }));
  admin.use(announcementRoutes({ db, clock: deps.clock }));
  admin.use(broadcastRoutes({ db, queue: deps.queue, zalo: deps.zalo, logger, clock: deps.clock, rate: config.broadcastRate }));
  admin.use(eventRoutes({ db, clock: deps.clock, qrKeys: deps.qrKeys }));
  admin.use(kbRoutes({ db, kb: deps.kb }));
  admin.use(welfareAdminRoutes({ db, zalo: deps.zalo, clock: deps.clock, logger }));
  admin.use(pollAdminRoutes({ db, queue: deps.queue, clock: deps.clock, logger }));
  app.use('/api/admin', admin);
  app.use(QUEUES_PATH, queueBoardRoutes({ db, queue: deps.queue, clock: deps.clock }));

  app.use('/api/miniapp', miniAppCors(config.publicUrl ? [new URL(config.publicUrl).origin] : []));
  app.use('/api/miniapp/link', createRateLimiter({ name: 'link', windowMs: 15 * 60_000, limit: 30 }, deps.redis));
  app.use('/api/miniapp', miniAppRoutes({ db, logger: deps.logger, zalo: deps.zalo, clock: deps.clock, qrKeys: deps.qrKeys }));
  app.use(miniAppStatic());
  app.use(adminStatic());

  if (config.demoMode) {
    app.use('/api/demo', demoRoutes({ db }));
    app.use(
      simulatorRouter({ db, appId: config.zalo.appId ?? 'demo-app', oaId: config.zalo.oaId ?? 'demo-oa', oaSecretKey: config.zalo.oaSecretKey }),
    );
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
