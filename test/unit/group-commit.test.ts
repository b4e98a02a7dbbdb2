import { GroupCommit, isRowDataError } from '../../shared/db/group-commit';

describe('GroupCommit', () => {
  it('writes concurrent submits as one batch and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((x) => x * 10);
    });
    const out = await Promise.all([1, 2, 3, 4].map((x) => gc.submit(x)));
    expect(out).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(await gc.submit(5)).toBe(50);
    expect(batches).toHaveLength(2);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(async (items) => (sizes.push(items.length), items), { maxBatch: 3 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => gc.submit(i)));
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('a failed batch rejects only its own callers; the next batch is written', async () => {
    let fail = true;
    const gc = new GroupCommit<string, string>(async (items) => {
      if (fail) throw new Error('database unavailable');
      return items;
    });
    const failed = await Promise.allSettled([gc.submit('a'), gc.submit('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await gc.submit('c')).toBe('c');
  });

  it('rejects when the writer returns a result count that does not match the batch', async () => {
    const gc = new GroupCommit<number, number>(async () => [1]);
    await expect(Promise.all([gc.submit(1), gc.submit(2)])).rejects.toThrow(/2 items/);
  });
});

describe('GroupCommit with a slow writer', () => {
  it('writes one batch at a time: what arrives meanwhile goes into the next batch', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return items;
    });
    const first = gc.submit(0);
    await new Promise((r) => setImmediate(r)); // the first batch (one item) is being written
    const rest = Array.from({ length: 9 }, (_, i) => gc.submit(i + 1));
    expect(await Promise.all([first, ...rest])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxInFlight).toBe(1);
    expect(sizes).toEqual([1, 9]);
  });
});

describe('GroupCommit keeps one caller’s trouble its own', () => {
  const rowError = Object.assign(new Error('violates foreign key constraint'), { code: '23503' });

  it('a batch refused for one row’s data is retried item by item: only that caller fails', async () => {
    const calls: string[][] = [];
    const gc = new GroupCommit<string, string>(
      async (items) => {
        calls.push(items);
        if (items.includes('bad')) throw rowError;
        return items.map((x) => x.toUpperCase());
      },
      { isolate: isRowDataError },
    );
    const out = await Promise.allSettled(['a', 'bad', 'c'].map((x) => gc.submit(x)));
    expect(out.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['A', 'violates foreign key constraint', 'C']);
    expect(calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('a write that never settles fails its callers at the deadline; the next batch is written', async () => {
    let hang = true;
    const gc = new GroupCommit<number, number>((items) => (hang ? new Promise(() => {}) : Promise.resolve(items)), { deadlineMs: 50 });
    const stuck = gc.submit(1);
    await expect(stuck).rejects.toMatchObject({ code: 'DB_TIMEOUT', status: 503 });
    hang = false;
    expect(await gc.submit(2)).toBe(2);
  });

  it('when the database itself fails, callers queued behind the batch fail with it at once', async () => {
    let release!: () => void;
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const calls: number[][] = [];
    const gc = new GroupCommit<number, number>(
      (items) => {
        calls.push(items);
        return new Promise((_, reject) => (release = () => reject(down)));
      },
      { isolate: isRowDataError },
    );
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r));
    const queued = [gc.submit(2), gc.submit(3)];
    release();
    const results = await Promise.allSettled([first, ...queued]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toEqual([[1]]); // the queued ones were not tried against a database that is down
  });

  it('refuses new callers with 503 once too many are waiting', async () => {
    const gc = new GroupCommit<number, number>(() => new Promise(() => {}), { maxBatch: 2, maxQueued: 3, deadlineMs: 60_000 });
    gc.submit(1).catch(() => {});
    await new Promise((r) => setImmediate(r)); // one in flight
    for (let i = 0; i < 3; i++) gc.submit(i).catch(() => {});
    await expect(gc.submit(99)).rejects.toMatchObject({ code: 'DB_BUSY', status: 503 });
  });
});
