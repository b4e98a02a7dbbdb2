/** Builds the real app on a test database, the local queue, a silent logger and a Zalo client on a fake server. */
import { parseConfig, type Config } from '../../shared/config';
import { createLogger, type Logger } from '../../shared/logger';
import { createLocalDriver } from '../../shared/queue/local';
import type { QueueDriver } from '../../shared/queue';
import { systemClock, type Clock } from '../../shared/clock';
import { createApp, type AppDeps } from '../../bot/app';
import { createBotServices, createZalo } from '../../bot/services';
import type { Database } from '../../shared/db/client';
import { createTestDatabase } from './db';
import { loadQrKeys } from '../../shared/qr/keys';
import { createKbIndex, seedKnowledgeBase } from '../../shared/kb/kb-index';

export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
}

export interface FakeZaloLike {
  url: string;
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  currentTokens(): { accessToken: string; refreshToken: string };
}

/** Env that points the app at a fake Zalo server (not demo mode). */
export function fakeZaloEnv(fake: FakeZaloLike, extra: Record<string, string> = {}): Record<string, string> {
  const t = fake.currentTokens();
  return {
    ZALO_APP_ID: fake.appId,
    ZALO_APP_SECRET: fake.appSecret,
    ZALO_OA_ID: '1234567890123456789',
    ZALO_OA_SECRET_KEY: fake.oaSecretKey,
    ZALO_OA_ACCESS_TOKEN: t.accessToken,
    ZALO_OA_REFRESH_TOKEN: t.refreshToken,
    ZALO_OPENAPI_URL: fake.url,
    ZALO_OAUTH_URL: fake.url,
    ZALO_GRAPH_URL: fake.url,
    ...extra,
  };
}

export async function createTestApp(
  opts: { env?: Record<string, string>; database?: Database; clock?: Clock; queue?: QueueDriver; logger?: Logger } = {},
) {
  const database = opts.database ?? (await createTestDatabase());
  const config = testConfig(opts.env);
  const logger = opts.logger ?? createLogger('silent');
  const clock = opts.clock ?? systemClock;
  const endpoints = { openapiUrl: config.zalo.openapiUrl, oauthUrl: config.zalo.oauthUrl, graphUrl: config.zalo.graphUrl };
  const zalo = await createZalo(config, database, logger, clock, endpoints);
  await seedKnowledgeBase(database.db);
  const kb = await createKbIndex(database.db, logger, { pollMs: 0 });
  const { bot, inbox } = createBotServices({ config, db: database.db, logger, clock, zalo, kb }, { autoStartInbox: false });
  const qrKeys = await loadQrKeys(database.db, config.qrSecret);
  const deps: AppDeps = { config, database, queue: opts.queue ?? createLocalDriver(), logger, clock, zalo, bot, inbox, qrKeys, kb };
  const app = createApp(deps);
  return {
    app,
    deps,
    database,
    db: database.db,
    bot,
    inbox,
    kb,
    close: async () => {
      kb.close();
      await inbox.close();
      zalo.close();
      await database.close();
    },
  };
}
