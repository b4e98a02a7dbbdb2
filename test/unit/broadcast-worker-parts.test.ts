/** The broadcast worker's small parts: the local send pacer and the micro-batcher. */
import { createLocalPacer } from '../../bot/worker/pacer';
import { microBatch } from '../../bot/worker/batch';

describe('local pacer', () => {
  it('spaces sends 1/rate apart however many wait at once', async () => {
    const pacer = createLocalPacer(100);
    const t0 = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 30 }, () => pacer.wait().then(() => times.push(performance.now() - t0))));
    times.sort((a, b) => a - b);
    expect(times[29]).toBeGreaterThanOrEqual(285);
    // About 10 per 100 ms at 100/s; the margin is for timers firing late on a busy machine.
    for (let i = 0; i + 15 < times.length; i++) expect(times[i + 15] - times[i]).toBeGreaterThanOrEqual(95);
  });
});

describe('microBatch', () => {
  it('runs calls made together as one batch and answers each caller', async () => {
    const batches: number[][] = [];
    const double = microBatch<number, number>(async (xs) => (batches.push(xs), xs.map((x) => x * 2)), { maxBatch: 3, waitMs: 5 });
    const out = await Promise.all([1, 2, 3, 4, 5].map(double));
    expect(out).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('rejects every caller of a failed batch', async () => {
    const fail = microBatch<number, number>(async () => {
      throw new Error('db down');
    }, { maxBatch: 10, waitMs: 1 });
    await expect(Promise.all([fail(1), fail(2)])).rejects.toThrow('db down');
  });
});
