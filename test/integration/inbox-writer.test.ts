/**
 * The webhook inbox's group commit on the run's real database (PGlite, or PostgreSQL where Drizzle wraps
 * the driver's error): a row the database refuses fails only its own caller, the rest of the batch is
 * stored; and the 500 it becomes logs the database's error, never the batch's parameters.
 */
import crypto from 'node:crypto';
import { inArray } from 'drizzle-orm';
import pino from 'pino';
import { createTestDatabase } from '../helpers/db';
import type { Database } from '../../shared/db/client';
import { webhookInbox } from '../../shared/db/schema';
import type { NewInboxEvent } from '../../shared/db/queries/inbox';
import { InboxWriter } from '../../bot/webhook/inbox-writer';
import { isRowDataError, sqlState } from '../../shared/db/group-commit';
import { toHttpError } from '../../shared/http/error-handler';

const event = (text: string): NewInboxEvent => {
  const msgId = crypto.randomBytes(8).toString('hex');
  return { dedupeKey: `m:${msgId}`, eventName: 'user_send_text', zaloUserId: '7100000000000000042', payload: { message: { msg_id: msgId, text } } };
};

describe('inbox writer on the real database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('a refused row fails only its caller; the others in its batch are stored', async () => {
    const writer = new InboxWriter(database.db);
    const good = [event('hỏi về BHXH 0912345678'), event('hdld het han')];
    const bad = { ...event('dòng lỗi'), dedupeKey: null as unknown as string };
    const results = await Promise.allSettled([writer.write(good[0]), writer.write(bad), writer.write(good[1])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (results[1] as PromiseRejectedResult).reason;
    expect(sqlState(refused)).toBe('23502');
    expect(isRowDataError(refused)).toBe(true);
    const stored = await database.db.select().from(webhookInbox).where(inArray(webhookInbox.dedupeKey, good.map((g) => g.dedupeKey)));
    expect(stored).toHaveLength(2);

    // The refusal as the webhook answers it: a 500 whose log line has the database's error, not the batch.
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => void lines.push(l) });
    const answer = toHttpError(refused, logger, { method: 'POST', path: '/webhook/zalo' });
    expect(answer.status).toBe(500);
    expect(lines.join('\n')).toMatch(/null value|not-null|23502/);
    expect(lines.join('\n')).not.toContain('dòng lỗi');
    expect(lines.join('\n')).not.toContain('7100000000000000042');
  });
});
