/** Webhook inbox: events stored once by dedupe key, then claimed and processed by any process. */
import { and, eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { queryRows } from '../client';
import { toJsonParam } from '../json-param';
import { pglitePrepared } from '../pglite-prepared';
import { webhookInbox } from '../schema';

export type InboxRow = typeof webhookInbox.$inferSelect;

export interface NewInboxEvent {
  dedupeKey: string;
  eventName: string;
  zaloUserId: string | null;
  payload: Record<string, unknown>;
  status?: 'pending' | 'ignored';
}

/** The batch travels as one JSON parameter under a constant statement (no query building per batch). */
const insertBatch = (batch: string) =>
  sql`insert into webhook_inbox (dedupe_key, event_name, zalo_user_id, payload, status)
      select k, n, u, p, s from jsonb_to_recordset(${batch}::jsonb) as x(k text, n text, u text, p jsonb, s text)
      on conflict (dedupe_key) do nothing
      returning dedupe_key`;

/**
 * The webhook's hot path: a multi-row insert that returns the dedupe keys that were new (known keys are
 * skipped). On PostgreSQL postgres.js prepares it once per connection; on PGlite it runs as a named
 * prepared statement (shared/db/pglite-prepared.ts), which spares Postgres parsing and planning it for
 * every batch.
 */
export function inboxInserter(db: Db): (events: NewInboxEvent[]) => Promise<string[]> {
  const prepared = pglitePrepared(db, 'congdoan_inbox_insert', new PgDialect().sqlToQuery(insertBatch('')).sql);
  return async (events) => {
    if (!events.length) return [];
    const batch = toJsonParam(
      events.map((e) => ({ k: e.dedupeKey, n: e.eventName, u: e.zaloUserId, p: e.payload, s: e.status ?? 'pending' })),
    );
    if (prepared) return (await prepared([batch])).map((row) => String(row[0]));
    return (await queryRows<{ dedupe_key: string }>(db, insertBatch(batch))).map((r) => r.dedupe_key);
  };
}

/**
 * Claims up to `limit` due events (oldest first), leasing them for `leaseMs`. SKIP LOCKED lets several
 * processes claim disjoint batches; an expired lease (crashed process) makes the event due again.
 */
export async function claimInboxEvents(db: Db, limit: number, leaseMs: number): Promise<InboxRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update webhook_inbox set locked_until = now() + (${leaseMs} * interval '1 millisecond'), attempts = attempts + 1
        where id in (
          select id from webhook_inbox
          where status = 'pending' and next_attempt_at <= now() and (locked_until is null or locked_until < now())
          order by id limit ${limit} for update skip locked)
        returning id, dedupe_key, event_name, zalo_user_id, payload, attempts`,
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      dedupeKey: String(r.dedupe_key),
      eventName: String(r.event_name),
      zaloUserId: (r.zalo_user_id as string | null) ?? null,
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
      attempts: Number(r.attempts),
    }))
    .sort((a, b) => a.id - b.id) as InboxRow[];
}

export async function markInboxDone(db: Db, id: number): Promise<void> {
  await db.update(webhookInbox).set({ status: 'done', processedAt: new Date(), lockedUntil: null, error: null }).where(eq(webhookInbox.id, id));
}

export async function markInboxRetry(db: Db, id: number, error: string, delayMs: number): Promise<void> {
  await db
    .update(webhookInbox)
    .set({ lockedUntil: null, error, nextAttemptAt: sql`now() + (${delayMs} * interval '1 millisecond')` })
    .where(eq(webhookInbox.id, id));
}

export async function markInboxFailed(db: Db, id: number, error: string): Promise<void> {
  await db.update(webhookInbox).set({ status: 'failed', lockedUntil: null, error, processedAt: new Date() }).where(eq(webhookInbox.id, id));
}

export async function countInbox(db: Db, status: InboxRow['status']): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(webhookInbox).where(and(eq(webhookInbox.status, status)));
  return Number(r.n);
}
