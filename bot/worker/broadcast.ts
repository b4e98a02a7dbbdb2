/**
 * The broadcast job processor: one job = one delivery id. Claims the row (pending → sending, only one
 * worker can), waits for its slot on the shared send schedule (pacer.ts), sends one promotion
 * message, records the outcome on the row. Zalo failures are sorted by describeZaloFailure: rate
 * limit / quota → pause the whole queue and retry without spending an attempt; permanent → row
 * failed with the code, no retry; anything else → retry with backoff, and the row is failed with the
 * last code when the attempts are spent. Claims and "sent" updates of jobs running at the same time
 * share one statement (batch.ts).
 */
import type { Db } from '../../shared/db/client';
import { errorText, type Logger } from '../../shared/logger';
import { PermanentJobError, RateLimitJobError, type Job, type ProcessOptions, type QueueDriver, type Worker } from '../../shared/queue';
import { describeZaloFailure, ZaloHttpError, type ZaloClient } from '../../shared/zalo';
import {
  claimDeliveries,
  claimDelivery,
  finishBroadcastIfComplete,
  markDeliveriesSent,
  markDeliveryFailed,
  releaseDelivery,
  type ClaimedDelivery,
} from '../../shared/db/queries/broadcasts';
import { microBatch } from './batch';
import { retryWrite, warnEvery } from '../../shared/db/retry';
import { buildBroadcastMessage } from '../../shared/broadcast/message';
import { BROADCAST_JOB_ATTEMPTS, broadcastLimiter, broadcastQueue, type BroadcastJob } from '../../shared/broadcast/dispatch';
import { createLocalPacer, createRedisPacer, type Pacer } from './pacer';

export interface BroadcastProcessorOptions {
  /** Messages per second across every worker of every process (config.broadcastRate). */
  rate: number;
  /** Jobs in flight in this process. Default: see defaultConcurrency. */
  concurrency?: number;
  /** Queue pause when Zalo says "too fast" (-32, HTTP 429). Default 1000 ms. */
  rateLimitPauseMs?: number;
  /** Queue pause when the OA's quota is spent (-211). Default 60 s. */
  quotaPauseMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /**
   * How long a send Zalo accepted is retried into the ledger while the database is unreachable.
   * Must stay below the sweep's lease, or the row is handed out again. Default 30 s (lease 60 s).
   */
  recordRetryMs?: number;
  /** With the BullMQ driver: the Redis that holds the shared send schedule (config.redisUrl). */
  redisUrl?: string;
}

/**
 * A cap on jobs in flight in one process: enough for the whole rate when a job (claim, pacing slot,
 * Zalo's answer, record) takes ~400 ms; 8…200. The limiter, not this, decides how many start.
 */
export function defaultConcurrency(rate: number): number {
  return Math.max(8, Math.min(200, Math.ceil(rate * 0.4)));
}

/** Zalo's code as stored on the row (null for transport failures, which have none). */
function errorCode(err: unknown): string | null {
  const info = describeZaloFailure(err);
  if (info.code !== null) return String(info.code);
  return err instanceof ZaloHttpError && err.status ? `HTTP_${err.status}` : null;
}

