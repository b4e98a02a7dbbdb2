/**
 * Micro-batching for the broadcast worker's hot queries: calls made within a few milliseconds of
 * each other share one statement (like a group commit). Jobs released together by the rate limiter
 * claim their rows in one UPDATE; sends finishing close together are recorded in one UPDATE. Each
 * caller still gets its own answer, and an error reaches every caller of that batch.
 */
export interface MicroBatchOptions {
  /** Run as soon as this many calls are waiting. */
  maxBatch: number;
  /** Otherwise run this long after the first waiting call. */
  waitMs: number;
}

export function microBatch<I, O>(run: (items: I[]) => Promise<O[]>, opts: MicroBatchOptions): (item: I) => Promise<O> {
  let pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | null = null;

  function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    run(batch.map((b) => b.item)).then(
      (out) => batch.forEach((b, i) => b.resolve(out[i])),
      (err) => batch.forEach((b) => b.reject(err)),
    );
  }

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= opts.maxBatch) flush();
      else timer ??= setTimeout(flush, opts.waitMs);
    });
}
