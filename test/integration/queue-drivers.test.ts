/** One behaviour suite run against both queue drivers: local always, BullMQ when Redis is configured. */
import crypto from 'node:crypto';
import { createLocalDriver } from '../../shared/queue/local';
import { createBullDriver } from '../../shared/queue/bullmq';
import { PermanentJobError, RateLimitJobError, type QueueDriver, type Worker } from '../../shared/queue';
import { TEST_REDIS_URL } from '../helpers/tier';

const drivers: [string, () => QueueDriver][] = [['local', () => createLocalDriver()]];
const redisUrl = TEST_REDIS_URL;
if (redisUrl) {
  drivers.push(['bullmq', () => createBullDriver({ redisUrl, prefix: `t${crypto.randomBytes(4).toString('hex')}`, onError: () => {} })]);
}

const waitFor = async (cond: () => boolean, ms = 15000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(drivers)('%s queue driver', (_name, make) => {
  let driver: QueueDriver;
  const workers: Worker[] = [];
  const qname = () => `q${crypto.randomBytes(4).toString('hex')}`;
  beforeEach(() => {
    driver = make();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await driver.close();
  });

  it('runs each job once; a job id already queued is not added twice', async () => {
    const q = driver.queue<{ n: number }>(qname());
    await q.addBulk([
      { id: 'a-1', data: { n: 1 } },
      { id: 'a-2', data: { n: 2 } },
      { id: 'a-1', data: { n: 99 } },
    ]);
    await q.add('a-2', { n: 98 });
    const seen: number[] = [];
    workers.push(q.process(async (job) => void seen.push(job.data.n), { concurrency: 2 }));
    await waitFor(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.sort()).toEqual([1, 2]);
  });

  it('refuses job ids with ":"', async () => {
    const q = driver.queue(qname());
    await expect(q.add('bc:1', {})).rejects.toThrow(/':'/);
  });

  it('retries with backoff, then reports the final failure once', async () => {
    const q = driver.queue<{ k: string }>(qname());
    const tries: number[] = [];
    const finals: string[] = [];
    workers.push(
      q.process(
        async (job) => {
          tries.push(Date.now());
          if (job.data.k === 'flaky' && tries.length < 3) throw new Error('temporary');
          if (job.data.k === 'bad') throw new Error('always');
        },
        { onFinalFailure: (job) => void finals.push(job.id) },
      ),
    );
    await q.add('flaky', { k: 'flaky' }, { attempts: 5, backoffMs: 50 });
    await waitFor(() => tries.length === 3);
    expect(tries[2] - tries[1]).toBeGreaterThanOrEqual(90); // 50 ms, then 100 ms
    await q.add('bad', { k: 'bad' }, { attempts: 2, backoffMs: 10 });
    await waitFor(() => finals.length === 1);
    expect(finals).toEqual(['bad']);
  });

  it('does not retry a permanent failure', async () => {
    const q = driver.queue(qname());
    let runs = 0;
    const finals: string[] = [];
    workers.push(
      q.process(
        async () => {
          runs++;
          throw new PermanentJobError('user blocked the OA');
        },
        { onFinalFailure: (job, err) => void finals.push(`${job.id}:${err.message}`) },
      ),
    );
    await q.add('p1', {}, { attempts: 5, backoffMs: 10 });
    await waitFor(() => finals.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toBe(1);
    expect(finals[0]).toMatch(/p1:.*blocked/);
  });

  it('honours the global rate limit across two workers', async () => {
    const q = driver.queue(qname());
    const starts: number[] = [];
    const handler = async () => void starts.push(Date.now());
    const limiter = { max: 10, durationMs: 500 };
    workers.push(q.process(handler, { concurrency: 5, limiter }), q.process(handler, { concurrency: 5, limiter }));
    await q.addBulk(Array.from({ length: 30 }, (_, i) => ({ id: `r-${i}`, data: {} })));
    await waitFor(() => starts.length === 30);
    starts.sort((a, b) => a - b);
    // 30 jobs at 10 per 500 ms need at least two full windows after the first.
    expect(starts[29] - starts[0]).toBeGreaterThanOrEqual(900);
    for (let i = 0; i + 10 < starts.length; i++) expect(starts[i + 10] - starts[i]).toBeGreaterThanOrEqual(400);
  });

  it('pauses the whole queue when a job says the remote is rate limiting, without spending its attempts', async () => {
    const q = driver.queue<{ n: number }>(qname());
    const runs: { n: number; at: number }[] = [];
    let limited = false;
    workers.push(
      q.process(async (job) => {
        runs.push({ n: job.data.n, at: Date.now() });
        if (job.data.n === 1 && !limited) {
          limited = true;
          throw new RateLimitJobError(600);
        }
      }),
    );
    await q.add('rl-1', { n: 1 }, { attempts: 1 });
    await waitFor(() => runs.length === 1);
    await q.add('rl-2', { n: 2 });
    await waitFor(() => runs.length === 3);
    const firstAfterPause = Math.min(...runs.slice(1).map((r) => r.at));
    expect(firstAfterPause - runs[0].at).toBeGreaterThanOrEqual(500);
    expect(runs.filter((r) => r.n === 1)).toHaveLength(2);
  });

  it('removes queued jobs', async () => {
    const q = driver.queue(qname());
    await q.addBulk([{ id: 'x-1', data: {} }, { id: 'x-2', data: {} }]);
    await q.removeBulk(['x-1', 'x-2', 'missing']);
    expect((await q.counts()).waiting).toBe(0);
  });
});
