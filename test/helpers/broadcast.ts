/** Broadcast test helpers: start the real workers on a test app with short ticks, and poll progress. */
import request from 'supertest';
import type { Express } from 'express';
import type { AppDeps } from '../../bot/app';
import { startWorkers, type WorkerOptions, type Workers } from '../../bot/worker';
import { waitUntil } from './server';

/** The app's own queue driver, database and Zalo client, with ticks short enough for tests. */
export function startTestWorkers(t: { deps: AppDeps }, opts: WorkerOptions = {}): Workers {
  const { config, database, queue, zalo, logger, clock } = t.deps;
  return startWorkers(
    { config, db: database.db, queue, zalo, logger, clock },
    { tickMs: 100, sweepMs: 1000, leaseMs: 5000, enqueueQuietMs: 1000, rateLimitPauseMs: 200, concurrency: 8, ...opts },
  );
}

export interface Progress {
  id: number;
  status: string;
  total: number;
  sent: number;
  failed: number;
  pending: number;
  skipped: number;
  ratePerSec: number;
  etaSec: number | null;
}

export async function getProgress(app: Express, token: string, id: number): Promise<Progress> {
  const res = await request(app).get(`/api/admin/broadcasts/${id}`).set('authorization', `Bearer ${token}`);
  if (res.status !== 200) throw new Error(`GET broadcast ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Progress;
}

/** Polls the broadcast until `cond` holds (default: status done); returns the last progress. */
export async function waitForBroadcast(
  app: Express,
  token: string,
  id: number,
  cond: (p: Progress) => boolean = (p) => p.status === 'done',
  timeoutMs = 20_000,
  stepMs = 50,
): Promise<Progress> {
  let last: Progress | undefined;
  try {
    await waitUntil(async () => cond((last = await getProgress(app, token, id))), timeoutMs, stepMs);
  } catch {
    throw new Error(`broadcast ${id} did not reach the expected state: ${JSON.stringify(last)}`);
  }
  return last!;
}
