/**
 * The Zalo client against the fake Zalo on a real port, with tokens stored in a real database
 * (PGlite, or Postgres when DATABASE_URL is set).
 */
import { openDatabase, type Database } from '../../shared/db/client';
import { createLogger } from '../../shared/logger';
import {
  buttonsMessage,
  button,
  createZaloClient,
  DbTokenStore,
  getStoredTokens,
  replaceTokens,
  seedTokens,
  TokenManager,
  ZaloApiError,
  ZaloHttpError,
  type ZaloClient,
} from '../../shared/zalo';
import { startFakeZalo, type FakeZalo } from '../fakes/fake-zalo';
import { createTestDatabase } from '../helpers/db';

const USER = '3368637342326461234';
const SEND_PATH = '/v3.0/oa/message/cs';

let database: Database;
let zalo: FakeZalo;
const clients: ZaloClient[] = [];
let seq = 0;

function makeClient(db = database.db, extra: Partial<Parameters<typeof createZaloClient>[0]> = {}) {
  const client = createZaloClient({
    openapiUrl: zalo.url,
    oauthUrl: zalo.url,
    graphUrl: zalo.url,
    appId: zalo.appId,
    appSecret: zalo.appSecret,
    tokens: new TokenManager(new DbTokenStore(db, { oneProcess: database.kind === 'pglite' })),
    timeoutMs: 2000,
    ...extra,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  database = await createTestDatabase();
  zalo = await startFakeZalo();
});

afterAll(async () => {
  await zalo?.close();
  await database?.close();
});

beforeEach(async () => {
  zalo.reset();
  seq++;
  zalo.setAccessToken(`at-${seq}`, `rt-${seq}`);
  await replaceTokens(database.db, { accessToken: `at-${seq}`, refreshToken: `rt-${seq}` });
});

afterEach(() => {
  while (clients.length) clients.pop()!.close();
});

describe('sending', () => {
  it('sends a text on the cs endpoint', async () => {
    const client = makeClient();
    const { messageIds } = await client.sendText(USER, 'Xin chào đoàn viên!');
    expect(messageIds).toHaveLength(1);
    expect(zalo.sentTo(USER)).toMatchObject([{ kind: 'cs', text: 'Xin chào đoàn viên!', messageId: messageIds[0] }]);
    expect(zalo.oauthCalls).toHaveLength(0);
  });

  it('sends structured messages on the endpoint asked for', async () => {
    const client = makeClient();
    const msg = buttonsMessage('Chọn chủ đề', [button.query('Thai sản', 'thai sản'), button.url('Website', 'https://example.org')]);
    const r = await client.sendMessage('transaction', USER, msg);
    expect(r.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(zalo.sent[0]).toMatchObject({ kind: 'transaction', userId: USER, message: msg });
    const cs = await client.sendMessage('cs', USER, { text: 'x' });
    expect(cs.quota).toEqual({ quotaType: 'reply', remain: 7, total: 8 });
  });

  it('delivers a 4500-char text as 3 ordered messages', async () => {
    const client = makeClient();
    const text = Array.from({ length: 130 }, (_, i) => `Câu số ${String(i).padStart(3, '0')} nói về quyền lợi đoàn viên.`)
      .join(' ')
      .slice(0, 4500);
    expect(text.length).toBe(4500);
    const { messageIds } = await client.sendText(USER, text);
    expect(messageIds).toHaveLength(3);
    const got = zalo.sentTo(USER);
    expect(got.map((m) => m.messageId)).toEqual(messageIds);
    for (const m of got) expect(m.text!.length).toBeLessThanOrEqual(2000);
    expect(got.map((m) => m.text).join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
  });

  it('refuses an empty text without calling Zalo', async () => {
    await expect(makeClient().sendText(USER, '  ')).rejects.toBeInstanceOf(RangeError);
    expect(zalo.callCount(SEND_PATH)).toBe(0);
  });
});

describe('token refresh', () => {
  it('on an expired token: one OAuth call, rotated pair persisted, message delivered', async () => {
    const client = makeClient();
    zalo.expireAccessToken();
    const before = Date.now();
    await client.sendText(USER, 'sau khi làm mới token');
    expect(zalo.oauthCalls).toEqual([expect.objectContaining({ grantType: 'refresh_token', presented: `rt-${seq}`, ok: true })]);
    const stored = await getStoredTokens(database.db);
    expect(stored).toMatchObject(zalo.currentTokens());
    expect(stored!.refreshToken).not.toBe(`rt-${seq}`);
    expect(stored!.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 90000 * 1000 - 5000);
    expect(zalo.sentTo(USER).map((m) => m.text)).toEqual(['sau khi làm mới token']);
    expect(zalo.callCount(SEND_PATH)).toBe(2); // the rejected try + the retry
  });

  it('10 concurrent sends during expiry make exactly one OAuth call', async () => {
    const client = makeClient();
    await client.tokens.current();
    zalo.expireAccessToken();
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.sendText(USER, `tin ${i}`)));
    expect(zalo.oauthCalls).toHaveLength(1);
    expect(zalo.sentTo(USER)).toHaveLength(10);
  });

  it('two processes (two managers, two connections) racing on an expired token make one OAuth call', async () => {
    // With Postgres, the second "process" gets its own connection pool; PGlite is single-connection.
    const url = (database as Database & { url?: string }).url;
    const second = url ? await openDatabase({ databaseUrl: url, max: 3 }) : null;
    try {
      const a = makeClient(database.db);
      const b = makeClient(second ? second.db : database.db);
      await Promise.all([a.tokens.current(), b.tokens.current()]);
      zalo.expireAccessToken();
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => a.sendText(USER, `a${i}`)),
        ...Array.from({ length: 5 }, (_, i) => b.sendText(USER, `b${i}`)),
      ]);
      expect(zalo.oauthCalls).toHaveLength(1);
      expect(zalo.sentTo(USER)).toHaveLength(10);
      expect(await getStoredTokens(database.db)).toMatchObject(zalo.currentTokens());
    } finally {
      await second?.close();
    }
  });

  it('while Zalo is slow to answer a refresh, the database keeps answering other queries', async () => {
    const client = makeClient();
    await client.tokens.current();
    zalo.expireAccessToken();
    zalo.faults.latencyMs = 700;
    const sending = client.sendText(USER, 'chờ làm mới token');
    // The send is rejected first (700 ms), then the refresh waits on Zalo's OAuth (700 ms more).
    await new Promise((r) => setTimeout(r, 900));
    const started = Date.now();
    await getStoredTokens(database.db);
    // On PGlite a transaction held across the OAuth call would have made this wait for Zalo.
    expect(Date.now() - started).toBeLessThan(300);
    await sending;
    zalo.faults.latencyMs = 0;
    expect(zalo.oauthCalls).toHaveLength(1);
    expect(await getStoredTokens(database.db)).toMatchObject(zalo.currentTokens());
  });

  it('refreshes proactively when the stored token expires within 5 minutes', async () => {
    await replaceTokens(database.db, {
      accessToken: `at-${seq}`,
      refreshToken: `rt-${seq}`,
      expiresAt: new Date(Date.now() + 2 * 60 * 1000),
    });
    const client = makeClient();
    await client.sendText(USER, 'chủ động');
    expect(zalo.oauthCalls).toHaveLength(1);
    expect(zalo.callCount(SEND_PATH)).toBe(1); // no rejected try first
  });

  it('a refused refresh is an auth error and leaves the stored pair untouched', async () => {
    zalo.setAccessToken('at-elsewhere', 'rt-elsewhere'); // the stored pair is now stale at Zalo
    const client = makeClient();
    const err = await client.sendText(USER, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ kind: 'auth', endpoint: 'oauth/refresh' });
    expect(await getStoredTokens(database.db)).toMatchObject({ accessToken: `at-${seq}`, refreshToken: `rt-${seq}` });
    expect(zalo.sent).toHaveLength(0);
  });

  it('seedTokens inserts once and never overwrites a rotated pair', async () => {
    expect(await seedTokens(database.db, { accessToken: 'env-at', refreshToken: 'env-rt' })).toBe(false);
    expect(await getStoredTokens(database.db)).toMatchObject({ accessToken: `at-${seq}`, expiresAt: null });
  });

  it('never logs tokens or message text', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (s: string) => lines.push(s) } as any);
    const client = makeClient(database.db, { logger });
    zalo.expireAccessToken();
    await client.sendText(USER, 'nội dung bí mật');
    const out = lines.join('');
    expect(out).toContain('token refreshed');
    for (const secret of [`at-${seq}`, `rt-${seq}`, zalo.currentTokens().accessToken, zalo.currentTokens().refreshToken, 'bí mật', zalo.appSecret]) {
      expect(out).not.toContain(secret);
    }
  });
});

