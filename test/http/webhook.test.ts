/** POST /webhook/zalo against a fake Zalo server on a real port, with the real inbox and bot. */
import http from 'node:http';
import zlib from 'node:zlib';
import { count, eq } from 'drizzle-orm';
import request from 'supertest';
import type { FakeZalo } from '../fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../helpers/app';
import { webhookInbox } from '../../shared/db/schema';
import { zaloId } from '../factories';
import { useFakeZaloApp, type TestApp, type Listening } from '../helpers/fake-zalo-app';
import { listen } from '../helpers/server';

let fake: FakeZalo;
let t: TestApp;
let srv: Listening;
const hook = () => `${srv.url}/webhook/zalo`;
const inboxCount = async () => Number((await t.db.select({ n: count() }).from(webhookInbox))[0].n);

useFakeZaloApp({}, (s) => void ({ fake, t, srv } = s));
beforeEach(async () => {
  await t.inbox.drain();
  fake.reset();
});

describe('webhook security and parsing', () => {
  it('answers 401 to a missing or bad signature and stores/sends nothing', async () => {
    const before = await inboxCount();
    const user = zaloId();
    const unsigned = await fake.postWebhook(hook(), fake.buildEvent.text(user, 'xin chào'), { sign: false });
    const tampered = await fake.postWebhook(hook(), fake.buildEvent.text(user, 'xin chào'), { tamper: 'body' });
    const wrongKey = await fake.postWebhook(hook(), fake.buildEvent.text(user, 'xin chào'), { secret: 'not-the-oa-secret' });
    expect([unsigned.status, tampered.status, wrongKey.status]).toEqual([401, 401, 401]);
    await t.inbox.drain();
    expect(await inboxCount()).toBe(before);
    expect(fake.sent).toHaveLength(0);
  });

  it('answers 400 to a signed event that fails its schema, and to implausible timestamps', async () => {
    const bad = fake.buildEvent.text(zaloId(), 'x');
    delete bad.sender;
    expect((await fake.postWebhook(hook(), bad)).status).toBe(400);
    const future = fake.buildEvent.text(zaloId(), 'x', { ts: Date.now() + 3600_000 });
    const ancient = fake.buildEvent.text(zaloId(), 'x', { ts: Date.now() - 24 * 3600_000 });
    expect((await fake.postWebhook(hook(), future)).status).toBe(400);
    expect((await fake.postWebhook(hook(), ancient)).status).toBe(400);
    // 11 hours old is still inside Zalo's retry horizon.
    expect((await fake.postWebhook(hook(), fake.buildEvent.text(zaloId(), 'menu', { ts: Date.now() - 11 * 3600_000 }))).status).toBe(200);
  });

  it('stores an unknown event name, answers 200 and does nothing else', async () => {
    const ev = fake.buildEvent.custom('user_did_something_new', { sender: { id: zaloId() } });
    const res = await fake.postWebhook(hook(), ev);
    expect(res.status).toBe(200);
    await t.inbox.drain();
    const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.eventName, 'user_did_something_new'));
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('ignored');
    expect(fake.sent).toHaveLength(0);
  });

  it('acknowledges fast and replies once to an event delivered three times', async () => {
    const user = zaloId();
    const ev = fake.buildEvent.text(user, 'menu');
    const results = await Promise.all([fake.postWebhook(hook(), ev), fake.postWebhook(hook(), ev), fake.postWebhook(hook(), ev)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of results) expect(r.ms).toBeLessThan(2000);
    await t.inbox.drain();
    await new Promise((r) => setTimeout(r, 100));
    await t.inbox.drain();
    expect(fake.sentTo(user)).toHaveLength(1);
    expect(fake.sentTo(user)[0].kind).toBe('cs');
  });

  it('a text with a NUL or a lone surrogate does not fail the other events stored with it', async () => {
    const odd = [zaloId(), zaloId()];
    const plain = Array.from({ length: 8 }, () => zaloId());
    const events = [
      fake.buildEvent.text(odd[0], 'tin lạ \u0000 giữa câu'),
      fake.buildEvent.text(odd[1], 'nửa emoji \ud83d cuối'),
      ...plain.map((u) => fake.buildEvent.text(u, 'menu')),
    ];
    const results = await Promise.all(events.map((e) => fake.postWebhook(hook(), e)));
    expect(results.map((r) => r.status)).toEqual(events.map(() => 200));
    await t.inbox.drain();
    for (const u of plain) expect(fake.sentTo(u)).toHaveLength(1);
    const [stored] = await t.db.select().from(webhookInbox).where(eq(webhookInbox.zaloUserId, odd[0]));
    expect((stored.payload as { message: { text: string } }).message.text).toBe('tin lạ \ufffd giữa câu');
  });

  it('keeps every digit of ids beyond 2^53', async () => {
    const user = '9007199254740993123';
    const raw = JSON.stringify(fake.buildEvent.text(user, 'menu')).replace(`"${user}"`, user);
    expect((await fake.postWebhook(hook(), raw)).status).toBe(200);
    await t.inbox.drain();
    expect(fake.sentTo(user)).toHaveLength(1);
  });
});

