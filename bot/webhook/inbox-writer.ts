/**
 * Group commit for the webhook inbox: concurrent webhook requests are written in one multi-row INSERT
 * (ON CONFLICT DO NOTHING on the dedupe key) per event-loop turn. Each request still answers only after
 * its own row is durable, so nothing is acknowledged before it is stored.
 */
import type { Db } from '../../shared/db/client';
import { insertInboxEvents, type NewInboxEvent } from '../../shared/db/queries/inbox';

interface Pending {
  event: NewInboxEvent;
  resolve: (isNew: boolean) => void;
  reject: (err: unknown) => void;
}

export class InboxWriter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 200,
  ) {}

  /** Resolves true when the event was new, false for a duplicate delivery. */
  write(event: NewInboxEvent): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (this.queue.length >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush() {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (!batch.length) return;
    try {
      const inserted = new Set(await insertInboxEvents(this.db, batch.map((p) => p.event)));
      for (const p of batch) {
        // The first request carrying a key gets "new"; repeats in the same batch are duplicates.
        const isNew = inserted.delete(p.event.dedupeKey);
        p.resolve(isNew);
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
    if (this.queue.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }
}
