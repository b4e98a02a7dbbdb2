/**
 * Group commit: concurrent single writes become one batched statement. Every statement has a fixed
 * cost (parse, plan, commit — a few hundred µs on PGlite, a round trip and a WAL flush on PostgreSQL)
 * that a burst of webhooks or door scans would otherwise pay once per request. One batch is written
 * at a time: what arrives meanwhile waits and goes in the next one, so batches grow with the load
 * instead of the statements multiplying. Each caller gets its own result only after the batch holding
 * its item has committed, so nothing is acknowledged before it is stored.
 *
 * Batching must not let one caller's trouble become everyone's:
 * - a batch refused for its data (`isolate(err)`, e.g. a constraint one row breaks) is written again
 *   item by item, so only the offending caller gets the error;
 * - a batch that has not settled after `deadlineMs` (a connection that hangs) fails its callers and
 *   frees the way for the next batch;
 * - while a batch fails for the database itself (down, unreachable), the callers queued behind it fail
 *   with it at once instead of each waiting for their own attempt;
 * - beyond `maxQueued` waiting items, new callers are refused at once (503).
 */
import { AppError } from '../errors';

/** Writes a batch; returns one result per item, in the items' order. */
export type BatchWriter<I, O> = (items: I[]) => Promise<O[]>;

export interface GroupCommitOptions {
  maxBatch?: number;
  /** A batch not settled by then fails its callers (default 10 s). */
  deadlineMs?: number;
  /** Waiting items beyond this are refused at once (default 20 × maxBatch). */
  maxQueued?: number;
  /** True for errors caused by an item's data, after which the batch is retried item by item. */
  isolate?: (err: unknown) => boolean;
}

interface Pending<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

/** The SQLSTATE of a database error, also when a driver wrapped it (Drizzle's DrizzleQueryError keeps it in `cause`). */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): one row's fault. */
export function isRowDataError(err: unknown): boolean {
  return /^2[23]/.test(sqlState(err) ?? '');
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private writing = false;
  private readonly maxBatch: number;
  private readonly deadlineMs: number;
  private readonly maxQueued: number;

  constructor(
    private readonly write: BatchWriter<I, O>,
    private readonly opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 200;
    this.deadlineMs = opts.deadlineMs ?? 10_000;
    this.maxQueued = opts.maxQueued ?? this.maxBatch * 20;
  }

  submit(item: I): Promise<O> {
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new AppError('DB_BUSY', 503, 'Hệ thống đang bận, vui lòng thử lại sau giây lát / database busy'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** The next batch starts on the next turn of the event loop, or when the batch being written ends. */
  private schedule() {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush() {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (!batch.length) return;
    this.writing = true;
    try {
      const out = await this.withDeadline(this.write(batch.map((p) => p.item)));
      if (out.length !== batch.length) throw new Error(`group commit: ${out.length} results for ${batch.length} items`);
      batch.forEach((p, i) => p.resolve(out[i]));
    } catch (err) {
      if (batch.length > 1 && this.opts.isolate?.(err)) await this.oneByOne(batch);
      else {
        // The database itself failed: whoever queued meanwhile would meet the same, fail them now.
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(err);
      }
    } finally {
      this.writing = false;
    }
    if (this.queue.length) this.schedule();
  }

  private async oneByOne(batch: Pending<I, O>[]) {
    for (const p of batch) {
      try {
        const [out] = await this.withDeadline(this.write([p.item]));
        p.resolve(out);
      } catch (err) {
        p.reject(err);
      }
    }
  }

  private withDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('DB_TIMEOUT', 503, `Cơ sở dữ liệu không trả lời sau ${this.deadlineMs / 1000} giây / database write timed out`)), this.deadlineMs);
      timer.unref();
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }
}
