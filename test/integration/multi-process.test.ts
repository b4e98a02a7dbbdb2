/**
 * Scale-out drill: `start:web` ×2 and `start:worker` ×2 as real processes on one Postgres + Redis, with
 * the fake Zalo server. Webhooks spread over both web processes, a broadcast, a KB edit visible on both
 * web processes within seconds, an expired OA token refreshed once, and a scheduled broadcast started
 * by exactly one of the two workers' schedulers. Runs when CI_SLOW=1 and both servers are configured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import IORedis from 'ioredis';
import request from 'supertest';
import { startFakeZalo, type FakeZalo } from '../fakes/fake-zalo';
import { fakeZaloEnv } from '../helpers/app';
import { createPostgresTestDatabase } from '../helpers/db';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/tier';
import { waitUntil } from '../helpers/server';
import { freePort } from '../e2e/harness';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import type { Database } from '../../shared/db/client';
import { eq } from 'drizzle-orm';
import { broadcastDeliveries } from '../../shared/db/schema';

const enabled = process.env.CI_SLOW === '1' && TEST_DATABASE_URL && TEST_REDIS_URL;
const ROOT = path.resolve(__dirname, '../..');

(enabled ? describe : describe.skip)('multi-process: 2 web + 2 workers on Postgres + Redis', () => {
  let fake: FakeZalo;
  let database: Database & { url: string };
  const procs: ChildProcess[] = [];
  const webs: string[] = [];
  let redisUrl: string;

  function start(role: 'web' | 'worker', env: Record<string, string>) {
    const p = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['bot/main.ts', `--role=${role}`], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let err = '';
    p.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
    p.on('exit', (code) => code && code !== 143 && console.error(`${role} exited ${code}: ${err}`));
    procs.push(p);
  }

  beforeAll(async () => {
    fake = await startFakeZalo();
    database = await createPostgresTestDatabase();
    const u = new URL(TEST_REDIS_URL!);
    u.pathname = '/9';
    redisUrl = u.toString();
    const r = new IORedis(redisUrl);
    await r.flushdb();
    r.disconnect();
    const env = { ...fakeZaloEnv(fake), DATABASE_URL: database.url, REDIS_URL: redisUrl, LOG_LEVEL: 'warn', BROADCAST_RATE: '50', QR_SECRET: 'multi-process-secret-0123456789' };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      webs.push(`http://127.0.0.1:${port}`);
      start('web', { ...env, PORT: String(port) });
    }
    start('worker', { ...env, PORT: '0' });
    start('worker', { ...env, PORT: '0' });
    await waitUntil(async () => {
      const ok = await Promise.all(webs.map((w) => request(w).get('/healthz').then((r) => r.status === 200, () => false)));
      return ok.every(Boolean);
    }, 90000, 500);
  }, 120000);

  afterAll(async () => {
    // tsx runs the server in a child process: signal the whole group, as a process manager would.
    const signal = (p: ChildProcess, sig: NodeJS.Signals) => {
      try {
        process.kill(-p.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    for (const p of procs) signal(p, 'SIGTERM');
    await Promise.race([
      Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r))))),
      new Promise((r) => setTimeout(r, 12000)),
    ]);
    for (const p of procs) signal(p, 'SIGKILL');
    await database?.close();
    await fake?.close();
  });

  it('answers webhooks posted to either web process exactly once, refreshing an expired token once', async () => {
    fake.expireAccessToken();
    const users = Array.from({ length: 20 }, () => zaloId());
    await Promise.all(users.map((u, i) => fake.postWebhook(`${webs[i % 2]}/webhook/zalo`, fake.buildEvent.text(u, 'menu'))));
    // Zalo retries: the same events again, to the other process.
    await Promise.all(users.map((u, i) => fake.postWebhook(`${webs[(i + 1) % 2]}/webhook/zalo`, fake.buildEvent.text(u, 'menu', { msgId: `retry-${u}` }))));
    await waitUntil(() => users.every((u) => fake.sentTo(u).length >= 2), 30000, 100);
    await new Promise((r) => setTimeout(r, 1500));
    for (const u of users) expect(fake.sentTo(u)).toHaveLength(2);
    expect(fake.oauthCalls.filter((c) => c.ok)).toHaveLength(1);
  }, 60000);

  it('sends a broadcast through the workers, every member once; a KB edit shows on both web processes', async () => {
    const branch = await makeBranch(database.db);
    const { token } = await makeOfficer(database.db, { branchId: branch.id, role: 'admin' });
    const auth = { authorization: `Bearer ${token}` };
    const members = await Promise.all(Array.from({ length: 30 }, () => makeMember(database.db, { branchId: branch.id, zaloUserId: zaloId() })));
    const created = await request(webs[0]).post('/api/admin/broadcasts').set(auth).send({ title: 'Họp toàn thể', text: 'Chào {ten}, mời bạn dự họp lúc 14h thứ Sáu.', segment: {} });
    expect(created.status).toBe(201);
    expect(created.body.total).toBe(30);
    expect((await request(webs[1]).post(`/api/admin/broadcasts/${created.body.id}/send`).set(auth)).status).toBe(202);
    await waitUntil(async () => (await request(webs[0]).get(`/api/admin/broadcasts/${created.body.id}`).set(auth)).body.status === 'done', 60000, 250);
    for (const m of members) expect(fake.sentTo(m.zaloUserId!).filter((s) => s.kind === 'promotion')).toHaveLength(1);

    const entry = { topic: 'Thử nghiệm', question: 'Nhà văn hóa công nhân mở cửa mấy giờ?', variants: ['nha van hoa cong nhan mo cua may gio'], keywords: ['nhà văn hóa'], answer: 'Nhà văn hóa công nhân mở cửa từ 6 giờ đến 21 giờ hằng ngày.', citation: 'Thông báo của LĐLĐ' };
    expect((await request(webs[0]).post('/api/admin/kb').set(auth).send(entry)).status).toBe(201);
    await waitUntil(async () => {
      const r = await request(webs[1]).post('/api/admin/kb/try').set(auth).send({ question: 'nha van hoa cong nhan mo cua may gio' });
      return r.body.kind === 'answer' && /6 giờ đến 21 giờ/.test(r.body.text);
    }, 10000, 250);
  }, 120000);

  it('starts a scheduled broadcast once though both workers run the scheduler, and completes it', async () => {
    const branch = await makeBranch(database.db);
    const { token } = await makeOfficer(database.db, { branchId: branch.id, role: 'admin' });
    const auth = { authorization: `Bearer ${token}` };
    const members = await Promise.all(Array.from({ length: 40 }, () => makeMember(database.db, { branchId: branch.id, zaloUserId: zaloId() })));
    const scheduledAt = new Date(Date.now() + 4000);
    const text = 'Chào {ten}, đại hội công đoàn bắt đầu lúc 8h sáng thứ Hai.';
    const created = await request(webs[1]).post('/api/admin/broadcasts').set(auth).send({ title: 'Lịch đại hội', text, segment: {}, scheduledAt: scheduledAt.toISOString() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'scheduled', total: 40 });
    const id = created.body.id as number;
    const get = async () => (await request(webs[0]).get(`/api/admin/broadcasts/${id}`).set(auth)).body;
    await waitUntil(async () => (await get()).status === 'done', 60000, 250);
    const done = await get();
    expect(done).toMatchObject({ status: 'done', total: 40, sent: 40, failed: 0, pending: 0 });
    expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(scheduledAt.getTime() - 50);

    // The ledger: one delivery per member, each claimed and sent once; Zalo saw one message each.
    const rows = await database.db.select().from(broadcastDeliveries).where(eq(broadcastDeliveries.broadcastId, id));
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.memberId)).size).toBe(40);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.zaloMessageId)).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    for (const m of members) {
      const got = fake.sentTo(m.zaloUserId!).filter((s) => s.kind === 'promotion');
      expect(got).toHaveLength(1);
      expect(JSON.stringify(got[0].message)).toContain('đại hội công đoàn');
    }
  }, 120000);
});
