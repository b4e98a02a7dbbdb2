/**
 * Bull Board at /admin/queues: admins get in with the console session cookie (or the API-token cookie);
 * cookie-authenticated writes must come from this origin. The embedded tier runs the local queue driver,
 * so the board answers with its JSON note once auth lets the request through.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { makeBranch, makeOfficer, zaloId } from '../factories';
import { hashToken } from '../../shared/db/queries/officers';
import { createOfficerSession } from '../../shared/db/queries/officer-sessions';
import { SESSION_COOKIE } from '../../miniapp/server/admin/session';
import type { OfficerRole } from '../../shared/db/schema';
import { useFakeZaloApp, type TestApp } from '../helpers/fake-zalo-app';

let t: TestApp;

useFakeZaloApp({}, (s) => void ({ t } = s));

const BOARD = '/admin/queues';
/** A board write as its UI makes it (any path under the board; the local driver answers them all). */
const WRITE = `${BOARD}/api/queues/broadcast/retry/failed`;

/** A console session exactly as sign-in stores it: the cookie carries the id, the table its hash. */
async function session(role: OfficerRole, opts: { expiresInMs?: number } = {}) {
  const branch = await makeBranch(t.db);
  const { officer, token } = await makeOfficer(t.db, { branchId: branch.id, role, zaloUserId: zaloId() });
  const id = crypto.randomBytes(32).toString('base64url');
  await createOfficerSession(t.db, {
    idHash: hashToken(id),
    officerId: officer.id,
    csrfToken: crypto.randomBytes(24).toString('base64url'),
    expiresAt: new Date(Date.now() + (opts.expiresInMs ?? 3600_000)),
  });
  return { officer, token, cookie: `${SESSION_COOKIE}=${id}` };
}

describe('Bull Board accepts the console session', () => {
  it('lets an admin in with the session cookie (GET needs no CSRF token)', async () => {
    const s = await session('admin');
    const res = await request(t.app).get(BOARD).set('cookie', s.cookie);
    expect(res.status).toBe(200);
    expect(res.body.driver).toBe('local');
  });

  it('refuses officers and viewers (403), and no, forged or expired sessions (401)', async () => {
    for (const role of ['officer', 'viewer'] as const) {
      const s = await session(role);
      expect((await request(t.app).get(BOARD).set('cookie', s.cookie)).status).toBe(403);
    }
    expect((await request(t.app).get(BOARD)).status).toBe(401);
    expect((await request(t.app).get(BOARD).set('cookie', `${SESSION_COOKIE}=forged`)).status).toBe(401);
    const expired = await session('admin', { expiresInMs: -1000 });
    expect((await request(t.app).get(BOARD).set('cookie', expired.cookie)).status).toBe(401);
  });

  it('refuses a cookie-authenticated write that is not from this origin', async () => {
    const s = await session('admin');
    const put = () => request(t.app).put(WRITE).set('cookie', s.cookie).set('host', 'congdoan.example');
    const noHeaders = await put();
    expect(noHeaders.status).toBe(403);
    expect(noHeaders.body.error.code).toBe('CROSS_ORIGIN');
    expect((await put().set('origin', 'https://evil.example')).status).toBe(403);
    // A sibling subdomain is the same "site": SameSite=Strict would still send the cookie.
    expect((await put().set('sec-fetch-site', 'same-site').set('origin', 'https://x.congdoan.example')).status).toBe(403);
    expect((await put().set('sec-fetch-site', 'cross-site')).status).toBe(403);
  });

  it('lets a same-origin write through (Sec-Fetch-Site, or Origin when the browser sends no fetch metadata)', async () => {
    const s = await session('admin');
    const viaFetchMeta = await request(t.app).put(WRITE).set('cookie', s.cookie).set('sec-fetch-site', 'same-origin');
    expect(viaFetchMeta.status).toBe(200);
    const viaOrigin = await request(t.app).post(WRITE).set('cookie', s.cookie).set('host', 'congdoan.example').set('origin', 'https://congdoan.example');
    expect(viaOrigin.status).toBe(200);
  });

  it('still accepts ?token= (kept in a path-limited cookie) and a Bearer header, which needs no origin check', async () => {
    const s = await session('admin');
    const hop = await request(t.app).get(`${BOARD}?token=${encodeURIComponent(s.token)}`);
    expect(hop.status).toBe(303);
    expect(hop.headers.location).toBe(BOARD);
    const setCookie = (hop.headers['set-cookie'] as unknown as string[]).join(';');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toContain(`Path=${BOARD}`);
    const cookie = (hop.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    expect((await request(t.app).get(BOARD).set('cookie', cookie)).status).toBe(200);
    expect((await request(t.app).put(WRITE).set('cookie', cookie)).status).toBe(403);
    expect((await request(t.app).put(WRITE).set('authorization', `Bearer ${s.token}`)).status).toBe(200);
  });

  it('ops/status tells the console which queue driver runs (the Bull Board link is shown for bullmq only)', async () => {
    const s = await session('viewer');
    const res = await request(t.app).get('/api/admin/ops/status').set('cookie', s.cookie);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queueDriver: 'local', demoMode: false, webhook: null });
  });
});
