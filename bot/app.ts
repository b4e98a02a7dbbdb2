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
import { createWebhookRouter } from './webhook/route';
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
}

export function createApp(deps: AppDeps): Express {
  const { config, database, logger } = deps;
  const db = database.db;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogger(logger));

  app.get('/healthz', async (_req, res) => {
    const ok = await database.ping();
    res
      .status(ok ? 200 : 503)
      .json(ok ? { status: 'ok' } : { status: 'unavailable', error: { code: 'DB_UNAVAILABLE', message: 'database not answering' } });
  });

  app.use(
    createWebhookRouter({ db, logger, clock: deps.clock, oaSecretKey: config.zalo.oaSecretKey, onStored: () => deps.inbox.nudge() }),
  );

  const admin = express.Router();
  admin.use(express.json({ limit: '1mb' }));
  admin.use(requireOfficer(db));
  admin.use(handoffRoutes({ db, zalo: deps.zalo }));
  admin.use(announcementRoutes({ db, clock: deps.clock }));
  admin.use(broadcastRoutes({ db, queue: deps.queue, zalo: deps.zalo, logger, clock: deps.clock, rate: config.broadcastRate }));
  admin.use(eventRoutes({ db, clock: deps.clock, qrKeys: deps.qrKeys }));
  admin.use(kbRoutes({ db, kb: deps.kb }));
  app.use('/api/admin', admin);
  app.use(QUEUES_PATH, queueBoardRoutes({ db, queue: deps.queue }));

  app.use('/api/miniapp', miniAppRoutes({ db, zalo: deps.zalo, clock: deps.clock, qrKeys: deps.qrKeys }));
  app.use(miniAppStatic());

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
