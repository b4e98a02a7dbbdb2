/**
 * Group commit: concurrent single writes become one batched statement. Every statement has a fixed
 * cost (parse, plan, commit — a few hundred µs on PGlite, a round trip and a WAL flush on PostgreSQL)
 * that a burst of webhooks or door scans would otherwise pay once per request. One batch is written
 * at a time: what arrives meanwhile waits and goes in the next one, so batches grow with the load
 * instead of the statements multiplying. Each caller gets its own result only after the batch holding
 * its item has committed, so nothing is acknowledged before it is stored.
 */

/** Writes a batch; returns one result per item, in the items' order. */
export type BatchWriter<I, O> = (items: I[]) => Promise<O[]>;

interface Pending<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private writing = false;

  constructor(
    private readonly write: BatchWriter<I, O>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: I): Promise<O> {
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
      const out = await this.write(batch.map((p) => p.item));
      if (out.length !== batch.length) throw new Error(`group commit: ${out.length} results for ${batch.length} items`);
      batch.forEach((p, i) => p.resolve(out[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.writing = false;
    }
    if (this.queue.length) this.schedule();
  }
}
