/**
 * Runtime wiring shared by `npm start`, `start:web` and `start:worker`: config → database (migrated)
 * → demo seed → queue → app/workers, and one `close()` that releases everything in order.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { MINIAPP_WWW } from '../miniapp/server/static';
import { ADMIN_DIST, ADMIN_SRC } from '../miniapp/server/admin-static';
import type { Config } from '../shared/config';
import { openDatabase, type Database } from '../shared/db/client';
import { createQueueDriver, type QueueDriver } from '../shared/queue';
import { errorText, type Logger } from '../shared/logger';
import { systemClock } from '../shared/clock';
import { isDatabaseEmpty, seedDemo } from '../shared/seed/demo';
import { createApp } from './app';
import { createBotServices, createZalo, zaloEndpoints } from './services';
import { startWorkers } from './worker';
import { loadQrKeys } from '../shared/qr/keys';
import IORedis, { type Redis } from 'ioredis';
import { createWebhookWatch } from './ops';
import { createKbIndex, seedKnowledgeBase } from '../shared/kb/kb-index';
import { SEED_REVISION } from '../shared/qa/kb/revision';

// vite's package "exports" do not list bin/vite.js (tsx enforces exports), but they do list package.json.
// Resolved only when a build is missing: a production install may have no vite at all.
const viteBin = () => path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');

/** First start on a fresh clone: build the mini-app for /app without delaying the server. */
function buildMiniAppInBackground(logger: Logger) {
  if (fs.existsSync(path.join(MINIAPP_WWW, 'index.html'))) return;
  logger.info('building the mini-app for /app in the background (npm run build:miniapp)');
  const child = spawn(process.execPath, [viteBin(), 'build', '--logLevel', 'warn'], {
    cwd: path.dirname(MINIAPP_WWW),
    stdio: 'ignore',
  });
  child.on('exit', (code) => (code === 0 ? logger.info('mini-app built: /app is ready') : logger.warn({ code }, 'mini-app build failed; run npm run build:miniapp')));
  child.unref();
}

/** Same for the officer console at /admin (npm run build:admin). */
function buildAdminInBackground(logger: Logger) {
  if (fs.existsSync(path.join(ADMIN_DIST, 'index.html'))) return;
  logger.info('building the officer console for /admin in the background (npm run build:admin)');
  const child = spawn(process.execPath, [viteBin(), 'build', '--config', path.join(ADMIN_SRC, 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: path.resolve(ADMIN_SRC, '../..'),
    stdio: 'ignore',
  });
  child.on('exit', (code) => (code === 0 ? logger.info('console built: /admin is ready') : logger.warn({ code }, 'console build failed; run npm run build:admin')));
  child.unref();
}

/** Where the card button in chat points: the served mini-app when a public URL is known. */
function miniAppUrl(config: Config): string | undefined {
  if (config.publicUrl) return `${config.publicUrl}/app/`;
  return config.demoMode ? `http://localhost:${config.port}/app/` : undefined;
}

export type Role = 'all' | 'web' | 'worker';

export interface Runtime {
  database: Database;
  queue: QueueDriver;
  server?: Server;
  url?: string;
  close(): Promise<void>;
}

export async function startRuntime(config: Config, role: Role, logger: Logger): Promise<Runtime> {
  if (!config.demoMode && !config.zalo.oaSecretKey && role !== 'worker') {
    // Documented (the webhook then takes unsigned events), but never what a real OA should run with.
    logger.warn('ZALO_OA_SECRET_KEY is not set: POST /webhook/zalo accepts events without a signature; set it to the OA secret key');
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const closers: (() => Promise<void>)[] = [() => database.close()];
  try {
    await database.migrate();
    if (config.demoMode && (await isDatabaseEmpty(database.db))) {
      const seeded = await seedDemo(database.db);
      logger.info({ members: seeded.members }, 'demo union seeded');
      console.log('\nChế độ thử nghiệm: đã tạo công đoàn mẫu. Demo officer API tokens (shown once):');
      for (const t of seeded.officerTokens) console.log(`  ${t.role.padEnd(7)} ${t.branch.padEnd(14)} ${t.token}`);
    }
    const queue = createQueueDriver({ redisUrl: config.redisUrl });
    closers.unshift(() => queue.close());

    const clock = systemClock;
    const selfUrl = `http://127.0.0.1:${config.port}`;
    const zalo = await createZalo(config, database, logger, clock, zaloEndpoints(config, selfUrl));
    closers.unshift(async () => zalo.close());
    const qrKeys = await loadQrKeys(database.db, config.qrSecret);
    const seededKb = await seedKnowledgeBase(database.db);
    if (seededKb.newerInDatabase !== undefined) {
      logger.warn({ seedRevision: SEED_REVISION.number, databaseRevision: seededKb.newerInDatabase }, 'knowledge base: the database holds a newer seed than this process (an older version of the app?); seed not applied');
    } else if (seededKb.added || seededKb.updated) logger.info(seededKb, 'knowledge base brought up to date from shared/qa/kb');
    const kb = await createKbIndex(database.db, logger);
    closers.unshift(async () => kb.close());
    const { bot, inbox } = createBotServices({ config, db: database.db, logger, clock, zalo, kb }, { miniAppUrl: miniAppUrl(config) });
    closers.unshift(() => inbox.close());
    if (role !== 'web') {
      const workers = startWorkers({ config, db: database.db, queue, zalo, logger, clock });
      closers.unshift(() => workers.close());
    }

    let server: Server | undefined;
    let url: string | undefined;
    if (role !== 'worker') {
      let redis: Redis | undefined;
      if (config.redisUrl) {
        const r = new IORedis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false });
        r.on('error', () => {});
        redis = r;
        closers.unshift(async () => void r.disconnect());
      }
      // Checked a few times per silence period (at most once a second, at least once a minute).
      const silenceMs = config.webhookSilenceMs;
      const webhookWatch =
        silenceMs === null
          ? undefined
          : createWebhookWatch({ db: database.db, logger, clock, silenceMs, intervalMs: Math.min(60_000, Math.max(1000, silenceMs / 4)) });
      if (webhookWatch) closers.unshift(async () => webhookWatch.close());
      const app = createApp({ config, database, queue, logger, clock, zalo, bot, inbox, qrKeys, kb, redis, webhookWatch });
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(config.port, () => resolve(s));
        s.once('error', reject);
      });
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      url = `http://localhost:${port}`;
      buildMiniAppInBackground(logger);
      buildAdminInBackground(logger);
      const srv = server;
      closers.unshift(
        () =>
          new Promise<void>((resolve) => {
            srv.close(() => resolve());
            srv.closeIdleConnections?.();
          }),
      );
    }
    return {
      database,
      queue,
      server,
      url,
      close: async () => {
        for (const c of closers) await c().catch((err) => logger.error({ err: errorText(err) }, 'close failed'));
      },
    };
  } catch (err) {
    for (const c of closers) await c().catch(() => {});
    throw err;
  }
}