describe('the webhook served before Express', () => {
  const post = (url: string, raw: string | Buffer, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  /** POSTs with the request target in absolute form (http://host:port/webhook/zalo); resolves the status. */
  const postAbsoluteForm = (raw: string) =>
    new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(srv.url);
      const headers = { 'content-type': 'application/json', 'x-zevent-signature': fake.signEvent(raw) };
      const req = http.request({ hostname, port, method: 'POST', path: `${srv.url}/webhook/zalo`, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(raw);
    });

  it('answers the path as Express matched it: query string, trailing slash, any case', async () => {
    const users = [zaloId(), zaloId(), zaloId()];
    const urls = [`${srv.url}/webhook/zalo?via=zalo`, `${srv.url}/webhook/zalo/`, `${srv.url}/Webhook/Zalo`];
    const codes = await Promise.all(urls.map((u, i) => fake.postWebhook(u, fake.buildEvent.text(users[i], 'menu')).then((r) => r.status)));
    expect(codes).toEqual([200, 200, 200]);
    await t.inbox.drain();
    for (const u of users) expect(fake.sentTo(u)).toHaveLength(1);
    // An absolute-form target (as sent to a proxy) names the same path for Express's router: served too.
    const viaProxy = zaloId();
    expect(await postAbsoluteForm(JSON.stringify(fake.buildEvent.text(viaProxy, 'menu')))).toBe(200);
    await t.inbox.drain();
    expect(fake.sentTo(viaProxy)).toHaveLength(1);
    // Zalo's URL check (a GET) is still Express's.
    expect((await fetch(hook())).status).toBe(200);
    // Not the webhook: Express answers, with its 404.
    const other = await fetch(`${srv.url}/webhook/zalox`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('inflates a gzip body and checks the signature on the JSON; refuses an unknown encoding with 415', async () => {
    const user = zaloId();
    const raw = JSON.stringify(fake.buildEvent.text(user, 'menu'));
    const ok = await post(hook(), zlib.gzipSync(raw), { 'content-encoding': 'gzip', 'x-zevent-signature': fake.signEvent(raw) });
    expect(ok.status).toBe(200);
    await t.inbox.drain();
    expect(fake.sentTo(user)).toHaveLength(1);
    const odd = await post(hook(), raw, { 'content-encoding': 'x-unknown', 'x-zevent-signature': fake.signEvent(raw) });
    expect(odd.status).toBe(415);
    expect(((await odd.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });

  it('answers 413 in the common error shape past 512 kB, and stays up for the next event', async () => {
    const big = JSON.stringify({ ...fake.buildEvent.text(zaloId(), 'x'), pad: 'a'.repeat(600 * 1024) });
    const res = await post(hook(), big, { 'x-zevent-signature': fake.signEvent(big) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('quá lớn') } });
    expect((await fake.postWebhook(hook(), fake.buildEvent.text(zaloId(), 'menu'))).status).toBe(200);
  });
});

describe('without ZALO_OA_SECRET_KEY', () => {
  it('answers 400 to malformed JSON', async () => {
    const open = await createTestApp({ env: { ...fakeZaloEnv(fake), ZALO_OA_SECRET_KEY: '' } });
    const res = await request(open.app).post('/webhook/zalo').set('content-type', 'application/json').send('{"event_name": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
    await open.close();
  });
});

describe('flood guard', () => {
  it('answers 429 past WEBHOOK_FLOOD_LIMIT_PER_MINUTE from one address and stores nothing of the refused', async () => {
    const capped = await createTestApp({ env: { ...fakeZaloEnv(fake), WEBHOOK_FLOOD_LIMIT_PER_MINUTE: '2' } });
    try {
      const s = await listen(capped.app);
      try {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++) codes.push((await fake.postWebhook(`${s.url}/webhook/zalo`, fake.buildEvent.text(zaloId(), `tin ${i}`))).status);
        expect(codes).toEqual([200, 200, 429]);
        expect(Number((await capped.db.select({ n: count() }).from(webhookInbox))[0].n)).toBe(2);
        // Behind the local reverse proxy (trusted, as Express's req.ip trusts it) each client counts apart.
        const proxied = await fake.postWebhook(`${s.url}/webhook/zalo`, fake.buildEvent.text(zaloId(), 'menu'), { headers: { 'x-forwarded-for': '203.0.113.7' } });
        expect(proxied.status).toBe(200);
      } finally {
        await s.close();
      }
    } finally {
      await capped.close();
    }
  });
});

describe('token refresh', () => {
  it('refreshes once when the access token expired and the replies still go out', async () => {
    fake.expireAccessToken();
    const users = Array.from({ length: 10 }, () => zaloId());
    await Promise.all(users.map((u) => fake.postWebhook(hook(), fake.buildEvent.text(u, 'menu'))));
    await t.inbox.drain();
    expect(fake.oauthCalls.filter((c) => c.ok)).toHaveLength(1);
    for (const u of users) expect(fake.sentTo(u)).toHaveLength(1);
  });
});

describe('inbox processing', () => {
  it('marks an event failed when Zalo refuses the user for good, and still answers others', async () => {
    const blocked = zaloId();
    const fine = zaloId();
    fake.faults.permanentFor.add(blocked);
    await fake.postWebhook(hook(), fake.buildEvent.text(blocked, 'menu'));
    await fake.postWebhook(hook(), fake.buildEvent.text(fine, 'menu'));
    await t.inbox.drain();
    expect(fake.sentTo(fine)).toHaveLength(1);
    const rows = await t.db.select().from(webhookInbox).where(eq(webhookInbox.zaloUserId, blocked));
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toMatch(/-230/);
  });
});