export function createBroadcastHandler(
  deps: { db: Db; zalo: ZaloClient; logger: Logger; pacer?: Pacer },
  opts: Pick<BroadcastProcessorOptions, 'rateLimitPauseMs' | 'quotaPauseMs' | 'recordRetryMs'> = {},
) {
  const { db, zalo, logger } = deps;
  const rateLimitPauseMs = opts.rateLimitPauseMs ?? 1000;
  const quotaPauseMs = opts.quotaPauseMs ?? 60_000;
  const recordRetryMs = opts.recordRetryMs ?? 30_000;
  const warnRecordRetry = warnEvery(5000, (err: unknown, log: object) => logger.warn({ ...log, err: errorText(err) }, 'broadcast: cannot record a send yet, retrying'));
  const claim = microBatch<number, ClaimedDelivery | null>(
    async (ids) => {
      const rows = new Map((await claimDeliveries(db, ids)).map((r) => [r.id, r]));
      // A row goes to one caller only, even if the same id were asked for twice.
      return ids.map((id) => {
        const row = rows.get(id) ?? null;
        rows.delete(id);
        return row;
      });
    },
    { maxBatch: 50, waitMs: 5 },
  );
  const recordSent = microBatch<{ id: number; attempts: number; zaloMessageId: string; broadcastId: number }, boolean>(
    async (items) => {
      const { updated, nearlyDone } = await markDeliveriesSent(db, items);
      for (const b of nearlyDone) await finishBroadcastIfComplete(db, b);
      return items.map((i) => updated.has(i.id));
    },
    // Sends finish one by one at the paced rate: wait a little longer to record several at once.
    { maxBatch: 50, waitMs: 20 },
  );

  return async function handleDelivery(job: Job<BroadcastJob>): Promise<void> {
    const d = await claim(job.data.deliveryId);
    // Already sent, cancelled, or held by another worker: nothing to do for this job.
    if (!d) return;
    const log = { broadcastId: d.broadcastId, deliveryId: d.id, attempt: job.attemptsMade + 1 };

    let message;
    try {
      message = buildBroadcastMessage(d.message, d);
    } catch (err) {
      const reason = `Nội dung tin không hợp lệ: ${(err as Error).message}`;
      await markDeliveryFailed(db, d.id, { code: null, reason, attempts: d.attempts });
      await finishBroadcastIfComplete(db, d.broadcastId);
      throw new PermanentJobError(reason);
    }

    await deps.pacer?.wait();
    let messageId: string;
    try {
      messageId = (await zalo.sendMessage('promotion', d.zaloUserId, message)).messageId;
    } catch (err) {
      const info = describeZaloFailure(err);
      const code = errorCode(err);
      if (info.rateLimited || info.quotaExhausted) {
        await releaseDelivery(db, d.id, d.attempts, { code, reason: info.reason, refund: true });
        logger.warn({ ...log, code }, 'broadcast: Zalo asks to slow down, pausing the queue');
        throw new RateLimitJobError(info.quotaExhausted ? quotaPauseMs : rateLimitPauseMs);
      }
      const final = info.kind === 'permanent' || job.attemptsMade + 1 >= BROADCAST_JOB_ATTEMPTS;
      if (final) {
        await markDeliveryFailed(db, d.id, { code, reason: info.reason, attempts: d.attempts });
        await finishBroadcastIfComplete(db, d.broadcastId);
        logger.info({ ...log, code, kind: info.kind }, 'broadcast: delivery failed');
        throw new PermanentJobError(`${code ?? info.kind}: ${info.reason}`);
      }
      await releaseDelivery(db, d.id, d.attempts, { code, reason: info.reason });
      logger.debug({ ...log, code }, 'broadcast: send failed, will retry');
      throw err;
    }
    // Outside the try above: a database error here must not be taken for a failed send. The message
    // is out, so its record is retried while the database is unreachable (a restart): given up, the
    // row stays `sending`, the lease runs out and the member would get it twice.
    const sent = { id: d.id, attempts: d.attempts, zaloMessageId: messageId, broadcastId: d.broadcastId };
    await retryWrite(() => recordSent(sent), { budgetMs: recordRetryMs, onRetry: (err) => warnRecordRetry(err, log) });
  };
}

/**
 * Starts processing the broadcast queue in this process: the queue limiter admits jobs at the rate
 * across all workers, the pacer spaces the actual sends (see pacer.ts). The send path is warmed
 * first, so the first sends do not wait for connections and then arrive at Zalo bunched together.
 */
export function startBroadcastProcessor(
  deps: { db: Db; queue: QueueDriver; zalo: ZaloClient; logger: Logger },
  opts: BroadcastProcessorOptions,
): Worker {
  const { db, logger } = deps;
  const concurrency = opts.concurrency ?? defaultConcurrency(opts.rate);
  const options: ProcessOptions<BroadcastJob> = {
    concurrency,
    limiter: broadcastLimiter(opts.rate),
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
    onFinalFailure: async (job, err) => {
      // Our own final failures already wrote the row; this is for the rest (e.g. the database was
      // unreachable for every attempt): the row must not stay pending with no job behind it.
      if (err instanceof PermanentJobError || err.name === 'UnrecoverableError') return;
      const info = describeZaloFailure(err);
      try {
        if (await markDeliveryFailed(db, job.data.deliveryId, { code: errorCode(err), reason: info.reason })) {
          await finishBroadcastIfComplete(db, job.data.broadcastId);
        }
      } catch (e) {
        logger.error({ deliveryId: job.data.deliveryId, err: errorText(e) }, 'broadcast: could not record a final failure');
      }
    },
  };
  const queue = broadcastQueue(deps.queue);
  const bull = deps.queue.bullQueues?.().find((q) => q.name === queue.name);
  const pacer =
    bull && opts.redisUrl
      ? createRedisPacer({ redisUrl: opts.redisUrl, key: `${bull.qualifiedName}:pace`, rate: opts.rate, logger })
      : createLocalPacer(opts.rate);
  let worker: Worker | null = null;
  let closed = false;
  // Opens pool connections and loads the OA token once; claiming id 0 changes nothing.
  const warmUp = [...Array.from({ length: Math.min(concurrency, 10) }, () => claimDelivery(db, 0)), deps.zalo.tokens.current()];
  const started = Promise.allSettled(warmUp).then(() => {
    if (!closed) worker = queue.process(createBroadcastHandler({ ...deps, pacer }, opts), options);
  });
  return {
    close: async () => {
      closed = true;
      await started;
      await worker?.close();
      await pacer.close();
    },
  };
}
