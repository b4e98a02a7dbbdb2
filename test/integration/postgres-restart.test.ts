/**
 * Restart drill: PostgreSQL crashes (`pg_ctl stop -m immediate`) while webhooks arrive and a broadcast
 * runs, and comes back a few seconds later. A web and a worker process (`start:web`, `start:worker`)
 * must survive on their own; a webhook acknowledged with 2xx is answered exactly once, one posted
 * while the database is down gets a non-2xx (Zalo re-sends it) and is answered after the re-send; the
 * broadcast completes with every member once. The drill runs its own throwaway cluster and Redis on
 * free ports, never the shared servers. Runs when CI_SLOW=1 with Postgres + Redis configured and
 * initdb / pg_ctl installed.
 */
import request from 'supertest';
import { startFakeZalo, type FakeZalo, type FakeEvent } from '../fakes/fake-zalo';
import { fakeZaloEnv } from '../helpers/app';
import { waitUntil } from '../helpers/server';
import { createThrowawayPostgres, freePort, throwawayPostgresUnavailable, startAppProcess, startPrivateRedis, type GroupProc, type ThrowawayPostgres } from '../helpers/drill';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/tier';
import { makeBranch, makeOfficer, zaloId } from '../factories';
import { upsertMembers } from '../../shared/db/queries/members';
import { openDatabase, type Database } from '../../shared/db/client';

