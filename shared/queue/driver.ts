/**
 * The queue interface both drivers implement: BullMQ on Redis (several processes) and an in-process
 * driver (embedded default). Semantics that matter are the same: job ids dedupe while a job is queued,
 * retries with exponential backoff, concurrency, a global rate limit, and a queue-wide pause when the
 * remote asks us to slow down.
 */
export interface Job<T> {
  id: string;
  data: T;
  /** Attempts already made before this one (0 on the first run). */
  attemptsMade: number;
}

export interface JobOptions {
  /** Total tries including the first (default 5). */
  attempts?: number;
  /** First retry delay; doubles on each retry (default 1000 ms). */
  backoffMs?: number;
  /** Start no earlier than this many ms from now. */
  delayMs?: number;
}

export interface ProcessOptions<T> {
  concurrency?: number;
  /** At most `max` jobs start per `durationMs`, across every worker of this queue. */
  limiter?: { max: number; durationMs: number };
  /** Called once when a job will not be retried any more (permanent error or attempts spent). */
  onFinalFailure?: (job: Job<T>, err: Error) => Promise<void> | void;
  /**
   * BullMQ only: lock TTL of a running job and how often stalled jobs are looked for — together, how
   * soon the jobs of a crashed worker run again (BullMQ's defaults: 30 s each).
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

export interface Worker {
  close(): Promise<void>;
}

export interface JobQueue<T> {
  readonly name: string;
  add(id: string, data: T, opts?: JobOptions): Promise<void>;
  addBulk(jobs: { id: string; data: T }[], opts?: JobOptions): Promise<void>;
  /** Removes queued (not running) jobs; unknown ids are ignored. */
  removeBulk(ids: string[]): Promise<void>;
  process(handler: (job: Job<T>) => Promise<void>, opts?: ProcessOptions<T>): Worker;
  counts(): Promise<QueueCounts>;
  /** Pause every worker of this queue for `ms` (remote rate limiting). */
  pauseFor(ms: number): Promise<void>;
}

export interface QueueDriver {
  readonly kind: 'local' | 'bullmq';
  queue<T>(name: string): JobQueue<T>;
  /** BullMQ only: the underlying queues (for Bull Board). */
  bullQueues?(): import('bullmq').Queue[];
  close(): Promise<void>;
}

/** A failure that must not be retried (BullMQ's UnrecoverableError). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** The remote said "slow down": pause the whole queue, then retry this job without spending an attempt. */
export class RateLimitJobError extends Error {
  constructor(public readonly delayMs: number) {
    super(`rate limited for ${delayMs} ms`);
    this.name = 'RateLimitJobError';
  }
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;

export function assertJobId(id: string): void {
  if (id.includes(':')) throw new Error(`job id must not contain ':' (${id})`);
}
