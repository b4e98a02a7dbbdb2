import { retryWrite } from '../../shared/db/retry';

describe('retryWrite', () => {
  it('retries a failing write until it succeeds', async () => {
    let calls = 0;
    const retried: number[] = [];
    const out = await retryWrite(
      async () => {
        if (++calls < 3) throw new Error('CONNECTION_CLOSED');
        return 'ok';
      },
      { budgetMs: 5000, onRetry: (_e, n) => retried.push(n) },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it('rethrows the last error once the budget is spent, or at once when told to stop', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(retryWrite(async () => Promise.reject(new Error(`down ${++calls}`)), { budgetMs: 400 })).rejects.toThrow(/down/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(calls).toBeGreaterThan(1);
    calls = 0;
    await expect(retryWrite(async () => Promise.reject(new Error(`down ${++calls}`)), { budgetMs: 5000, stop: () => true })).rejects.toThrow('down 1');
  });
});