const slow = process.env.CI_SLOW === '1' && TEST_DATABASE_URL && TEST_REDIS_URL;
const unavailable = slow ? throwawayPostgresUnavailable() : null;
if (unavailable) console.warn(`postgres-restart drill skipped: ${unavailable}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(slow && !unavailable ? describe : describe.skip)('restart drill: PostgreSQL restarted mid-run', () => {
  let fake: FakeZalo;
  let pg: ThrowawayPostgres | undefined;
  let redis: GroupProc | undefined;
  let database: Database | undefined;
  const procs: GroupProc[] = [];
  let web = '';

  beforeAll(async () => {
    fake = await startFakeZalo();
    pg = createThrowawayPostgres(await freePort());
    pg.start();
    const { default: postgres } = await import('postgres');
    const admin = postgres(pg.url(), { max: 1, onnotice: () => {} });
    await admin.unsafe('create database congdoan');
    await admin.end();
    database = await openDatabase({ databaseUrl: pg.url('congdoan'), max: 4 });
    await database.migrate();
    const redisPort = await freePort();
    redis = await startPrivateRedis(redisPort);
    const webPort = await freePort();
    web = `http://127.0.0.1:${webPort}`;
    const env = { ...fakeZaloEnv(fake), DATABASE_URL: pg.url('congdoan'), REDIS_URL: `redis://127.0.0.1:${redisPort}`, LOG_LEVEL: 'warn', BROADCAST_RATE: '30' };
    procs.push(startAppProcess('web', { ...env, PORT: String(webPort) }), startAppProcess('worker', { ...env, PORT: '0' }));
    try {
      await waitUntil(() => request(web).get('/healthz').then((r) => r.status === 200, () => false), 90_000, 250);
      await waitUntil(() => procs[1].output().includes('sẵn sàng'), 90_000, 100);
    } catch {
      throw new Error(`processes did not start:\n${procs.map((p) => p.output()).join('\n---\n')}`);
    }
  }, 180_000);

  afterAll(async () => {
    try {
      await Promise.all(procs.map((p) => p.stop('SIGTERM', 12_000)));
      await redis?.stop('SIGKILL');
      await Promise.race([database?.close().catch(() => {}), sleep(6000)]);
      await fake?.close();
    } finally {
      pg?.destroy(); // the cluster and its directory go whatever failed above
    }
  }, 60_000);

  it('survives, answers every acknowledged webhook once, refuses webhooks while down, completes the broadcast', async () => {
    const db = database!.db;
    const N = 300;
    const branch = await makeBranch(db);
    const members = Array.from({ length: N }, (_, i) => ({ memberCode: `PG${String(i).padStart(4, '0')}`, fullName: `Phạm Văn Đức ${i}`, branchId: branch.id, zaloUserId: zaloId() }));
    await upsertMembers(db, members);
    const { token } = await makeOfficer(db, { branchId: branch.id, role: 'admin' });
    const auth = { authorization: `Bearer ${token}` };

    // One event per (new) user, so the replies a user got = how often the event was processed.
    interface Posted {
      event: FakeEvent;
      user: string;
      at: number;
      end: number;
      status: number | null;
    }
    const posted: Posted[] = [];
    const post = async (event: FakeEvent): Promise<Posted> => {
      const p: Posted = { event, user: event.sender.id as string, at: Date.now(), end: 0, status: null };
      const r = await fake.postWebhook(`${web}/webhook/zalo`, event, { timeoutMs: 3000 }).catch(() => null);
      p.status = r?.status ?? null;
      p.end = Date.now();
      return p;
    };
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        const batch = await Promise.all([post(fake.buildEvent.text(zaloId(), 'menu')), post(fake.buildEvent.text(zaloId(), 'menu'))]);
        posted.push(...batch);
        await sleep(150);
      }
    })();

    const created = await request(web).post('/api/admin/broadcasts').set(auth).send({ title: 'Họp công đoàn', text: 'Chào {ten}, mời bạn dự họp.', segment: {} });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect((await request(web).post(`/api/admin/broadcasts/${id}/send`).set(auth)).status).toBe(202);
    const promotions = () => fake.sent.filter((m) => m.kind === 'promotion');
    await waitUntil(() => promotions().length >= 90, 30_000, 20);

    const downAt = Date.now();
    pg!.stop('immediate');
    const stoppedAt = Date.now();
    await sleep(4000);
    const restartAt = Date.now();
    pg!.start();
    const upAt = Date.now();
    // Per-probe timeout: a request stuck on a reconnecting pool must not stall the measurement.
    await waitUntil(() => request(web).get('/healthz').timeout(3000).then((r) => r.status === 200, () => false), 60_000, 100);
    const healthyAt = Date.now();
    await sleep(1000);
    streaming = false;
    await stream;

    // Requests made entirely while the server was down were refused, so Zalo would re-send them.
    const whileDown = posted.filter((p) => p.at >= stoppedAt && p.end <= restartAt);
    expect(whileDown.length).toBeGreaterThan(5);
    expect(whileDown.filter((p) => p.status !== null && p.status >= 200 && p.status < 300)).toEqual([]);
    for (const p of procs) expect(p.alive()).toBe(true);

    // Zalo re-sends everything that did not get a 2xx (same event: same dedupe key).
    for (let round = 0; posted.some((p) => p.status !== 200); round++) {
      expect(round).toBeLessThan(20);
      for (const p of posted.filter((x) => x.status !== 200)) p.status = (await post(p.event)).status;
      if (posted.some((p) => p.status !== 200)) await sleep(1000);
    }

    const users = posted.map((p) => p.user);
    const replies = (u: string) => fake.sentTo(u).filter((m) => m.kind !== 'promotion').length;
    await waitUntil(() => users.every((u) => replies(u) >= 1), 120_000, 250);
    const webhooksAt = Date.now();
    await waitUntil(async () => (await request(web).get(`/api/admin/broadcasts/${id}`).set(auth)).body.status === 'done', 120_000, 250);
    const broadcastAt = Date.now();
    console.log(
      `postgres restart drill: stop took ${((stoppedAt - downAt) / 1000).toFixed(1)} s, start ${((upAt - restartAt) / 1000).toFixed(1)} s; ` +
        `/healthz 200 ${((healthyAt - upAt) / 1000).toFixed(1)} s after the server was up; every webhook answered ${((webhooksAt - upAt) / 1000).toFixed(1)} s after, ` +
        `broadcast done ${((broadcastAt - upAt) / 1000).toFixed(1)} s after; ${posted.length} webhooks (${whileDown.length} refused while down)`,
    );

    // Measured 0.7 s / 4 s / 9 s on the loaded 2-core CI machine; the bounds leave room for load.
    expect(healthyAt - upAt).toBeLessThan(15_000);
    expect(broadcastAt - upAt).toBeLessThan(60_000);

    await sleep(2000); // anything processed twice would show up by now
    if (process.env.DRILL_DEBUG) for (const p of procs) console.log(p.output());
    const twice = users.filter((u) => replies(u) !== 1);
    expect(twice).toEqual([]);
    const per = new Map<string, number>();
    for (const m of promotions()) per.set(m.userId, (per.get(m.userId) ?? 0) + 1);
    expect(members.filter((m) => per.get(m.zaloUserId) !== 1).map((m) => `${m.memberCode}×${per.get(m.zaloUserId) ?? 0}`)).toEqual([]);
    const progress = (await request(web).get(`/api/admin/broadcasts/${id}`).set(auth)).body;
    expect(progress).toMatchObject({ status: 'done', total: N, sent: N, failed: 0, pending: 0 });
    for (const p of procs) expect(p.alive()).toBe(true);
  }, 300_000);
});
