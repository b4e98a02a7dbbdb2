/** Builds migrated database templates once per run: a PGlite dump, and a Postgres template database. */
import fs from 'node:fs';
import { adminUrl, PG_TEMPLATE_DB, PGLITE_TEMPLATE, TEST_DATABASE_URL, TMP_DIR } from './tier';

export default async function globalSetup() {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const { MIGRATIONS_FOLDER } = await import('../../shared/db/client');
  const pg = new PGlite();
  await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS_FOLDER });
  const dump = await pg.dumpDataDir('gzip');
  fs.writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await pg.close();

  if (TEST_DATABASE_URL) {
    const { default: postgres } = await import('postgres');
    const admin = postgres(adminUrl(TEST_DATABASE_URL), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${PG_TEMPLATE_DB}`);
    await admin.end();
    const tmpl = postgres(adminUrl(TEST_DATABASE_URL, PG_TEMPLATE_DB), { max: 1, onnotice: () => {} });
    const { drizzle: pgDrizzle } = await import('drizzle-orm/postgres-js');
    const { migrate: pgMigrate } = await import('drizzle-orm/postgres-js/migrator');
    await pgMigrate(pgDrizzle(tmpl), { migrationsFolder: MIGRATIONS_FOLDER });
    await tmpl.end();
  }
}
