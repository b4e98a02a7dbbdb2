/** Console sign-in: OTP over the OA → session cookie + CSRF; expiry, logout, rate limits, demo one-click. */
import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { FakeZalo } from '../fakes/fake-zalo';
import { createTestApp } from '../helpers/app';
import { makeBranch, makeOfficer, zaloId } from '../factories';
import { createOfficer } from '../../shared/db/queries/officers';
import { LIMITS } from '../../miniapp/server/admin/session';
import { useFakeZaloApp, type TestApp } from '../helpers/fake-zalo-app';

let fake: FakeZalo;
let t: TestApp;
let phoneSeq = 0;

useFakeZaloApp({}, (s) => void ({ fake, t } = s));

const api = () => request(t.app);

/** A fresh officer with a unique phone (so per-phone limits never leak between tests). */
async function officerWithPhone(role: 'admin' | 'officer' | 'viewer' = 'officer') {
  const branch = await makeBranch(t.db);
  // Unique within this file's database (a random part once let two officers share a phone, so the
  // code went to the other officer's Zalo and the test waited in vain).
  const n = String(10000000 + ++phoneSeq * 7919).slice(-8);
  const phone = `+849${n}`;
  const zaloUserId = zaloId();
  const { officer, token } = await createOfficer(t.db, { name: 'Phạm Minh Cán Bộ', branchId: branch.id, role, phone, zaloUserId });
  return { officer, token, branch, phone, localPhone: `09${n}`, zaloUserId };
}

async function requestCode(localPhone: string, zaloUserId: string): Promise<string> {
  const before = fake.sentTo(zaloUserId).length;
  const res = await api().post('/api/admin/auth/otp').send({ phone: localPhone });
  expect(res.status).toBe(200);
  const msgs = await fake.waitForSent(before + 1, { userId: zaloUserId, timeoutMs: 5000 });
  const m = /(\d{6})/.exec(msgs[msgs.length - 1].text ?? '');
  expect(m).not.toBeNull();
  return m![1];
}

function cookieOf(res: request.Response): string {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const c = (raw ?? []).find((s) => s.startsWith('cd_admin_session='));
  expect(c).toBeDefined();
  return c!.split(';')[0];
}

async function signIn() {
  const o = await officerWithPhone();
  const code = await requestCode(o.localPhone, o.zaloUserId);
  const res = await api().post('/api/admin/auth/verify').send({ phone: o.localPhone, code });
  expect(res.status).toBe(200);
  return { ...o, res, cookie: cookieOf(res), csrf: res.body.csrfToken as string };
}

