/**
 * App factory: builds the Express app from its dependencies. `main.ts` wires real ones; tests pass
 * PGlite, the local queue and a fake Zalo server.
 */
import express, { type Express } from 'express';
import type { Config } from '../shared/config';
import type { Database } from '../shared/db/client';
import type { QueueDriver } from '../shared/queue';
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/clock';
import { errorHandler, notFoundHandler, requestLogger } from '../shared/http/error-handler';

export interface AppDeps {
  config: Config;
  database: Database;
  queue: QueueDriver;
  logger: Logger;
  clock: Clock;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogger(deps.logger));

  app.get('/healthz', async (_req, res) => {
    const ok = await deps.database.ping();
    res.status(ok ? 200 : 503).json(ok ? { status: 'ok' } : { status: 'unavailable', error: { code: 'DB_UNAVAILABLE', message: 'database not answering' } });
  });

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
