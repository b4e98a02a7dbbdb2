/**
 * Broadcasts and their delivery ledger. The delivery rows are the truth: a row moves
 * pending → sending (claimed by exactly one worker, conditional UPDATE) → sent | failed, or is
 * skipped (not reachable at snapshot time, or cancelled). Queue jobs only carry delivery ids, so
 * everything here is safe to repeat after a crash or a lost queue.
 */
import { and, desc, eq, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { queryRows } from '../client';
import {
  branches,
  broadcastDeliveries,
  broadcasts,
  members,
  type BroadcastMessage,
  type BroadcastSegment,
  type BroadcastStatus,
  type DeliveryStatus,
} from '../schema';
import { getSubtreeIds } from './branches';

export type Broadcast = typeof broadcasts.$inferSelect;
export type Delivery = typeof broadcastDeliveries.$inferSelect;

/** Why a member got a `skipped` row (Vietnamese: officers read them in the delivery list). */
export const SKIP_REASONS = {
  noZalo: 'Chưa liên kết tài khoản Zalo',
  unfollowed: 'Đã bỏ quan tâm (unfollow) OA',
  suspended: 'Đoàn viên đang tạm dừng sinh hoạt',
  left: 'Đoàn viên đã chuyển đi / thôi sinh hoạt',
  cancelled: 'Đã hủy gửi',
} as const;

const num = (v: unknown) => Number(v ?? 0);

// ---------------------------------------------------------------------------------------------
// Segments

/**
 * The members a segment names, inside `scopeIds` (the broadcast's branch subtree): members of the
 * listed branches (with their sub-branches) plus the listed member codes; with neither, everyone in
 * scope who has a Zalo id. `linkedOnly` drops members without a Zalo id instead of listing them as skipped.
 */
export async function segmentFilter(db: Db, scopeIds: number[], segment: BroadcastSegment): Promise<SQL> {
  const inScope = inArray(members.branchId, scopeIds);
  const codes = segment.branchCodes ?? [];
  const memberCodes = segment.memberCodes ?? [];
  if (codes.length === 0 && memberCodes.length === 0) return and(inScope, isNotNull(members.zaloUserId))!;
  const scope = new Set(scopeIds);
  const branchIds = new Set<number>();
  for (const code of codes) {
    const [b] = await db.select({ id: branches.id }).from(branches).where(eq(branches.code, code));
    if (!b || !scope.has(b.id)) continue;
    for (const id of await getSubtreeIds(db, b.id)) if (scope.has(id)) branchIds.add(id);
  }
  const named = or(inArray(members.branchId, [...branchIds]), inArray(members.memberCode, memberCodes))!;
  return segment.linkedOnly ? and(inScope, named, isNotNull(members.zaloUserId))! : and(inScope, named)!;
}

/** How many members the segment resolves to now (skipped ones included). */
export async function countSegment(db: Db, branchId: number, segment: BroadcastSegment): Promise<number> {
  const where = await segmentFilter(db, await getSubtreeIds(db, branchId), segment);
  const [r] = await db.select({ n: sql<number>`count(*)` }).from(members).where(where);
  return num(r?.n);
}

/** Branch codes of the list that are unknown or outside the scope (one message for both: no probing). */
export async function findBranchCodesOutside(db: Db, codes: string[], scopeIds: number[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .select({ code: branches.code })
    .from(branches)
    .where(and(inArray(branches.code, codes), inArray(branches.id, scopeIds)));
  const ok = new Set(rows.map((r) => r.code));
  return codes.filter((c) => !ok.has(c));
}

/** Member codes of the list that are unknown or outside the scope. */
export async function findMemberCodesOutside(db: Db, codes: string[], scopeIds: number[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const ok = new Set<string>();
  for (let i = 0; i < codes.length; i += 1000) {
    const rows = await db
      .select({ code: members.memberCode })
      .from(members)
      .where(and(inArray(members.memberCode, codes.slice(i, i + 1000)), inArray(members.branchId, scopeIds)));
    for (const r of rows) ok.add(r.code);
  }
  return codes.filter((c) => !ok.has(c));
}

// ---------------------------------------------------------------------------------------------
// Broadcast rows

export async function createBroadcast(
  db: Db,
  b: {
    branchId: number;
    segment: BroadcastSegment;
    message: BroadcastMessage;
    scheduledAt: Date | null;
    announcementId: number | null;
    createdByOfficerId: number;
    total: number;
  },
): Promise<Broadcast> {
  const [row] = await db
    .insert(broadcasts)
    .values({ ...b, status: b.scheduledAt ? 'scheduled' : 'draft' })
    .returning();
  return row;
}

export async function getBroadcastInScope(db: Db, id: number, scopeIds: number[]): Promise<Broadcast | undefined> {
  const [b] = await db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.id, id), inArray(broadcasts.branchId, scopeIds)));
  return b;
}