describe('errors', () => {
  it('-230 is a permanent ZaloApiError and is not retried', async () => {
    zalo.faults.permanentFor.add(USER);
    const err = await makeClient().sendText(USER, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ code: -230, kind: 'permanent', endpoint: 'message/cs' });
    expect(zalo.callCount(SEND_PATH)).toBe(1);
    expect(zalo.sent).toHaveLength(0);
  });

  it('503 is a retryable ZaloHttpError', async () => {
    zalo.faults.failRate = 1;
    zalo.faults.failMode = 'http503';
    const err = await makeClient().sendText(USER, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect(err).toMatchObject({ status: 503, kind: 'retryable' });
    expect(zalo.callCount(SEND_PATH)).toBe(1);
  });

  it('an unknown error code is retryable; the rate-limit code flags the queue', async () => {
    zalo.faults.failRate = 1;
    zalo.faults.failMode = 'error';
    await expect(makeClient().sendText(USER, 'x')).rejects.toMatchObject({ code: -500, kind: 'retryable' });
    zalo.reset();
    zalo.faults.rateCapPerSec = 2;
    const client = makeClient();
    await client.sendText(USER, '1');
    await client.sendText(USER, '2');
    const err = await client.sendText(USER, '3').catch((e) => e);
    expect(err).toMatchObject({ code: -32, kind: 'retryable', rateLimited: true, shouldPauseQueue: true });
  });

  it('a slow Zalo times out as a retryable ZaloHttpError', async () => {
    zalo.faults.latencyMs = 400;
    const err = await makeClient(database.db, { timeoutMs: 100 }).sendText(USER, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect(err).toMatchObject({ kind: 'retryable', timedOut: true });
  });

  it('a refused connection is a retryable ZaloHttpError', async () => {
    const down = await startFakeZalo();
    const url = down.url;
    await down.close();
    const err = await makeClient(database.db, { openapiUrl: url }).sendText(USER, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ZaloHttpError);
    expect(err).toMatchObject({ kind: 'retryable', errorCode: 'ECONNREFUSED' });
  });

  it('a -216 answered mid-flight is refreshed and retried once, a second -216 surfaces', async () => {
    zalo.faults.nextSendErrors.push(-216);
    await makeClient().sendText(USER, 'ok');
    expect(zalo.sentTo(USER)).toHaveLength(1);
    zalo.faults.nextSendErrors.push(-216, -216);
    await expect(makeClient().sendText(USER, 'no')).rejects.toMatchObject({ code: -216, kind: 'auth' });
  });
});

describe('other OA calls', () => {
  it('reads a user profile, keeping long ids exact even when sent unquoted', async () => {
    zalo.addUser({ userId: USER, appUserId: '5527106912345678901', name: 'Nguyễn Thị Lan', phone: '84912345678' });
    zalo.faults.bareIds = true;
    const p = await makeClient().getUserProfile(USER);
    expect(p).toMatchObject({
      userId: USER,
      userIdByApp: '5527106912345678901',
      displayName: 'Nguyễn Thị Lan',
      isFollower: true,
      sharedInfo: { phone: '84912345678', name: 'Nguyễn Thị Lan' },
    });
    expect(p.avatar).toMatch(/^https:/);
  });

  it('tags and untags a user', async () => {
    const client = makeClient();
    await client.tagUser(USER, 'doan-vien');
    expect([...zalo.getUser(USER)!.tags]).toEqual(['doan-vien']);
    await client.untagUser(USER, 'doan-vien');
    expect(zalo.getUser(USER)!.tags.size).toBe(0);
  });

  it('uploads an image', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(2000, 7)]);
    const { attachmentId } = await makeClient().uploadImage(png, 'banner.png');
    expect(zalo.uploads).toEqual([{ attachmentId, filename: 'banner.png', contentType: 'image/png', size: png.length }]);
  });
});

