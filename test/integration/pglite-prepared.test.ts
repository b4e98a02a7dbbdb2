/**
 * The webhook inbox insert as a named prepared statement on PGlite: same rows as the plain statement,
 * prepared once per database, transparent when the statement is lost, a failed batch leaves it usable,
 * and it never slips into (or out of) another caller's transaction.
 */
import crypto from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { createPgliteTestDatabase } from '../helpers/db';
import { queryRows, type Database } from '../../shared/db/client';
import { inboxInserter, type NewInboxEvent } from '../../shared/db/queries/inbox';
import { webhookInbox } from '../../shared/db/schema';
import { pglitePrepared } from '../../shared/db/pglite-prepared';

const event = (text = 'lương tối thiểu vùng 1'): NewInboxEvent => {
  const msgId = crypto.randomBytes(8).toString('hex');
  return {
    dedupeKey: `m:${msgId}`,
    eventName: 'user_send_text',
    zaloUserId: `71${crypto.randomInt(1e9, 9e9)}`,
    payload: { event_name: 'user_send_text', message: { msg_id: msgId, text } },
  };
};

const preparedCount = async (database: Database) =>
  (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_prepared_statements where name = 'congdoan_inbox_insert'`))[0].n;

describe('inbox insert on PGlite (named prepared statement)', () => {
  let database: Database;
  beforeEach(async () => {
    database = await createPgliteTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('stores the rows the plain statement would, returns only new keys, and prepares once per database', async () => {
    const insert = inboxInserter(database.db);
    const [a, b] = [event('có dấu: hợp đồng lao động'), event('khong dau hdld')];
    expect(await insert([a, b])).toEqual([a.dedupeKey, b.dedupeKey]);
    // A redelivery and a new event in one batch: only the new one comes back.
    const c = event();
    expect(await insert([a, c])).toEqual([c.dedupeKey]);
    // A second writer on the same database (a second app in one process) shares the statement.
    expect(await inboxInserter(database.db)([event()])).toHaveLength(1);
    expect(await preparedCount(database)).toBe(1);

    const rows = await database.db.select().from(webhookInbox).where(inArray(webhookInbox.dedupeKey, [a.dedupeKey, b.dedupeKey, c.dedupeKey]));
    expect(rows).toHaveLength(3);
    const stored = rows.find((r) => r.dedupeKey === a.dedupeKey)!;
    expect(stored).toMatchObject({ eventName: 'user_send_text', zaloUserId: a.zaloUserId, payload: a.payload, status: 'pending', attempts: 0 });
  });

  it('prepares again when the statement was dropped, and a refused batch leaves it usable', async () => {
    const insert = inboxInserter(database.db);
    await insert([event()]);
    await database.db.execute(sql`deallocate congdoan_inbox_insert`);
    expect(await insert([event()])).toHaveLength(1);

    const bad = { ...event(), dedupeKey: null as unknown as string };
    await expect(insert([bad])).rejects.toMatchObject({ code: '23502' });
    expect(await insert([event()])).toHaveLength(1);
  });

  it('a first run refused after its Parse still leaves the statement prepared (no "already exists" next time)', async () => {
    // Text that is not JSON fails at Bind, after Parse has created the statement.
    const parse = pglitePrepared(database.db, 'test_json_echo', 'select $1::jsonb as doc')!;
    await expect(parse(['không phải JSON'])).rejects.toMatchObject({ code: '22P02' });
    expect(await parse(['{"a": 1}'])).toEqual([['{"a": 1}']]);
    const n = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_prepared_statements where name = 'test_json_echo'`);
    expect(n[0].n).toBe(1);
    // On PostgreSQL there is nothing to do: postgres.js prepares its statements itself.
    expect(pglitePrepared({} as Database['db'], 'x', 'select 1')).toBeUndefined();
  });

  it('waits for an open transaction and is not undone by its rollback', async () => {
    const insert = inboxInserter(database.db);
    const inTx = event();
    const outside = event();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    const order: string[] = [];
    const tx = database.db
      .transaction(async (t) => {
        await t.insert(webhookInbox).values(inTx);
        opened();
        await held;
        order.push('transaction ends');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await isOpen;
    const written = insert([outside]).then((keys) => {
      order.push('insert done');
      return keys;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    release();
    await tx;
    expect(await written).toEqual([outside.dedupeKey]);
    expect(order).toEqual(['transaction ends', 'insert done']);
    expect(await database.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, outside.dedupeKey))).toHaveLength(1);
    expect(await database.db.select().from(webhookInbox).where(eq(webhookInbox.dedupeKey, inTx.dedupeKey))).toHaveLength(0);
  });
});