export async function getBroadcast(db: Db, id: number): Promise<Broadcast | undefined> {
  const [b] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
  return b;
}

export async function listBroadcasts(
  db: Db,
  scopeIds: number[],
  o: { status?: BroadcastStatus; limit: number; offset: number },
): Promise<{ items: Broadcast[]; total: number }> {
  const where = o.status
    ? and(inArray(broadcasts.branchId, scopeIds), eq(broadcasts.status, o.status))
    : inArray(broadcasts.branchId, scopeIds);
  const items = await db.select().from(broadcasts).where(where).orderBy(desc(broadcasts.id)).limit(o.limit).offset(o.offset);
  const [c] = await db.select({ n: sql<number>`count(*)` }).from(broadcasts).where(where);
  return { items, total: num(c?.n) };
}

/**
 * Starts a broadcast: flips it to `sending` (only from `draft`/`scheduled`; the scheduler also
 * requires scheduled_at ≤ now, so one process wins) and snapshots its recipients with one
 * INSERT … SELECT, in one transaction. Unreachable members become `skipped` rows with the reason.
 * Returns null when another caller already started it (or it is not startable).
 */
export async function startBroadcast(
  db: Db,
  id: number,
  o: { scheduledBefore?: Date } = {},
): Promise<{ broadcast: Broadcast; total: number; pending: number } | null> {
  return db.transaction(async (tx) => {
    const cond = o.scheduledBefore
      ? and(eq(broadcasts.id, id), eq(broadcasts.status, 'scheduled'), lte(broadcasts.scheduledAt, o.scheduledBefore))
      : and(eq(broadcasts.id, id), inArray(broadcasts.status, ['draft', 'scheduled']));
    const [b] = await tx
      .update(broadcasts)
      .set({ status: 'sending', startedAt: sql`now()`, updatedAt: sql`now()` })
      .where(cond)
      .returning();
    if (!b) return null;
    const tdb = tx as unknown as Db;
    const where = await segmentFilter(tdb, await getSubtreeIds(tdb, b.branchId), b.segment);
    const [counts] = await queryRows<{ total: number; pending: number }>(
      tdb,
      sql`with ins as (
            insert into broadcast_deliveries (broadcast_id, member_id, zalo_user_id, status, last_error)
            select ${b.id}::int, ${members.id}, ${members.zaloUserId},
              case when ${members.status} <> 'active' or ${members.zaloUserId} is null or ${members.unfollowedAt} is not null
                   then 'skipped' else 'pending' end,
              case when ${members.status} = 'suspended' then ${SKIP_REASONS.suspended}::text
                   when ${members.status} <> 'active' then ${SKIP_REASONS.left}::text
                   when ${members.zaloUserId} is null then ${SKIP_REASONS.noZalo}::text
                   when ${members.unfollowedAt} is not null then ${SKIP_REASONS.unfollowed}::text end
            from ${members} where ${where}
            order by ${members.id}
            on conflict do nothing
            returning status)
          select count(*)::int as total, (count(*) filter (where status = 'pending'))::int as pending from ins`,
    );
    const total = num(counts?.total);
    const pending = num(counts?.pending);
    const [updated] = await tx
      .update(broadcasts)
      .set(pending === 0 ? { total, status: 'done', finishedAt: sql`now()` } : { total })
      .where(eq(broadcasts.id, b.id))
      .returning();
    return { broadcast: updated, total, pending };
  });
}