describe('mini-app (graph)', () => {
  it('verifies a good mini-app token and rejects a bad one', async () => {
    zalo.addMiniAppToken('user-token-1', { id: '5527106912345678901', name: 'Lan', userIdByOa: USER });
    const client = makeClient();
    expect(await client.getMiniAppUser('user-token-1')).toEqual({
      id: '5527106912345678901',
      name: 'Lan',
      userIdByOa: USER,
      picture: expect.stringMatching(/^https:/),
    });
    const err = await client.getMiniAppUser('forged').catch((e) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ kind: 'auth', endpoint: 'graph/me' });
    await expect(client.getMiniAppUser('')).rejects.toMatchObject({ kind: 'auth' });
  });

  it('exchanges a phone token once', async () => {
    zalo.addMiniAppToken('user-token-2', { id: '5527106912345678902' });
    zalo.addPhoneToken('phone-code-1', '84987654321');
    const client = makeClient();
    expect(await client.exchangePhoneToken('user-token-2', 'phone-code-1')).toBe('84987654321');
    await expect(client.exchangePhoneToken('user-token-2', 'phone-code-1')).rejects.toBeInstanceOf(ZaloApiError);
    zalo.addPhoneToken('phone-code-2', '84987654321');
    await expect(client.exchangePhoneToken('forged', 'phone-code-2')).rejects.toBeInstanceOf(ZaloApiError);
    const noSecret = makeClient(database.db, { appSecret: undefined });
    await expect(noSecret.exchangePhoneToken('user-token-2', 'x')).rejects.toBeInstanceOf(ZaloApiError);
  });
});
