/** HTTP hardening as a browser or Zalo sees it: helmet headers and CSP, CORS only for the mini-app API, body size limits. */
import request from 'supertest';
import { createTestApp } from '../helpers/app';
import { webhookInbox } from '../../shared/db/schema';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('security headers', () => {
  it('sends helmet headers and a CSP without inline scripts; no X-Powered-By', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/object-src 'none'/);
    // The mini-app may be framed by Zalo's hosts only.
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/\*\.zalo\.me https:\/\/\*\.zdn\.vn/);
  });
});

describe('CORS', () => {
  it('lets the Zalo mini-app host call /api/miniapp, and nobody else', async () => {
    const zalo = await request(t.app).options('/api/miniapp/me').set('origin', 'https://h5.zdn.vn').set('access-control-request-method', 'GET');
    expect(zalo.status).toBe(204);
    expect(zalo.headers['access-control-allow-origin']).toBe('https://h5.zdn.vn');

    const evil = await request(t.app).options('/api/miniapp/me').set('origin', 'https://zdn.vn.evil.example').set('access-control-request-method', 'GET');
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never opens the officer API to another origin', async () => {
    const res = await request(t.app).get('/api/admin/members').set('origin', 'https://h5.zdn.vn');
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('body size limits', () => {
  it('refuses an oversized webhook body with 413 JSON and stores nothing', async () => {
    const res = await request(t.app)
      .post('/webhook/zalo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ event_name: 'user_send_text', pad: 'x'.repeat(600 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await t.db.select().from(webhookInbox)).toHaveLength(0);
  });

  it('refuses an oversized mini-app JSON body with 413', async () => {
    const res = await request(t.app)
      .post('/api/miniapp/link')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });
});
