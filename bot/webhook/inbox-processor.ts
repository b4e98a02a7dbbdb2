/**
 * Processes stored webhook events on any process: claims due rows with a lease, runs each through the
 * bot (one user's events in order), retries failures with exponential backoff, and marks a poison
 * event failed after MAX_ATTEMPTS without blocking the others.
 */
import type { Db } from '../../shared/db/client';
import { errorText, type Logger } from '../../shared/logger';
import { claimInboxEvents, markInboxDone, markInboxFailed, markInboxRetry, type InboxRow } from '../../shared/db/queries/inbox';
import type { AnyWebhookEvent } from '../router/types';
import { describeZaloFailure, isZaloError } from '../../shared/zalo';
import { inboxProcessed } from '../../shared/metrics';
import { retryWrite, warnEvery } from '../../shared/db/retry';

export const MAX_ATTEMPTS = 6;
const LEASE_MS = 60_000;
const BATCH = 50;
const PARALLEL_USERS = 8;

export interface InboxProcessor {
  /** Process now instead of at the next poll. */
  nudge(): void;
  /** Processes everything due now; resolves when the inbox has nothing due (tests, CLI). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createInboxProcessor(opts: {
  db: Db;
  logger: Logger;
  handle: (event: AnyWebhookEvent) => Promise<unknown>;
  pollMs?: number;
  backoffBaseMs?: number;
  autoStart?: boolean;
}): InboxProcessor {
  const pollMs = opts.pollMs ?? 1000;
  const backoff = opts.backoffBaseMs ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  /**
   * Records a row's outcome, retrying while the database is unreachable (a restart): the reply may
   * already be out, and a row left `processing` is taken again when its lease runs out.
   */
  const warnRecordRetry = warnEvery(5000, (err) => opts.logger.warn({ err: errorText(err) }, 'inbox: cannot record an outcome yet, retrying'));
  const record = (write: () => Promise<unknown>) => retryWrite(write, { budgetMs: LEASE_MS / 2, stop: () => closed, onRetry: warnRecordRetry });

  async function processRow(row: InboxRow) {
    try {
      await opts.handle(row.payload as unknown as AnyWebhookEvent);
    } catch (err) {
      return recordFailure(row, err);
    }
    // Outside the try: a database error while recording must not be taken for a failed handler.
    await record(() => markInboxDone(opts.db, row.id));
    inboxProcessed.inc({ result: 'done' });
  }

  async function recordFailure(row: InboxRow, err: unknown) {
    const reason = isZaloError(err) ? `zalo ${describeZaloFailure(err).code ?? ''} ${(err as Error).message}` : errorText(err);
    const permanent = isZaloError(err) && describeZaloFailure(err).kind === 'permanent';
    if (permanent || row.attempts >= MAX_ATTEMPTS) {
      opts.logger.error({ inboxId: row.id, event: row.eventName, attempts: row.attempts, reason }, 'webhook event failed for good');
      await record(() => markInboxFailed(opts.db, row.id, reason.slice(0, 500)));
      inboxProcessed.inc({ result: 'failed' });
    } else {
      const delay = backoff * 2 ** (row.attempts - 1);
      opts.logger.warn({ inboxId: row.id, event: row.eventName, attempts: row.attempts, delay, reason }, 'webhook event will be retried');
      await record(() => markInboxRetry(opts.db, row.id, reason.slice(0, 500), delay));
      inboxProcessed.inc({ result: 'retry' });
    }
  }

  async function runOnce(): Promise<number> {
    const rows = await claimInboxEvents(opts.db, BATCH, LEASE_MS);
    // Events of one user run in order; different users run side by side.
    const byUser = new Map<string, InboxRow[]>();
    for (const r of rows) {
      const k = r.zaloUserId ?? `row-${r.id}`;
      byUser.set(k, [...(byUser.get(k) ?? []), r]);
    }
    // A few users at a time, so webhook acks are not queued behind a large batch of answers.
    const groups = [...byUser.values()];
    let next = 0;
    const lane = async () => {
      while (next < groups.length) for (const r of groups[next++]) await processRow(r);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_USERS, groups.length) }, lane));
    return rows.length;
  }

  function tick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          while (!closed && (await runOnce()) > 0);
        } while (again && !closed);
      } catch (err) {
        opts.logger.error({ err: errorText(err) }, 'inbox processing error');
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function schedule() {
    if (closed) return;
    timer = setTimeout(async () => {
      await tick();
      schedule();
    }, pollMs);
    timer.unref?.();
  }
  if (opts.autoStart !== false) schedule();

  return {
    nudge: () => void tick(),
    drain: async () => {
      await tick();
      if (again) await tick();
    },
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
