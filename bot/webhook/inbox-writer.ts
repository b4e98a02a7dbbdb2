/**
 * The webhook inbox's group commit: concurrent webhook requests are written in one multi-row INSERT
 * (ON CONFLICT DO NOTHING on the dedupe key), one batch at a time (see shared/db/group-commit.ts).
 * Each request answers only after its own row is durable, so nothing is acknowledged before it is stored.
 */
import type { Db } from '../../shared/db/client';
import { GroupCommit, isRowDataError } from '../../shared/db/group-commit';
import { inboxInserter, type NewInboxEvent } from '../../shared/db/queries/inbox';

export class InboxWriter {
  private readonly commits: GroupCommit<NewInboxEvent, boolean>;

  constructor(db: Db, maxBatch = 200) {
    const insert = inboxInserter(db);
    this.commits = new GroupCommit(async (events) => {
      const inserted = new Set(await insert(events));
      // The first request carrying a key gets "new"; repeats in the same batch are duplicates.
      return events.map((e) => inserted.delete(e.dedupeKey));
    }, { maxBatch, isolate: isRowDataError });
  }

  /** Resolves true when the event was new, false for a duplicate delivery. */
  write(event: NewInboxEvent): Promise<boolean> {
    return this.commits.submit(event);
  }
}