describe('OTP sign-in', () => {
  it('sends a 6-digit code as an OA cs message and signs in with a hardened session cookie', async () => {
    const s = await signIn();
    const sent = fake.sentTo(s.zaloUserId);
    expect(sent[sent.length - 1].kind).toBe('cs');
    const setCookie = (s.res.headers['set-cookie'] as unknown as string[]).join(';');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(s.csrf).toMatch(/^[\w-]{20,}$/);
    expect(s.res.body.officer).toMatchObject({ id: s.officer.id, role: 'officer', branch: { code: s.branch.code } });

    const me = await api().get('/api/admin/auth/me').set('cookie', s.cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'officer', officer: { name: 'Phạm Minh Cán Bộ', branch: { code: s.branch.code } }, csrfToken: s.csrf });

    // The session id is stored hashed, never as issued.
    const id = s.cookie.split('=')[1];
    const rows = await t.db.execute(sql`select id_hash from officer_sessions where officer_id = ${s.officer.id}`);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(id);
  });

  it('answers the same for an unknown phone and sends nothing', async () => {
    const before = fake.sent.length;
    const known = await officerWithPhone();
    const a = await api().post('/api/admin/auth/otp').send({ phone: '0999000111' });
    const b = await api().post('/api/admin/auth/otp').send({ phone: known.localPhone });
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    await fake.waitForSent(1, { userId: known.zaloUserId });
    expect(fake.sent.length - before).toBe(1);
  });

  it('refuses a code used twice, and a wrong code', async () => {
    const o = await officerWithPhone();
    const code = await requestCode(o.localPhone, o.zaloUserId);
    const wrong = await api().post('/api/admin/auth/verify').send({ phone: o.localPhone, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('OTP_INVALID');
    expect((await api().post('/api/admin/auth/verify').send({ phone: o.localPhone, code })).status).toBe(200);
    expect((await api().post('/api/admin/auth/verify').send({ phone: o.localPhone, code })).status).toBe(401);
  });

  it('rate-limits wrong codes per phone: after the limit even the right code gets 429', async () => {
    const o = await officerWithPhone();
    const code = await requestCode(o.localPhone, o.zaloUserId);
    const bad = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < LIMITS.failPerPhone; i++) {
      expect((await api().post('/api/admin/auth/verify').send({ phone: o.localPhone, code: bad })).status).toBe(401);
    }
    const blocked = await api().post('/api/admin/auth/verify').send({ phone: o.localPhone, code });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
  });

  it('rate-limits code requests per phone', async () => {
    const o = await officerWithPhone();
    for (let i = 0; i < LIMITS.sendPerPhone; i++) expect((await api().post('/api/admin/auth/otp').send({ phone: o.localPhone })).status).toBe(200);
    expect((await api().post('/api/admin/auth/otp').send({ phone: o.localPhone })).status).toBe(429);
  });

  it('validates the body with field paths', async () => {
    const res = await api().post('/api/admin/auth/verify').send({ phone: '0912345678', code: '12' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/code/);
  });
});

describe('session cookie + CSRF', () => {
  it('refuses a state-changing cookie request without (or with a wrong) x-csrf-token: 403', async () => {
    const s = await signIn();
    const body = { title: 'Hội nghị thử CSRF', startsAt: new Date().toISOString() };
    const none = await api().post('/api/admin/events').set('cookie', s.cookie).send(body);
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('CSRF_INVALID');
    const wrong = await api().post('/api/admin/events').set('cookie', s.cookie).set('x-csrf-token', 'x'.repeat(32)).send(body);
    expect(wrong.status).toBe(403);
    const ok = await api().post('/api/admin/events').set('cookie', s.cookie).set('x-csrf-token', s.csrf).send(body);
    expect(ok.status).toBe(201);
    // GETs need no CSRF header.
    expect((await api().get('/api/admin/events').set('cookie', s.cookie)).status).toBe(200);
  });

  it('Bearer-token requests need no CSRF header', async () => {
    const branch = await makeBranch(t.db);
    const { token } = await makeOfficer(t.db, { branchId: branch.id, role: 'officer' });
    const res = await api()
      .post('/api/admin/events')
      .set('authorization', `Bearer ${token}`)
      .send({ title: 'Hội nghị bằng token', startsAt: new Date().toISOString() });
    expect(res.status).toBe(201);
  });

  it('an expired session answers 401', async () => {
    const s = await signIn();
    await t.db.execute(sql`update officer_sessions set expires_at = now() - interval '1 minute' where officer_id = ${s.officer.id}`);
    const res = await api().get('/api/admin/auth/me').set('cookie', s.cookie);
    expect(res.status).toBe(401);
    expect((await api().get('/api/admin/dashboard').set('cookie', s.cookie)).status).toBe(401);
  });

  it('logout (with CSRF) ends the session', async () => {
    const s = await signIn();
    expect((await api().post('/api/admin/auth/logout').set('cookie', s.cookie)).status).toBe(403);
    const out = await api().post('/api/admin/auth/logout').set('cookie', s.cookie).set('x-csrf-token', s.csrf);
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/cd_admin_session=;/);
    expect((await api().get('/api/admin/auth/me').set('cookie', s.cookie)).status).toBe(401);
  });

  it('a forged cookie is 401', async () => {
    expect((await api().get('/api/admin/auth/me').set('cookie', 'cd_admin_session=forged')).status).toBe(401);
  });

  it('demo sign-in is not available outside demo mode', async () => {
    expect((await api().get('/api/admin/auth/demo-officers')).status).toBe(404);
    expect((await api().post('/api/admin/auth/demo').send({ officerId: 1 })).status).toBe(404);
  });
});

describe('demo mode one-click sign-in', () => {
  it('lists officers and signs in as one', async () => {
    // Same database, an app without OA tokens = demo mode.
    const demo = await createTestApp({ database: t.database, env: { ZALO_OPENAPI_URL: fake.url, ZALO_OAUTH_URL: fake.url, ZALO_GRAPH_URL: fake.url } });
    expect(demo.deps.config.demoMode).toBe(true);
    const o = await officerWithPhone('viewer');
    const list = await request(demo.app).get('/api/admin/auth/demo-officers');
    expect(list.status).toBe(200);
    expect(list.body.items.some((x: { id: number }) => x.id === o.officer.id)).toBe(true);
    const res = await request(demo.app).post('/api/admin/auth/demo').send({ officerId: o.officer.id });
    expect(res.status).toBe(200);
    const me = await request(demo.app).get('/api/admin/auth/me').set('cookie', cookieOf(res));
    expect(me.body).toMatchObject({ role: 'viewer', demoMode: true });
    demo.kb.close();
    await demo.inbox.close();
    demo.deps.zalo.close();
  });
});
