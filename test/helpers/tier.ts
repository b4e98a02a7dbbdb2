import path from 'node:path';

/** Which servers this test run has: the suite picks its tier from the environment (CI sets both). */
export const TEST_DATABASE_URL = process.env.DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.REDIS_URL || undefined;
export const TMP_DIR = path.resolve(__dirname, '../../.tmp');
/** Per-run names so concurrent test runs on one server never touch each other's databases. */
export const RUN_ID = (process.env.CONGDOAN_TEST_RUN ||= `${process.pid}${Date.now().toString(36)}`);
export const PG_TEMPLATE_DB = `congdoan_tmpl_${RUN_ID}`;
export const PG_DB_PREFIX = `congdoan_t_${RUN_ID}_`;

/** `describe` that runs only when a real Postgres / Redis is configured for this run. */
export const describeIfPostgres = (name: string, fn: () => void) =>
  (TEST_DATABASE_URL ? describe : describe.skip)(name, fn);
export const describeIfRedis = (name: string, fn: () => void) => (TEST_REDIS_URL ? describe : describe.skip)(name, fn);

export function adminUrl(url: string, dbName = 'postgres'): string {
  const u = new URL(url);
  u.pathname = '/' + dbName;
  return u.toString();
}

export const PGLITE_TEMPLATE = path.join(TMP_DIR, `pglite-template-${RUN_ID}.tar.gz`);
