/**
 * The fake Zalo itself: its webhook emitter against our verifier and schemas, OAuth single-use
 * refresh tokens, validation, rate cap and helpers that later tests rely on.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createZaloClient,
  eventUserId,
  MemoryTokenStore,
  parseWebhookEvent,
  parseWebhookJson,
  TokenManager,
  verifyWebhookSignature,
  type ParsedWebhookEvent,
  type ZaloClient,
} from '../../shared/zalo';
import { buildEvent, signEvent, startFakeZalo, type FakeZalo } from '../fakes/fake-zalo';

const USER = '3368637342326461234';

let zalo: FakeZalo;
let hook: http.Server;
let hookUrl: string;
const received: ParsedWebhookEvent[] = [];

beforeAll(async () => {
  zalo = await startFakeZalo({ strictUsers: false });
  // A minimal webhook receiver in the style the bot will use: raw body → verify → parse.
  const app = express();
  app.post('/webhook/zalo', express.raw({ type: '*/*' }), (req, res) => {
    const raw = req.body as Buffer;
    if (!verifyWebhookSignature(req.get('x-zevent-signature'), raw, zalo.oaSecretKey)) return res.status(401).end();
    const parsed = parseWebhookEvent(parseWebhookJson(raw.toString('utf8')));
    received.push(parsed);
    return res.status(parsed.ok ? 200 : 400).json({ ok: parsed.ok });
  });
  hook = http.createServer(app);
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhook/zalo`;
});

afterAll(async () => {
  hook?.closeAllConnections();
  await new Promise((r) => hook?.close(r));
  await zalo?.close();
});

beforeEach(() => {
  zalo.reset();
  received.length = 0;
});

function clientFor(z: FakeZalo): ZaloClient {
  return createZaloClient({
    openapiUrl: z.url,
    oauthUrl: z.url,
    graphUrl: z.url,
    appId: z.appId,
    appSecret: z.appSecret,
    tokens: new TokenManager(new MemoryTokenStore({ ...z.currentTokens(), expiresAt: null })),
  });
}

describe('webhook emitter', () => {
  it('posts signed events our verifier accepts, with long string ids', async () => {
    const ev = zalo.buildEvent.text(USER, 'Cho hỏi về trợ cấp ốm đau', { msgId: 'm-1' });
    const r = await zalo.postWebhook(hookUrl, ev);
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2000);
    const parsed = received[0];
    if (!parsed.ok || !parsed.known || parsed.event.event_name !== 'user_send_text') throw new Error('unexpected');
    expect(parsed.event.sender.id).toBe(USER);
    expect(parsed.event.recipient.id).toBe(zalo.oaId);
    expect(parsed.event.app_id).toBe(zalo.appId);
    expect(parsed.event.message).toMatchObject({ msg_id: 'm-1', text: 'Cho hỏi về trợ cấp ốm đau' });
  });

  it.each(['body', 'timestamp', 'signature'] as const)('a tampered %s is rejected', async (tamper) => {
    const r = await zalo.postWebhook(hookUrl, zalo.buildEvent.text(USER, 'xin chào'), { tamper });
    expect(r.status).toBe(401);
  });

  it('an unsigned post or one signed with another secret is rejected', async () => {
    expect((await zalo.postWebhook(hookUrl, zalo.buildEvent.follow(USER), { sign: false })).status).toBe(401);
    expect((await zalo.postWebhook(hookUrl, zalo.buildEvent.follow(USER), { secret: 'wrong' })).status).toBe(401);
  });

  it('a raw string with bare 19-digit ids is signed as is and parses exactly', async () => {
    const raw = `{"app_id":${zalo.appId},"event_name":"follow","timestamp":"1767225600000","oa_id":${zalo.oaId},"follower":{"id":${USER}}}`;
    expect(zalo.signEvent(raw)).toBe(signEvent(raw, zalo.oaSecretKey));
    const r = await zalo.postWebhook(hookUrl, raw);
    expect(r.status).toBe(200);
    expect(r.raw).toBe(raw);
    const parsed = received[0];
    expect(parsed.ok && eventUserId(parsed.event)).toBe(USER);
  });

  it('every builder produces an event our schemas know, about the right user', () => {
    const b = zalo.buildEvent;
    const events = [
      b.text(USER, 'a'),
      b.image(USER, 'https://example.org/a.jpg'),
      b.attachments(USER, 'user_send_location', [{ type: 'location', payload: { coordinates: { latitude: 21.03, longitude: 105.85 } } }]),
      b.follow(USER),
      b.unfollow(USER),
      b.submitInfo(USER, { name: 'Lan', phone: '84912345678' }),
      b.received(USER, 'oa-1'),
      b.seen(USER, ['oa-1', 'oa-2']),
      b.clickChatNow(USER),
      b.reacted(USER, 'oa-1'),
    ];
    for (const ev of events) {
      const p = parseWebhookEvent(parseWebhookJson(JSON.stringify(ev)));
      expect({ name: ev.event_name, ok: p.ok, known: p.ok && p.known }).toEqual({ name: ev.event_name, ok: true, known: true });
      if (p.ok) expect(eventUserId(p.event)).toBe(USER);
    }
    const custom = parseWebhookEvent(b.custom('user_withdraw', { user_id: USER }));
    expect(custom).toMatchObject({ ok: true, known: false });
    // Registered users carry their app-scoped id; the standalone builder uses defaults.
    zalo.addUser({ userId: USER, appUserId: '5527106912345678901' });
    expect(zalo.buildEvent.text(USER, 'x').user_id_by_app).toBe('5527106912345678901');
    expect(buildEvent.text(USER, 'x').app_id).toMatch(/^\d{19}$/);
  });
});

describe('OAuth', () => {
  async function refresh(z: FakeZalo, refreshToken: string, secret = z.appSecret) {
    const res = await fetch(`${z.url}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: secret },
      body: new URLSearchParams({ app_id: z.appId, grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('rotates single-use refresh tokens', async () => {
    const { refreshToken } = zalo.currentTokens();
    const first = await refresh(zalo, refreshToken);
    expect(first).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: '90000' });
    expect(zalo.currentTokens()).toEqual({ accessToken: first.access_token, refreshToken: first.refresh_token });
    const reused = await refresh(zalo, refreshToken);
    expect(reused).toMatchObject({ error: expect.any(Number), error_description: expect.any(String) });
    expect(reused).not.toHaveProperty('access_token');
    expect(await refresh(zalo, String(first.refresh_token), 'wrong-secret')).toHaveProperty('error');
    expect(zalo.oauthCalls.map((c) => c.ok)).toEqual([true, false, false]);
  });

  it('exchanges an authorization code once', async () => {
    zalo.addAuthCode('code-1');
    const post = () =>
      fetch(`${zalo.url}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: zalo.appSecret },
        body: new URLSearchParams({ app_id: zalo.appId, grant_type: 'authorization_code', code: 'code-1' }).toString(),
      }).then((r) => r.json());
    expect(await post()).toHaveProperty('access_token');
    expect(await post()).toHaveProperty('error');
  });
});

describe('message endpoint', () => {
  async function rawSend(body: unknown, kind = 'cs') {
    const res = await fetch(`${zalo.url}/v3.0/oa/message/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: zalo.currentTokens().accessToken },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { error: number; message: string };
  }

  it('validates the envelope (-201) and the text length (-210)', async () => {
    expect((await rawSend({ message: { text: 'x' } })).error).toBe(-201);
    expect((await rawSend({ recipient: { user_id: USER } })).error).toBe(-201);
    expect((await rawSend({ recipient: { user_id: USER }, message: { text: '' } })).error).toBe(-201);
    const sixButtons = Array.from({ length: 6 }, (_, i) => ({ type: 'oa.query.show', title: `b${i}`, payload: 'p' }));
    expect((await rawSend({ recipient: { user_id: USER }, message: { text: 'x', attachment: { type: 'template', payload: { buttons: sixButtons } } } })).error).toBe(-201);
    expect((await rawSend({ recipient: { user_id: USER }, message: { text: 'x'.repeat(2001) } })).error).toBe(-210);
    expect((await rawSend({ recipient: { user_id: USER }, message: { text: 'x' } }, 'broadcast')).error).toBe(-201);
    expect(zalo.sent).toHaveLength(0);
    expect((await rawSend({ recipient: { user_id: USER }, message: { text: 'x'.repeat(2000) } })).error).toBe(0);
  });

  it('answers -216 to a wrong token', async () => {
    const res = await fetch(`${zalo.url}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: 'nope' },
      body: JSON.stringify({ recipient: { user_id: USER }, message: { text: 'x' } }),
    });
    expect(await res.json()).toEqual({ error: -216, message: 'Access token is invalid' });
  });

  it('strict mode refuses unknown users and non-followers', async () => {
    const strict = await startFakeZalo({ strictUsers: true });
    const client = clientFor(strict);
    try {
      await expect(client.sendText('111', 'x')).rejects.toMatchObject({ code: -201, kind: 'permanent' });
      strict.addUser({ userId: '222', isFollower: false });
      await expect(client.sendText('222', 'x')).rejects.toMatchObject({ code: -213, kind: 'permanent' });
      strict.faults.errorFor.set('333', -217);
      strict.addUser({ userId: '333' });
      await expect(client.sendText('333', 'x')).rejects.toMatchObject({ code: -217, kind: 'permanent' });
      strict.addUser({ userId: '444' });
      await client.sendText('444', 'x');
      expect(strict.sentTo('444')).toHaveLength(1);
    } finally {
      client.close();
      await strict.close();
    }
  });

  it('caps accepted sends per second and reports the peak', async () => {
    zalo.faults.rateCapPerSec = 5;
    const client = clientFor(zalo);
    try {
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.sendText(USER, `m${i}`)));
      const accepted = results.filter((r) => r.status === 'fulfilled').length;
      const limited = results.filter((r) => r.status === 'rejected' && (r.reason as { rateLimited?: boolean }).rateLimited);
      expect(accepted).toBe(5);
      expect(limited).toHaveLength(15);
      expect(zalo.peakPerSecond()).toBe(5);
    } finally {
      client.close();
    }
  });

  it('waitForSent resolves when messages arrive, and times out otherwise', async () => {
    const client = clientFor(zalo);
    try {
      const waiting = zalo.waitForSent(2, { userId: USER, timeoutMs: 2000 });
      setTimeout(() => void client.sendText(USER, 'một').then(() => client.sendText(USER, 'hai')), 20);
      expect((await waiting).map((m) => m.text)).toEqual(['một', 'hai']);
      await expect(zalo.waitForSent(3, { userId: USER, timeoutMs: 50 })).rejects.toThrow(/waited for 3/);
      const seen: string[] = [];
      const off = zalo.onSent((m) => seen.push(m.text ?? ''));
      await client.sendText(USER, 'ba');
      off();
      await client.sendText(USER, 'bốn');
      expect(seen).toEqual(['ba']);
    } finally {
      client.close();
    }
  });

  it('answers unknown routes with 404 JSON', async () => {
    const res = await fetch(`${zalo.url}/v3.0/oa/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toHaveProperty('error');
  });
});
