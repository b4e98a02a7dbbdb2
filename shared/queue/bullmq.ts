/** BullMQ + ioredis queue driver: jobs in Redis, shared by every process; limiter is global across workers. */
import { Queue, UnrecoverableError, Worker as BullWorker, type ConnectionOptions } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import {
  assertJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  PermanentJobError,
  RateLimitJobError,
  type Job,
  type JobOptions,
  type JobQueue,
  type ProcessOptions,
  type QueueDriver,
  type Worker,
} from './driver';

export interface BullDriverOptions {
  redisUrl: string;
  /** Key prefix (tests use a random one). */
  prefix?: string;
  onError?: (err: Error) => void;
}

function connect(url: string, onError: (err: Error) => void, forWorker: boolean): Redis {
  const conn = new IORedis(url, {
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  });
  conn.on('error', onError);
  return conn;
}

export function createBullDriver(opts: BullDriverOptions): QueueDriver {
  const prefix = opts.prefix ?? 'congdoan';
  let lastErrorAt = 0;
  const onError =
    opts.onError ??
    ((err: Error) => {
      // Reconnects are automatic; say so at most every 5 s instead of a stack per retry.
      if (Date.now() - lastErrorAt > 5000) {
        lastErrorAt = Date.now();
        console.error(`[queue] redis: ${err.message}`);
      }
    });
  const producer = connect(opts.redisUrl, onError, false);
  const queues = new Map<string, BullJobQueue<any>>();
  const closers: (() => Promise<void>)[] = [];

  class BullJobQueue<T> implements JobQueue<T> {
    readonly q: Queue;
    constructor(readonly name: string) {
      this.q = new Queue(name, { connection: producer as unknown as ConnectionOptions, prefix });
      this.q.on('error', onError);
    }
    private jobOpts(id: string, o: JobOptions = {}) {
      assertJobId(id);
      return {
        jobId: id,
        attempts: o.attempts ?? DEFAULT_ATTEMPTS,
        backoff: { type: 'exponential' as const, delay: o.backoffMs ?? DEFAULT_BACKOFF_MS },
        delay: o.delayMs,
        removeOnComplete: true,
        removeOnFail: true,
      };
    }
    async add(id: string, data: T, o?: JobOptions) {
      await this.q.add(this.name, data, this.jobOpts(id, o));
    }
    async addBulk(jobs: { id: string; data: T }[], o?: JobOptions) {
      for (let i = 0; i < jobs.length; i += 1000) {
        await this.q.addBulk(jobs.slice(i, i + 1000).map((j) => ({ name: this.name, data: j.data, opts: this.jobOpts(j.id, o) })));
      }
    }
    async removeBulk(ids: string[]) {
      for (let i = 0; i < ids.length; i += 500) {
        await Promise.all(ids.slice(i, i + 500).map((id) => this.q.remove(id).catch(() => 0)));
      }
    }
    process(handler: (job: Job<T>) => Promise<void>, po: ProcessOptions<T> = {}): Worker {
      const conn = connect(opts.redisUrl, onError, true);
      const w: BullWorker = new BullWorker(
        this.name,
        async (job) => {
          try {
            await handler({ id: job.id!, data: job.data as T, attemptsMade: job.attemptsMade });
          } catch (err) {
            if (err instanceof RateLimitJobError) {
              await this.q.rateLimit(err.delayMs);
              throw BullWorker.RateLimitError();
            }
            if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
            throw err;
          }
        },
        {
          connection: conn as unknown as ConnectionOptions,
          prefix,
          concurrency: po.concurrency ?? 1,
          limiter: po.limiter ? { max: po.limiter.max, duration: po.limiter.durationMs } : undefined,
          ...(po.lockDurationMs ? { lockDuration: po.lockDurationMs } : {}),
          ...(po.stalledIntervalMs ? { stalledInterval: po.stalledIntervalMs } : {}),
        },
      );
      w.on('error', onError);
      w.on('failed', (job, err) => {
        if (!job || !po.onFinalFailure) return;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final) void Promise.resolve(po.onFinalFailure({ id: job.id!, data: job.data as T, attemptsMade: job.attemptsMade }, err)).catch(() => {});
      });
      const close = async () => {
        await w.close();
        conn.disconnect();
      };
      closers.push(close);
      return { close };
    }
    async counts() {
      const c = await this.q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
    }
    async pauseFor(ms: number) {
      await this.q.rateLimit(ms);
    }
  }

  return {
    kind: 'bullmq',
    queue<T>(name: string): JobQueue<T> {
      let q = queues.get(name);
      if (!q) {
        q = new BullJobQueue<T>(name);
        queues.set(name, q);
      }
      return q as BullJobQueue<T>;
    },
    bullQueues: () => [...queues.values()].map((q) => q.q),
    async close() {
      await Promise.allSettled(closers.map((c) => c()));
      await Promise.allSettled([...queues.values()].map((q) => q.q.close()));
      producer.disconnect();
    },
  };
}

