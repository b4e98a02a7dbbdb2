/** In-process queue driver: same semantics as the BullMQ driver, for the single-process embedded mode. */
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
  type QueueCounts,
  type QueueDriver,
  type Worker,
} from './driver';

interface Entry<T> {
  id: string;
  data: T;
  attemptsMade: number;
  attempts: number;
  backoffMs: number;
  readyAt: number;
  state: 'waiting' | 'delayed' | 'active';
}

class LocalQueue<T> implements JobQueue<T> {
  private entries = new Map<string, Entry<T>>();
  private workers = new Set<LocalWorker<T>>();
  private pausedUntil = 0;
  /** Start times inside the current limiter window, shared by all workers of this queue. */
  starts: number[] = [];

  constructor(readonly name: string) {}

  async add(id: string, data: T, opts?: JobOptions): Promise<void> {
    await this.addBulk([{ id, data }], opts);
  }

  async addBulk(jobs: { id: string; data: T }[], opts: JobOptions = {}): Promise<void> {
    const now = Date.now();
    for (const j of jobs) {
      assertJobId(j.id);
      if (this.entries.has(j.id)) continue;
      this.entries.set(j.id, {
        id: j.id,
        data: j.data,
        attemptsMade: 0,
        attempts: opts.attempts ?? DEFAULT_ATTEMPTS,
        backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
        readyAt: now + (opts.delayMs ?? 0),
        state: opts.delayMs ? 'delayed' : 'waiting',
      });
    }
    this.wake();
  }

  async removeBulk(ids: string[]): Promise<void> {
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e && e.state !== 'active') this.entries.delete(id);
    }
  }

  process(handler: (job: Job<T>) => Promise<void>, opts: ProcessOptions<T> = {}): Worker {
    const w = new LocalWorker(this, handler, opts);
    this.workers.add(w);
    w.start();
    return {
      close: async () => {
        this.workers.delete(w);
        await w.close();
      },
    };
  }

  async counts(): Promise<QueueCounts> {
    const c = { waiting: 0, active: 0, delayed: 0 };
    const now = Date.now();
    for (const e of this.entries.values()) {
      if (e.state === 'active') c.active++;
      else if (e.readyAt > now) c.delayed++;
      else c.waiting++;
    }
    return c;
  }

  async pauseFor(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** The next runnable job, or the time to wait before one may be. */
  take(limiter?: { max: number; durationMs: number }): Entry<T> | number | null {
    const now = Date.now();
    if (this.pausedUntil > now) return this.pausedUntil - now;
    if (limiter) {
      while (this.starts.length && this.starts[0] <= now - limiter.durationMs) this.starts.shift();
      if (this.starts.length >= limiter.max) return this.starts[0] + limiter.durationMs - now;
    }
    let next: Entry<T> | null = null;
    let soonest = Infinity;
    for (const e of this.entries.values()) {
      if (e.state === 'active') continue;
      if (e.readyAt <= now) {
        if (!next || e.readyAt < next.readyAt) next = e;
      } else soonest = Math.min(soonest, e.readyAt - now);
    }
    if (next) {
      next.state = 'active';
      if (limiter) this.starts.push(now);
      return next;
    }
    return soonest === Infinity ? null : soonest;
  }

  finish(e: Entry<T>) {
    this.entries.delete(e.id);
  }

  retryLater(e: Entry<T>, delayMs: number, countAttempt: boolean) {
    if (countAttempt) e.attemptsMade++;
    e.readyAt = Date.now() + delayMs;
    e.state = 'delayed';
    this.wake();
  }

  wake() {
    for (const w of this.workers) w.wake();
  }
}

class LocalWorker<T> {
  private running = 0;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private q: LocalQueue<T>,
    private handler: (job: Job<T>) => Promise<void>,
    private opts: ProcessOptions<T>,
  ) {}

  start() {
    this.wake();
  }

  wake() {
    if (this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    setImmediate(() => this.pump());
  }

  private pump() {
    if (this.closed) return;
    const concurrency = this.opts.concurrency ?? 1;
    while (this.running < concurrency) {
      const next = this.q.take(this.opts.limiter);
      if (next === null) return;
      if (typeof next === 'number') {
        if (!this.timer) this.timer = setTimeout(() => ((this.timer = null), this.pump()), Math.max(1, next));
        return;
      }
      this.running++;
      const p = this.run(next).finally(() => {
        this.running--;
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
  }

  private async run(e: Entry<T>) {
    const job: Job<T> = { id: e.id, data: e.data, attemptsMade: e.attemptsMade };
    try {
      await this.handler(job);
      this.q.finish(e);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (error instanceof RateLimitJobError) {
        await this.q.pauseFor(error.delayMs);
        this.q.retryLater(e, error.delayMs, false);
        return;
      }
      const final = error instanceof PermanentJobError || e.attemptsMade + 1 >= e.attempts;
      if (final) {
        this.q.finish(e);
        try {
          await this.opts.onFinalFailure?.(job, error);
        } catch {
          /* the callback's own failure must not kill the worker */
        }
      } else {
        this.q.retryLater(e, e.backoffMs * 2 ** e.attemptsMade, true);
      }
    }
  }

  async close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }
}

export function createLocalDriver(): QueueDriver {
  const queues = new Map<string, LocalQueue<any>>();
  return {
    kind: 'local',
    queue<T>(name: string): JobQueue<T> {
      let q = queues.get(name);
      if (!q) {
        q = new LocalQueue<T>(name);
        queues.set(name, q);
      }
      return q as LocalQueue<T>;
    },
    async close() {
      /* workers are closed by their owners; nothing else to release */
    },
  };
}
