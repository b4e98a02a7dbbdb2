/** Picks the queue driver: BullMQ when REDIS_URL is set, the in-process driver otherwise. */
import type { QueueDriver } from './driver';
import { createBullDriver } from './bullmq';
import { createLocalDriver } from './local';

export * from './driver';

export function createQueueDriver(opts: { redisUrl?: string; prefix?: string }): QueueDriver {
  return opts.redisUrl ? createBullDriver({ redisUrl: opts.redisUrl, prefix: opts.prefix }) : createLocalDriver();
}
