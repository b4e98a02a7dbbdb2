/**
 * The worker role: the broadcast processor (rate-limited across processes), the scheduler of
 * scheduled broadcasts and the recovery sweep. `runtime.ts` starts it for roles `all` and `worker`;
 * tests start it with short ticks.
 */
import type { Config } from '../../shared/config';
import type { Db } from '../../shared/db/client';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import type { QueueDriver } from '../../shared/queue';
import type { ZaloClient } from '../../shared/zalo';
import { startBroadcastProcessor, type BroadcastProcessorOptions } from './broadcast';
import { DEFAULT_LEASE_MS, startBroadcastScheduler, type BroadcastScheduler, type SchedulerOptions } from './scheduler';

export interface WorkerDeps {
  config: Config;
  db: Db;
  queue: QueueDriver;
  zalo: ZaloClient;
  logger: Logger;
  clock: Clock;
}

export type WorkerOptions = Partial<BroadcastProcessorOptions> & SchedulerOptions;

export interface Workers {
  scheduler: BroadcastScheduler;
  /** Stops timers, lets jobs in hand finish, then returns. */
  close(): Promise<void>;
}

export function startWorkers(deps: WorkerDeps, opts: WorkerOptions = {}): Workers {
  const rate = opts.rate ?? deps.config.broadcastRate;
  // A send's record is retried for at most half the lease, so the sweep never hands out a row whose
  // message is already out while this process still tries to record it.
  const recordRetryMs = opts.recordRetryMs ?? (opts.leaseMs ?? DEFAULT_LEASE_MS) / 2;
  const processor = startBroadcastProcessor(deps, { redisUrl: deps.config.redisUrl, ...opts, rate, recordRetryMs });
  const scheduler = startBroadcastScheduler(deps, opts);
  deps.logger.info({ rate, queue: deps.queue.kind }, 'broadcast worker started');
  return {
    scheduler,
    close: async () => {
      await scheduler.close();
      await processor.close();
    },
  };
}
