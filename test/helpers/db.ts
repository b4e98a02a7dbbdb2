/**
 * Test databases: a fresh PGlite (from the migrated dump) per call, or — when the run has a real
 * Postgres — a fresh database cloned from the migrated template. Each test file owns its database.
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import { openDatabase, type Database } from '../../shared/db/client';
import { adminUrl, PG_DB_PREFIX, PG_TEMPLATE_DB, PGLITE_TEMPLATE, TEST_DATABASE_URL } from './tier';

export async function createPgliteTestDatabase(): Promise<Database> {
  const blob = new Blob([fs.readFileSync(PGLITE_TEMPLATE)]);
  return openDatabase({ loadDataDir: blob });
}

export async function createPostgresTestDatabase(): Promise<Database & { url: string }> {
  if (!TEST_DATABASE_URL) throw new Error('no DATABASE_URL for this run');
  const { default: postgres } = await import('postgres');
  const name = `${PG_DB_PREFIX}${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl(TEST_DATABASE_URL), { max: 1, onnotice: () => {} });
  // Template cloning needs the template to be idle; retry briefly if another file is cloning it.
  for (let i = 0; ; i++) {
    try {
      await admin.unsafe(`create database ${name} template ${PG_TEMPLATE_DB}`);
      break;
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
    }
  }
  const url = adminUrl(TEST_DATABASE_URL, name);
  const db = await openDatabase({ databaseUrl: url });
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    },
  };
}

/** The run's default tier: real Postgres when configured, PGlite otherwise. */
export async function createTestDatabase(): Promise<Database> {
  return TEST_DATABASE_URL ? createPostgresTestDatabase() : createPgliteTestDatabase();
}