/** Broadcasts whose time has come (the scheduler then races for each with startBroadcast). */
export async function listDueScheduledIds(db: Db, now: Date, limit = 20): Promise<number[]> {
  const rows = await db
    .select({ id: broadcasts.id })
    .from(broadcasts)
    .where(and(eq(broadcasts.status, 'scheduled'), lte(broadcasts.scheduledAt, now)))
    .orderBy(broadcasts.scheduledAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Sending broadcasts, and whether each was touched (started, being enqueued) within `quietMs`. */
export async function listSendingBroadcasts(db: Db, quietMs: number): Promise<{ id: number; busy: boolean }[]> {
  const rows = await db
    .select({ id: broadcasts.id, busy: sql<boolean>`${broadcasts.updatedAt} > now() - (${quietMs} * interval '1 millisecond')` })
    .from(broadcasts)
    .where(eq(broadcasts.status, 'sending'));
  return rows.map((r) => ({ id: r.id, busy: r.busy === true || (r.busy as unknown) === 't' }));
}

/** Marks the broadcast as being worked on (the enqueuer calls it per batch; the sweep then leaves it alone). */
export async function touchBroadcast(db: Db, id: number): Promise<void> {
  await db.update(broadcasts).set({ updatedAt: sql`now()` }).where(eq(broadcasts.id, id));
}

/**
 * Cancels a broadcast that has not finished: pending rows become `skipped` (reason cancelled).
 * Rows already claimed by a worker finish their one send. Returns false when it was not cancellable.
 */
export async function cancelBroadcast(db: Db, id: number): Promise<{ cancelled: boolean; skipped: number }> {
  return db.transaction(async (tx) => {
    const [b] = await tx
      .update(broadcasts)
      .set({ status: 'cancelled', finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(broadcasts.id, id), inArray(broadcasts.status, ['draft', 'scheduled', 'sending'])))
      .returning({ id: broadcasts.id });
    if (!b) return { cancelled: false, skipped: 0 };
    const rows = await tx
      .update(broadcastDeliveries)
      .set({ status: 'skipped', lastError: SKIP_REASONS.cancelled, updatedAt: sql`now()` })
      .where(and(eq(broadcastDeliveries.broadcastId, id), eq(broadcastDeliveries.status, 'pending')))
      .returning({ id: broadcastDeliveries.id });
    return { cancelled: true, skipped: rows.length };
  });
}

/** Failed rows back to pending and the broadcast back to sending. Returns how many rows will be resent. */
export async function requeueFailedDeliveries(db: Db, id: number): Promise<number> {
  return db.transaction(async (tx) => {
    const [b] = await tx
      .select({ status: broadcasts.status })
      .from(broadcasts)
      .where(eq(broadcasts.id, id))
      .for('update');
    if (!b || (b.status !== 'done' && b.status !== 'sending')) return 0;
    const rows = await tx
      .update(broadcastDeliveries)
      .set({ status: 'pending', updatedAt: sql`now()` })
      .where(and(eq(broadcastDeliveries.broadcastId, id), eq(broadcastDeliveries.status, 'failed')))
      .returning({ id: broadcastDeliveries.id });
    if (rows.length > 0) {
      await tx
        .update(broadcasts)
        .set({ status: 'sending', finishedAt: null, updatedAt: sql`now()` })
        .where(eq(broadcasts.id, id));
    }
    return rows.length;
  });
}

/** `sending` → `done` once no row is pending or being sent. Safe to call from anywhere, any time. */
export async function finishBroadcastIfComplete(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .update(broadcasts)
    .set({ status: 'done', finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(broadcasts.id, id),
        eq(broadcasts.status, 'sending'),
        sql`not exists (select 1 from ${broadcastDeliveries} where ${broadcastDeliveries.broadcastId} = ${id}
              and ${broadcastDeliveries.status} in ('pending', 'sending'))`,
      ),
    )
    .returning({ id: broadcasts.id });
  return rows.length === 1;
}

// ---------------------------------------------------------------------------------------------
// Delivery rows

export interface ClaimedDelivery {
  id: number;
  broadcastId: number;
  zaloUserId: string;
  /** The row's claim counter after this claim: the token that later updates must match. */
  attempts: number;
  message: BroadcastMessage;
  fullName: string;
  memberCode: string;
}

/**
 * Claims pending rows of broadcasts that are still sending: pending → sending with one conditional
 * UPDATE, so of two workers holding the same id only one gets the row. Several ids per statement
 * (the worker groups the jobs that start together); the rows not returned were not claimable.
 */
export async function claimDeliveries(db: Db, ids: number[]): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update broadcast_deliveries d
          set status = 'sending', claimed_at = now(), attempts = d.attempts + 1, updated_at = now()
        from broadcasts b, members m
        where d.id in ${ids} and d.status = 'pending' and b.id = d.broadcast_id and b.status = 'sending'
          and m.id = d.member_id and d.zalo_user_id is not null
        returning d.id, d.broadcast_id, d.zalo_user_id, d.attempts, b.message, m.full_name, m.member_code`,
  );
  return rows.map((r) => ({
    id: num(r.id),
    broadcastId: num(r.broadcast_id),
    zaloUserId: String(r.zalo_user_id),
    attempts: num(r.attempts),
    message: (typeof r.message === 'string' ? JSON.parse(r.message) : r.message) as BroadcastMessage,
    fullName: String(r.full_name),
    memberCode: String(r.member_code),
  }));
}

export async function claimDelivery(db: Db, deliveryId: number): Promise<ClaimedDelivery | null> {
  return (await claimDeliveries(db, [deliveryId]))[0] ?? null;
}

/**
 * Claimed rows were delivered (`attempts` is each row's claim token from the claim), several per
 * statement. Returns the rows updated and the broadcasts that may be finishing (few other open
 * rows): the caller then runs finishBroadcastIfComplete for those, so the busy middle of a run
 * costs no extra query.
 */
export async function markDeliveriesSent(
  db: Db,
  items: { id: number; attempts: number; zaloMessageId: string }[],
): Promise<{ updated: Set<number>; nearlyDone: Set<number> }> {
  if (items.length === 0) return { updated: new Set(), nearlyDone: new Set() };
  const values = sql.join(
    items.map((i) => sql`(${i.id}::int, ${i.attempts}::int, ${i.zaloMessageId || null}::text)`),
    sql`, `,
  );
  const rows = await queryRows<{ id: number | null; broadcast_id: number; open: number | null }>(
    db,
    sql`with upd as (
          update broadcast_deliveries d
            set status = 'sent', sent_at = now(), zalo_message_id = v.mid, last_error_code = null, last_error = null,
                updated_at = now()
          from (values ${values}) as v(id, attempts, mid)
          where d.id = v.id and d.status = 'sending' and d.attempts = v.attempts
          returning d.id, d.broadcast_id)
        select id, broadcast_id, null::int as open from upd
        union all
        select null, u.broadcast_id,
          (select count(*)::int from (select 1 from broadcast_deliveries o
             where o.broadcast_id = u.broadcast_id and o.status in ('pending', 'sending') limit ${NEARLY_DONE}) x)
        from (select distinct broadcast_id from upd) u`,
  );
  const updated = new Set<number>();
  const nearlyDone = new Set<number>();
  for (const r of rows) {
    if (r.id !== null) updated.add(num(r.id));
    // The count still sees this statement's own rows as sending (same snapshot): allow for them.
    else if (num(r.open) < NEARLY_DONE) nearlyDone.add(num(r.broadcast_id));
  }
  return { updated, nearlyDone };
}

/** Below this many other open rows a finishing delivery checks whether the broadcast is done. */
const NEARLY_DONE = 200;

/**
 * Gives up on a row: `failed` with Zalo's code and a Vietnamese reason. With a claim token only the
 * claimer's row is touched; without one (final-failure callback) any pending/sending row is.
 */
export async function markDeliveryFailed(
  db: Db,
  id: number,
  f: { code: string | null; reason: string; attempts?: number },
): Promise<boolean> {
  const claimed =
    f.attempts === undefined
      ? inArray(broadcastDeliveries.status, ['pending', 'sending'])
      : and(eq(broadcastDeliveries.status, 'sending'), eq(broadcastDeliveries.attempts, f.attempts));
  const rows = await db
    .update(broadcastDeliveries)
    .set({ status: 'failed', lastErrorCode: f.code, lastError: f.reason.slice(0, 500), updatedAt: sql`now()` })
    .where(and(eq(broadcastDeliveries.id, id), claimed))
    .returning({ id: broadcastDeliveries.id });
  return rows.length === 1;
}

/**
 * Hands a claimed row back for a later try (sending → pending), noting the error; `refund` un-counts
 * the claim (rate limiting is not the recipient's fault). A cancelled broadcast's row becomes skipped.
 */
export async function releaseDelivery(
  db: Db,
  id: number,
  attempts: number,
  f: { code: string | null; reason: string; refund?: boolean },
): Promise<void> {
  await queryRows(
    db,
    sql`update broadcast_deliveries d
          set status = case when b.status = 'cancelled' then 'skipped' else 'pending' end,
              last_error = case when b.status = 'cancelled' then ${SKIP_REASONS.cancelled} else ${f.reason.slice(0, 500)} end,
              last_error_code = ${f.code},
              attempts = d.attempts - ${f.refund ? 1 : 0},
              updated_at = now()
        from broadcasts b
        where d.id = ${id} and d.status = 'sending' and d.attempts = ${attempts} and b.id = d.broadcast_id`,
  );
}

/** Next keyset batch of a broadcast's rows in one status (id order), for enqueueing or removing jobs. */
export async function listDeliveryIdsAfter(
  db: Db,
  broadcastId: number,
  status: DeliveryStatus,
  afterId: number,
  limit: number,
): Promise<{ id: number; memberId: number }[]> {
  return db
    .select({ id: broadcastDeliveries.id, memberId: broadcastDeliveries.memberId })
    .from(broadcastDeliveries)
    .where(
      and(
        eq(broadcastDeliveries.broadcastId, broadcastId),
        eq(broadcastDeliveries.status, status),
        sql`${broadcastDeliveries.id} > ${afterId}`,
      ),
    )
    .orderBy(broadcastDeliveries.id)
    .limit(limit);
}

/**
 * Rows claimed longer ago than the lease by a worker that never finished (crash, kill): back to
 * pending so they are sent again. At most one send per such row can be a duplicate.
 */
export async function resetStaleDeliveries(
  db: Db,
  leaseMs: number,
): Promise<{ id: number; broadcastId: number; memberId: number }[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update broadcast_deliveries d set status = 'pending', updated_at = now()
        from broadcasts b
        where b.status = 'sending' and d.broadcast_id = b.id and d.status = 'sending'
          and d.claimed_at < now() - (${leaseMs} * interval '1 millisecond')
        returning d.id, d.broadcast_id, d.member_id`,
  );
  return rows.map((r) => ({ id: num(r.id), broadcastId: num(r.broadcast_id), memberId: num(r.member_id) }));
}

