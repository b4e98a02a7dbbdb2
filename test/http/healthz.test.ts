import request from 'supertest';
import { createTestApp } from '../helpers/app';

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} while the database answers, 503 when it does not', async () => {
    const t = await createTestApp();
    const ok = await request(t.app).get('/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ok' });

    await t.close();
    const down = await request(t.app).get('/healthz');
    expect(down.status).toBe(503);
    expect(down.body.status).not.toBe('ok');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const t = await createTestApp();
    const res = await request(t.app).get('/khong-co');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    await t.close();
  });
});
