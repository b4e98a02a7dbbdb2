/**
 * The embedded database's client: Drizzle's per-query type parsers are served by the PGlite client
 * itself (PGlite would otherwise copy its ~320-entry parser table on every statement), and what comes
 * back is unchanged: timestamps, dates, intervals and their arrays stay the server's text, inside and
 * outside transactions.
 */
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { createPgliteTestDatabase } from '../helpers/db';
import { drizzleTypeParsers, queryRows, type Database } from '../../shared/db/client';
import { branches } from '../../shared/db/schema';
import { makeBranch } from '../factories';

const TYPES_QUERY = sql`select timestamptz '2026-11-29 10:00:00+00' as at, timestamp '2026-11-29 10:00:00' as local_at,
  date '2026-11-29' as day, interval '90 minutes' as span, array[date '2026-01-01', date '2026-01-02'] as days,
  array[1.50, 2.25]::numeric[] as amounts, 42::int as n, '{"a":1}'::jsonb as doc`;

const EXPECTED = {
  at: '2026-11-29 10:00:00+00',
  local_at: '2026-11-29 10:00:00',
  day: '2026-11-29',
  span: '01:30:00',
  days: '{2026-01-01,2026-01-02}',
  amounts: '{1.50,2.25}',
  n: 42,
  doc: { a: 1 },
};

describe('PGlite client under Drizzle', () => {
  let database: Database;
  let seen: (QueryOptions | undefined)[];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    seen = [];
    const original = PGlite.prototype.query;
    spy = jest.spyOn(PGlite.prototype, 'query').mockImplementation(function (this: PGlite, query, params, options) {
      seen.push(options);
      return original.call(this, query, params, options) as never;
    });
    database = await createPgliteTestDatabase();
  });
  afterAll(async () => {
    spy.mockRestore();
    await database.close();
  });

  it('keeps date and time values as the server text, outside and inside a transaction', async () => {
    expect((await queryRows(database.db, TYPES_QUERY))[0]).toEqual(EXPECTED);
    const inTx = await database.db.transaction(async (tx) => (await tx.execute(TYPES_QUERY)) as unknown as { rows: unknown[] });
    expect(inTx.rows[0]).toEqual(EXPECTED);
  });

  it('reads a timestamp column through the query builder as the same instant it wrote', async () => {
    const b = await makeBranch(database.db, { code: 'PGC' });
    const [row] = await database.db.select({ createdAt: branches.createdAt }).from(branches).where(eq(branches.id, b.id));
    const [{ text }] = await queryRows<{ text: string }>(database.db, sql`select created_at::text as text from branches where id = ${b.id}`);
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(row.createdAt.getTime()).toBe(new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')).getTime());
  });

  it('sends Drizzle queries to PGlite without a per-query parser table', async () => {
    seen.length = 0;
    await queryRows(database.db, sql`select 1 as one`);
    await database.db.select({ id: branches.id }).from(branches).limit(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const options of seen) expect(options?.parsers).toBeUndefined();
  });

  it('keeps a query’s own parsers when it asks for a type the client does not cover', async () => {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const res = await client.query<{ n: string }>('select 7::int as n', [], { parsers: { 23: (v: string) => `int:${v}` } });
    expect(res.rows[0].n).toBe('int:7');
  });

  it('honours a query’s own parser that does more than keep the text, for a type the client keeps as text', async () => {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const res = await client.query<{ at: Date }>(`select timestamptz '2026-11-29 10:00:00+00' as at`, [], { parsers: { 1184: (v: string) => new Date(v) } });
    expect(res.rows[0].at).toEqual(new Date('2026-11-29T10:00:00Z'));
  });

  it('covers exactly the types this Drizzle keeps as text, each kept as the text it is given', async () => {
    // Drizzle's per-query options, read off its own prepared query (both row modes).
    const { PglitePreparedQuery } = await import('drizzle-orm/pglite/session');
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const prepared = new PglitePreparedQuery(client, 'select 1', [], { logQuery: () => {} }, undefined as never, undefined, undefined, undefined, undefined, false) as unknown as {
      rawQueryConfig: QueryOptions;
      queryConfig: QueryOptions;
    };
    const ours = Object.keys(await drizzleTypeParsers()).sort();
    for (const config of [prepared.rawQueryConfig, prepared.queryConfig]) {
      expect(Object.keys(config.parsers ?? {}).sort()).toEqual(ours);
      for (const parse of Object.values(config.parsers ?? {})) expect(parse('2026-11-29', 0)).toBe('2026-11-29');
    }
  });

  it('still answers as Drizzle asks after PGlite rebuilds its array parsers', async () => {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    await client.refreshArrayTypes();
    expect((await queryRows(database.db, TYPES_QUERY))[0]).toEqual(EXPECTED);
  });
});
