/**
 * Database client factory: DATABASE_URL → postgres.js; otherwise PGlite stored in DATA_DIR (locked to
 * this process). Both speak the same Drizzle API, so queries run unchanged on either.
 */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PGlite, ParserOptions, QueryOptions, Transaction } from '@electric-sql/pglite';
import * as schema from './schema';
import { lockDataDir, type DataDirLock } from './data-dir-lock';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs pending migrations from ./migrations. */
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../migrations');

export class DatabaseUnreachableError extends Error {
  constructor(host: string, cause: unknown) {
    super(
      `Không kết nối được cơ sở dữ liệu tại ${host} / cannot reach PostgreSQL at ${host}: ${
        (cause as Error)?.message ?? String(cause)
      }`,
    );
    this.name = 'DatabaseUnreachableError';
  }
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite only: open from an in-memory copy of a data dir dump (tests). */
  loadDataDir?: Blob;
  /** postgres.js pool size. */
  max?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.max ?? 10);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  // Reconnect at most 1 s apart: postgres.js's default backoff grows with every failed connect (up to
  // 20 s), so after a PostgreSQL restart queries kept waiting 10+ s for a server that was back.
  const backoff = (retries: number) => Math.min(0.05 * 2 ** retries, 1);
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10, backoff });
  let host = 'postgres';
  try {
    host = new URL(url).host;
  } catch {
    /* keep generic */
  }
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnreachableError(host, err);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => pingDb(db),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let lock: DataDirLock | undefined;
  if (dataDir) lock = lockDataDir(dataDir);
  let client: InstanceType<typeof PGlite>;
  try {
    client = dataDir ? new PGlite(dataDir) : new PGlite({ loadDataDir });
    await client.waitReady;
    dropRedundantQueryParsers(client, await drizzleTypeParsers());
  } catch (err) {
    lock?.release();
    throw err;
  }
  const pdb = drizzle(client, { schema });
  const db = pdb as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migrate(pdb, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => pingDb(db),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * The types Drizzle keeps as the server's text on PGlite (timestamps, dates, intervals, and the arrays of
 * those and of numeric), which it otherwise asks for with a `parsers` option on every query
 * (drizzle-orm/pglite/session.js).
 */
export async function drizzleTypeParsers(): Promise<ParserOptions> {
  const { types } = await import('@electric-sql/pglite');
  const asText = (text: string) => text;
  const NUMERIC_ARRAY = 1231, TIMESTAMP_ARRAY = 1115, TIMESTAMPTZ_ARRAY = 1185, INTERVAL_ARRAY = 1187, DATE_ARRAY = 1182;
  const keepAsText = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, NUMERIC_ARRAY, TIMESTAMP_ARRAY, TIMESTAMPTZ_ARRAY, INTERVAL_ARRAY, DATE_ARRAY];
  return Object.fromEntries(keepAsText.map((type) => [type, asText]));
}

/**
 * PGlite copies its whole parser table (~320 types) into a new object for every query that passes its
 * own `parsers`, and Drizzle passes the same nine on every query: ~150 µs of CPU per statement here.
 * The client's own table gets those nine (after PGlite has filled in its array types, which would
 * overwrite them), and a query's `parsers` option is then dropped while every type it names is served
 * by the client as Drizzle asks (kept as text) and the query's own parser for it keeps text as text;
 * otherwise the query keeps its option whole.
 */
function dropRedundantQueryParsers(client: PGlite, known: ParserOptions) {
  Object.assign(client.parsers, known);
  // Drizzle's parsers return the text they are given; one that does anything else is kept.
  const PROBE = '\u0000drizzle-text-probe';
  const served = (type: string, asked: (text: string, typeId: number) => unknown) => {
    const own = known[type as unknown as number];
    return own !== undefined && client.parsers[type] === own && asked(PROBE, Number(type)) === PROBE;
  };
  const trim = (options?: QueryOptions): QueryOptions | undefined => {
    if (!options?.parsers) return options;
    for (const type in options.parsers) if (!served(type, options.parsers[type as unknown as number])) return options;
    return { ...options, parsers: undefined };
  };
  const query = client.query.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (q, params, options) => query(q, params, trim(options));
  client.transaction = (callback) =>
    transaction((tx) => {
      const txQuery: Transaction['query'] = (q, params, options) => tx.query(q, params, trim(options));
      return callback(Object.create(tx, { query: { value: txQuery } }) as Transaction);
    });
}

async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/**
 * One of something per database, made on first use and dropped with it: a cache or a batch writer
 * that module-level code keeps for whichever database its callers pass.
 */
export function perDatabase<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = make(db)));
    return value;
  };
}

/** Rows of a raw query, whichever driver ran it (PGlite returns {rows}, postgres.js an array). */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res: any = await db.execute(query);
  return (Array.isArray(res) ? res : res.rows) as T[];
}
