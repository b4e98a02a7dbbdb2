import { MemoryTokenStore, TokenManager, type TokenPair } from '../../shared/zalo/tokens';
import { ZaloApiError } from '../../shared/zalo/errors';

const fixedClock = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (d: string) => (now = new Date(d)) };
};

function refresher() {
  let n = 0;
  const fn = jest.fn(async (_current: TokenPair): Promise<TokenPair> => {
    await new Promise((r) => setTimeout(r, 20));
    n++;
    return { accessToken: `at${n}`, refreshToken: `rt${n}`, expiresAt: new Date(Date.parse('2026-01-02T00:00:00Z')) };
  });
  return fn;
}

describe('TokenManager', () => {
  it('returns the stored token and caches it', async () => {
    const store = new MemoryTokenStore({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: null });
    const get = jest.spyOn(store, 'get');
    const tm = new TokenManager(store);
    const doRefresh = refresher();
    expect(await tm.getAccessToken(doRefresh)).toBe('at0');
    expect(await tm.getAccessToken(doRefresh)).toBe('at0');
    expect(get).toHaveBeenCalledTimes(1);
    expect(doRefresh).not.toHaveBeenCalled();
  });

  it('throws an auth error when nothing is stored', async () => {
    const tm = new TokenManager(new MemoryTokenStore(null));
    await expect(tm.getAccessToken(refresher())).rejects.toMatchObject({ kind: 'auth' });
    await expect(tm.getAccessToken(refresher())).rejects.toBeInstanceOf(ZaloApiError);
  });

  it('single-flights concurrent refreshes of the same failed token', async () => {
    const store = new MemoryTokenStore({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: null });
    const tm = new TokenManager(store);
    const doRefresh = refresher();
    const pairs = await Promise.all(Array.from({ length: 10 }, () => tm.refresh('at0', doRefresh)));
    expect(doRefresh).toHaveBeenCalledTimes(1);
    expect(new Set(pairs.map((p) => p.accessToken))).toEqual(new Set(['at1']));
    // A late caller still holding at0 gets at1 without another refresh.
    expect((await tm.refresh('at0', doRefresh)).accessToken).toBe('at1');
    expect(doRefresh).toHaveBeenCalledTimes(1);
    expect((await store.get())?.refreshToken).toBe('rt1');
  });

  it('two managers on one store refresh once (the store sees the token already changed)', async () => {
    const store = new MemoryTokenStore({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: null });
    const a = new TokenManager(store);
    const b = new TokenManager(store);
    const doRefresh = refresher();
    await Promise.all([a.current(), b.current()]);
    const [pa, pb] = await Promise.all([a.refresh('at0', doRefresh), b.refresh('at0', doRefresh)]);
    expect(doRefresh).toHaveBeenCalledTimes(1);
    expect(pa.accessToken).toBe('at1');
    expect(pb.accessToken).toBe('at1');
  });

  it('refreshes proactively within 5 minutes of expiry', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const store = new MemoryTokenStore({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: new Date('2026-01-01T00:10:00Z') });
    const tm = new TokenManager(store, { clock });
    const doRefresh = refresher();
    expect(await tm.getAccessToken(doRefresh)).toBe('at0');
    clock.set('2026-01-01T00:05:30Z');
    expect(await tm.getAccessToken(doRefresh)).toBe('at1');
    expect(doRefresh).toHaveBeenCalledTimes(1);
  });

  it('keeps using a not-yet-expired token when the proactive refresh fails', async () => {
    const clock = fixedClock('2026-01-01T00:08:00Z');
    const store = new MemoryTokenStore({ accessToken: 'at0', refreshToken: 'rt0', expiresAt: new Date('2026-01-01T00:10:00Z') });
    const tm = new TokenManager(store, { clock });
    const failing = jest.fn(async () => {
      throw new ZaloApiError(-14014, 'bad', { kind: 'auth' });
    });
    expect(await tm.getAccessToken(failing)).toBe('at0');
    clock.set('2026-01-01T00:11:00Z');
    await expect(tm.getAccessToken(failing)).rejects.toMatchObject({ code: -14014 });
    expect((await store.get())?.refreshToken).toBe('rt0');
  });
});