/** Pending rows left behind by a cancel that raced a worker's release: skipped. */
export async function skipPendingOfCancelled(db: Db): Promise<number> {
  const rows = await queryRows(
    db,
    sql`update broadcast_deliveries d set status = 'skipped', last_error = ${SKIP_REASONS.cancelled}, updated_at = now()
        from broadcasts b
        where b.status = 'cancelled' and d.broadcast_id = b.id and d.status = 'pending'
        returning d.id`,
  );
  return rows.length;
}

/** Rows that still need a job (pending) or hold one (sending), over all sending broadcasts. */
export async function countOpenDeliveries(db: Db): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from broadcast_deliveries d join broadcasts b on b.id = d.broadcast_id
        where b.status = 'sending' and d.status in ('pending', 'sending')`,
  );
  return num(r?.n);
}

export type DeliveryCounts = Record<DeliveryStatus, number>;

export async function countDeliveries(db: Db, broadcastId: number): Promise<DeliveryCounts> {
  const rows = await db
    .select({ status: broadcastDeliveries.status, n: sql<number>`count(*)` })
    .from(broadcastDeliveries)
    .where(eq(broadcastDeliveries.broadcastId, broadcastId))
    .groupBy(broadcastDeliveries.status);
  const c: DeliveryCounts = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) c[r.status] = num(r.n);
  return c;
}

/** A broadcast's state and its recipients' outcomes, as the console shows them (broadcast page, poll's last send). */
export interface BroadcastProgress {
  id: number;
  status: BroadcastStatus;
  startedAt: Date | null;
  createdAt: Date;
  /** Once snapshotted, the ledger's row count; before (draft, scheduled), the segment count taken at creation. */
  total: number;
  sent: number;
  failed: number;
  /** Not finished yet: waiting for a worker plus being sent now. */
  pending: number;
  /** Being sent now (claimed by a worker). */
  inFlight: number;
  skipped: number;
}

/** Progress of several broadcasts with one grouped query, by id (ids that do not exist are absent). */
export async function broadcastProgress(db: Db, broadcastIds: readonly number[]): Promise<Map<number, BroadcastProgress>> {
  const ids = [...new Set(broadcastIds)];
  const out = new Map<number, BroadcastProgress>();
  if (ids.length === 0) return out;
  const d = broadcastDeliveries;
  const n = (status: DeliveryStatus) => sql<number>`(count(${d.id}) filter (where ${d.status} = ${status}))::int`;
  const rows = await db
    .select({
      id: broadcasts.id,
      status: broadcasts.status,
      startedAt: broadcasts.startedAt,
      createdAt: broadcasts.createdAt,
      total: broadcasts.total,
      rows: sql<number>`count(${d.id})::int`,
      pending: n('pending'),
      sending: n('sending'),
      sent: n('sent'),
      failed: n('failed'),
      skipped: n('skipped'),
    })
    .from(broadcasts)
    .leftJoin(d, eq(d.broadcastId, broadcasts.id))
    .where(inArray(broadcasts.id, ids))
    .groupBy(broadcasts.id);
  for (const r of rows) {
    const snapshotted = r.status !== 'draft' && r.status !== 'scheduled';
    out.set(r.id, {
      id: r.id,
      status: r.status,
      startedAt: r.startedAt,
      createdAt: r.createdAt,
      total: snapshotted ? num(r.rows) : r.total,
      sent: num(r.sent),
      failed: num(r.failed),
      pending: num(r.pending) + num(r.sending),
      inFlight: num(r.sending),
      skipped: num(r.skipped),
    });
  }
  return out;
}

/** Sends in the last `windowSec` seconds and the seconds actually covered (for rate and ETA). */
export async function recentSends(db: Db, broadcastId: number, windowSec: number): Promise<{ n: number; spanSec: number }> {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`select count(*)::int as n,
               extract(epoch from (now() - min(sent_at)))::float8 as span
        from broadcast_deliveries
        where broadcast_id = ${broadcastId} and sent_at > now() - (${windowSec} * interval '1 second')`,
  );
  const span = Math.min(windowSec, Math.max(1, Number(r?.span ?? windowSec)));
  return { n: num(r?.n), spanSec: span };
}

export async function listDeliveries(
  db: Db,
  broadcastId: number,
  o: { status?: DeliveryStatus; limit: number; offset: number },
) {
  const where = o.status
    ? and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.status, o.status))
    : eq(broadcastDeliveries.broadcastId, broadcastId);
  const items = await db
    .select({
      id: broadcastDeliveries.id,
      memberId: broadcastDeliveries.memberId,
      memberCode: members.memberCode,
      fullName: members.fullName,
      status: broadcastDeliveries.status,
      attempts: broadcastDeliveries.attempts,
      errorCode: broadcastDeliveries.lastErrorCode,
      reason: broadcastDeliveries.lastError,
      zaloMessageId: broadcastDeliveries.zaloMessageId,
      sentAt: broadcastDeliveries.sentAt,
      updatedAt: broadcastDeliveries.updatedAt,
    })
    .from(broadcastDeliveries)
    .innerJoin(members, eq(members.id, broadcastDeliveries.memberId))
    .where(where)
    .orderBy(broadcastDeliveries.id)
    .limit(o.limit)
    .offset(o.offset);
  const [c] = await db.select({ n: sql<number>`count(*)` }).from(broadcastDeliveries).where(where);
  return { items, total: num(c?.n) };
}
