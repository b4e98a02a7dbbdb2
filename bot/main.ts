/** Process entry: `npm start` (all roles), `npm run start:web`, `npm run start:worker`. */
import { ConfigError, loadConfig, type Config } from '../shared/config';
import { createLogger } from '../shared/logger';
import { DataDirLockedError } from '../shared/db/data-dir-lock';
import { DatabaseUnreachableError } from '../shared/db/client';
import { startRuntime, type Role } from './runtime';

const SHUTDOWN_TIMEOUT_MS = 10_000;

function parseRole(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg ? arg.slice('--role='.length) : 'all';
  if (role !== 'all' && role !== 'web' && role !== 'worker') {
    console.error(`Unknown --role=${role} (expected web, worker or all)`);
    process.exit(2);
  }
  return role;
}

async function main() {
  const role = parseRole(process.argv.slice(2));
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  if (role !== 'all' && (!config.databaseUrl || !config.redisUrl)) {
    console.error(
      `start:${role} chạy riêng vai trò cần PostgreSQL và Redis dùng chung / running the ${role} role on its own needs ` +
        `DATABASE_URL and REDIS_URL (PGlite and the in-process queue belong to one process). Use "npm start" for the embedded mode.`,
    );
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const started = Date.now();
  const runtime = await startRuntime(config, role, logger);

  console.log(
    `\nCông đoàn Zalo (${role}) sẵn sàng sau ${((Date.now() - started) / 1000).toFixed(1)} s — ` +
      `database: ${runtime.database.kind}, queue: ${runtime.queue.kind}, ${config.demoMode ? 'demo mode (Zalo simulator)' : 'Zalo OA'}`,
  );
  if (runtime.url) {
    console.log(`  ${runtime.url}/healthz     health`);
    if (config.demoMode) console.log(`  ${runtime.url}/simulator   chat with the OA as a worker`);
    console.log(`  ${runtime.url}/app         member mini-app`);
    console.log(`  ${runtime.url}/admin       officer console`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    runtime.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof DataDirLockedError || err instanceof DatabaseUnreachableError) {
    console.error(err.message);
  } else if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    console.error(`Cổng đã được dùng / port already in use: ${(err as Error).message}. Set PORT to another port.`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
