/** Drops this run's Postgres databases and its PGlite template file. */
import fs from 'node:fs';
import { adminUrl, PG_DB_PREFIX, PG_TEMPLATE_DB, PGLITE_TEMPLATE, TEST_DATABASE_URL } from './tier';

export default async function globalTeardown() {
  fs.rmSync(PGLITE_TEMPLATE, { force: true });
  if (!TEST_DATABASE_URL) return;
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl(TEST_DATABASE_URL), { max: 1, onnotice: () => {} });
  const rows = await admin`select datname from pg_database where datname like ${PG_DB_PREFIX + '%'} or datname = ${PG_TEMPLATE_DB}`;
  for (const r of rows) await admin.unsafe(`drop database if exists "${r.datname}" with (force)`);
  await admin.end();
}
