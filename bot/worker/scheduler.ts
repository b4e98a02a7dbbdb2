/**
 * Time-driven broadcast work, safe to run in every worker process at once:
 * - the scheduler starts due scheduled broadcasts (a conditional UPDATE scheduled → sending decides
 *   which process wins; the winner snapshots and enqueues);
 * - the recovery sweep puts stale `sending` rows (claimed longer ago than the lease by a worker that
 *   died) back to pending, re-enqueues pending rows when the queue holds fewer jobs than the ledger
 *   needs (Redis flushed or restarted, an in-process queue lost with its process, an enqueue cut
 *   short) and closes finished broadcasts. Enqueue is idempotent by job id, so repeating it is harmless.
 */
import type { Db } from '../../shared/db/client';
import { errorText, type Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import type { QueueDriver } from '../../shared/queue';
import {
  countOpenDeliveries,
  finishBroadcastIfComplete,
  listDueScheduledIds,
  listSendingBroadcasts,
  resetStaleDeliveries,
  skipPendingOfCancelled,
} from '../../shared/db/queries/broadcasts';
import {
  BROADCAST_JOB_OPTIONS,
  broadcastQueue,
  deliveryJobId,
  enqueueDeliveries,
  startAndEnqueue,
} from '../../shared/broadcast/dispatch';

/** A `sending` row claimed longer ago than this belongs to a dead worker (SchedulerOptions.leaseMs). */
export const DEFAULT_LEASE_MS = 60_000;

export interface SchedulerOptions {
  /** How often due scheduled broadcasts are looked for. Default 1 s. */
  tickMs?: number;
  /** How often the recovery sweep runs. Default 15 s (and once at start). */
  sweepMs?: number;
  /** A `sending` row claimed longer ago than this belongs to a dead worker. Default 60 s. */
  leaseMs?: number;
  /**
   * A broadcast started or enqueued (touched) within this window is being enqueued by someone: the
   * sweep does not re-enqueue it. Longer than one enqueue batch can take. Default 10 s.
   */
  enqueueQuietMs?: number;
}

export interface BroadcastScheduler {
  /** Starts what is due now (tests; the timer does it every tick). */
  tick(): Promise<void>;
  /** One recovery pass; `full` re-enqueues every pending row whatever the queue holds. */
  sweep(full?: boolean): Promise<void>;
  close(): Promise<void>;
}

export function startBroadcastScheduler(
  deps: { db: Db; queue: QueueDriver; logger: Logger; clock: Clock },
  opts: SchedulerOptions = {},
): BroadcastScheduler {
  const { db, logger, clock } = deps;
  const queue = broadcastQueue(deps.queue);
  const tickMs = opts.tickMs ?? 1000;
  const sweepMs = opts.sweepMs ?? 15_000;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const enqueueQuietMs = opts.enqueueQuietMs ?? 10_000;
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  /** Runs `fn` unless the same loop is still busy; tracked so close() can wait for it. */
  function guarded(fn: () => Promise<void>, what: string): () => Promise<void> {
    let current: Promise<void> | null = null;
    return () => {
      if (current) return current;
      const p = fn()
        .catch((err) => logger.error({ err: errorText(err) }, `broadcast ${what} failed`))
        .finally(() => {
          current = null;
          running.delete(p);
        });
      current = p;
      running.add(p);
      return p;
    };
  }

  const tick = guarded(async () => {
    for (const id of await listDueScheduledIds(db, clock.now())) {
      if (closed) return;
      const started = await startAndEnqueue(db, queue, id, { scheduledBefore: clock.now() });
      if (started) logger.info({ broadcastId: id, total: started.total, pending: started.pending }, 'scheduled broadcast started');
    }
  }, 'scheduler');

  let fullNext = true;
  const sweepOnce = guarded(async () => {
    const full = fullNext;
    fullNext = false;
    await skipPendingOfCancelled(db);
    const stale = await resetStaleDeliveries(db, leaseMs);
    if (stale.length > 0) {
      logger.warn({ rows: stale.length }, 'broadcast sweep: stale claims returned to pending');
      await queue.addBulk(
        stale.map((r) => ({ id: deliveryJobId(r.broadcastId, r.memberId), data: { deliveryId: r.id, broadcastId: r.broadcastId } })),
        BROADCAST_JOB_OPTIONS,
      );
    }
    const sending = await listSendingBroadcasts(db, enqueueQuietMs);
    if (sending.length === 0) return;
    let reenqueue = full;
    if (!reenqueue) {
      // Every open row has a job behind it unless jobs were lost; fewer jobs than rows → re-enqueue.
      // Jobs first, rows second: both shrink as sends finish, so read the other way round a busy
      // queue would look short of jobs.
      const c = await queue.counts();
      const open = await countOpenDeliveries(db);
      reenqueue = c.waiting + c.delayed + c.active < open;
      if (reenqueue && sending.some((b) => !b.busy)) {
        logger.warn({ open, queued: c.waiting + c.delayed + c.active }, 'broadcast sweep: jobs missing, re-enqueueing');
      }
    }
    for (const { id, busy } of sending) {
      if (closed) return;
      // A broadcast still being enqueued elsewhere is short of jobs by design; its enqueuer finishes it.
      if (reenqueue && !busy) await enqueueDeliveries(db, queue, id);
      if (await finishBroadcastIfComplete(db, id)) logger.info({ broadcastId: id }, 'broadcast done');
    }
  }, 'sweep');

  function every(ms: number, fn: () => Promise<void>) {
    const loop = () => {
      if (closed) return;
      const t = setTimeout(async () => {
        timers.delete(t);
        await fn();
        loop();
      }, ms);
      t.unref?.();
      timers.add(t);
    };
    loop();
  }

  every(tickMs, tick);
  every(sweepMs, () => sweepOnce());
  // At start: a worker that comes up after a crash or a Redis restart picks the work up at once.
  void sweepOnce();
  void tick();

  return {
    tick,
    sweep: (full = false) => {
      if (full) fullNext = true;
      return sweepOnce();
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
