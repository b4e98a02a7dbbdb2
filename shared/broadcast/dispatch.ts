/**
 * Broadcast ↔ queue: the queue name, job shape and ids, the global rate limiter, and the streaming
 * enqueue / removal of delivery jobs. Used by the admin routes (web role) and the scheduler/sweep
 * (worker role). Jobs carry ids only; batches walk the delivery rows by id so no process ever holds
 * a whole broadcast's recipients in memory.
 */
import type { Db } from '../db/client';
import { errorText, type Logger } from '../logger';
import type { JobOptions, JobQueue, QueueDriver } from '../queue';
import { listDeliveryIdsAfter, startBroadcast, touchBroadcast, type Broadcast } from '../db/queries/broadcasts';
import type { DeliveryStatus } from '../db/schema';

export const BROADCAST_QUEUE = 'broadcast';

export interface BroadcastJob {
  deliveryId: number;
  broadcastId: number;
}

/** Tries per delivery job (the worker marks the row failed on the last one) and the first retry delay. */
export const BROADCAST_JOB_ATTEMPTS = 5;
export const BROADCAST_BACKOFF_MS = 1000;
export const BROADCAST_JOB_OPTIONS: JobOptions = { attempts: BROADCAST_JOB_ATTEMPTS, backoffMs: BROADCAST_BACKOFF_MS };

/** Rows read per keyset query. */
const BATCH = 1000;
/**
 * Jobs per addBulk call. BullMQ adds a bulk in one MULTI, which holds Redis for its whole length;
 * small bulks let the workers' own commands through while a large broadcast is being enqueued.
 */
const ADD_BULK = 200;

/** Deterministic, so a re-enqueue of the same delivery is a no-op while its job exists (never ':'). */
export function deliveryJobId(broadcastId: number, memberId: number): string {
  return `bc-${broadcastId}-${memberId}`;
}

export function broadcastQueue(driver: QueueDriver): JobQueue<BroadcastJob> {
  return driver.queue<BroadcastJob>(BROADCAST_QUEUE);
}

/**
 * The queue limiter: admission of delivery jobs across every worker, in one-second windows, 5 %
 * above `rate`. The exact global rate is kept at send time by the pacer (bot/worker/pacer.ts); the
 * limiter bounds how much work starts. Why not the limiter alone at exactly `rate`: BullMQ's limiter
 * is a fixed window on job starts, so (measured against the fake Zalo at 40/s) a slow tail of one
 * window plus the burst opening the next put 67 messages into one sliding second; short windows
 * bunch less but lose a late fetch per window on a busy machine (-10…25 % throughput at 100 ms).
 * With the pacer downstream, admission a little ahead of the rate keeps the pacer always fed.
 */
export function broadcastLimiter(rate: number): { max: number; durationMs: number } {
  if (rate < 1) return { max: 1, durationMs: Math.floor(1000 / (rate * 1.05)) };
  return { max: Math.ceil(rate * 1.05), durationMs: 1000 };
}

/** Enqueues every row of the broadcast in `status` (default pending), in id batches. Returns how many. */
export async function enqueueDeliveries(
  db: Db,
  queue: JobQueue<BroadcastJob>,
  broadcastId: number,
  status: DeliveryStatus = 'pending',
): Promise<number> {
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = await listDeliveryIdsAfter(db, broadcastId, status, after, BATCH);
    if (rows.length === 0) return n;
    const jobs = rows.map((r) => ({ id: deliveryJobId(broadcastId, r.memberId), data: { deliveryId: r.id, broadcastId } }));
    for (let i = 0; i < jobs.length; i += ADD_BULK) await queue.addBulk(jobs.slice(i, i + ADD_BULK), BROADCAST_JOB_OPTIONS);
    // Tells the workers' sweeps an enqueue is under way, so they do not redo it in parallel.
    await touchBroadcast(db, broadcastId);
    n += rows.length;
    after = rows[rows.length - 1].id;
    if (rows.length < BATCH) return n;
  }
}

/** Removes the queued jobs of rows in `status` (after a cancel: skipped). Running jobs finish on their own. */
export async function removeQueuedJobs(
  db: Db,
  queue: JobQueue<BroadcastJob>,
  broadcastId: number,
  status: DeliveryStatus = 'skipped',
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await listDeliveryIdsAfter(db, broadcastId, status, after, BATCH);
    if (rows.length === 0) return;
    await queue.removeBulk(rows.map((r) => deliveryJobId(broadcastId, r.memberId)));
    after = rows[rows.length - 1].id;
    if (rows.length < BATCH) return;
  }
}

/** Snapshot + enqueue. Null when the broadcast was not startable (already started elsewhere). */
export async function startAndEnqueue(
  db: Db,
  queue: JobQueue<BroadcastJob>,
  broadcastId: number,
  o: { scheduledBefore?: Date } = {},
) {
  const started = await startBroadcast(db, broadcastId, o);
  if (started && started.pending > 0) await enqueueDeliveries(db, queue, broadcastId);
  return started;
}

/**
 * Runs `fn` without waiting for it and logs a failure. For work on a broadcast's rows that may take a
 * while (enqueueing a large one, removing jobs): the caller answers first; if this process dies or
 * the work fails meanwhile, the worker's sweep redoes it.
 */
export function inBackground(
  logger: Logger,
  what: string,
  fields: { broadcastId: number } & Record<string, unknown>,
  fn: () => Promise<unknown>,
): void {
  void fn().catch((err: unknown) =>
    logger.error({ ...fields, err: errorText(err) }, `broadcast ${what} failed; the sweep will retry`),
  );
}

/**
 * Snapshot now, enqueue in the background (see inBackground): what an officer's "send" does.
 * `logFields` are added to the failure log (e.g. the poll id). Null when the broadcast was not
 * startable (not draft/scheduled, or another caller started it first).
 */
export async function startInBackground(
  deps: { db: Db; queue: JobQueue<BroadcastJob>; logger: Logger },
  broadcastId: number,
  logFields: Record<string, unknown> = {},
): Promise<{ broadcast: Broadcast; total: number; pending: number } | null> {
  const started = await startBroadcast(deps.db, broadcastId);
  if (started && started.pending > 0) {
    inBackground(deps.logger, 'enqueue', { ...logFields, broadcastId }, () => enqueueDeliveries(deps.db, deps.queue, broadcastId));
  }
  return started;
}
