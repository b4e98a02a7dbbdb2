/** Builds the real app on a test database, the local queue and a silent logger. */
import { parseConfig, type Config } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { createLocalDriver } from '../../shared/queue/local';
import { systemClock } from '../../shared/clock';
import { createApp, type AppDeps } from '../../bot/app';
import type { Database } from '../../shared/db/client';
import { createTestDatabase } from './db';

export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
}

export async function createTestApp(opts: { env?: Record<string, string>; database?: Database } = {}) {
  const database = opts.database ?? (await createTestDatabase());
  const deps: AppDeps = {
    config: testConfig(opts.env),
    database,
    queue: createLocalDriver(),
    logger: createLogger('silent'),
    clock: systemClock,
  };
  const app = createApp(deps);
  return { app, deps, database, close: () => database.close() };
}
