/**
 * Crash drill: the web process is SIGKILLed while webhooks arrive. Zalo re-sends anything that did not
 * get a 200; after a restart every event is answered, none twice beyond the events the killed process
 * had in flight. Runs when CI_SLOW=1 with Postgres + Redis configured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { startFakeZalo, type FakeZalo } from '../fakes/fake-zalo';
import { fakeZaloEnv } from '../helpers/app';
import { createPostgresTestDatabase } from '../helpers/db';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/tier';
import { waitUntil } from '../helpers/server';
import { freePort } from '../e2e/harness';
import { zaloId } from '../factories';
import { webhookInbox } from '../../shared/db/schema';
import type { Database } from '../../shared/db/client';

/** tsx runs the server in a child process: kill the whole process group, as a crash would. */
const killGroup = (p: ChildProcess) => {
  try {
    process.kill(-p.pid!, 'SIGKILL');
  } catch {
    /* already gone */
  }
};

const enabled = process.env.CI_SLOW === '1' && TEST_DATABASE_URL && TEST_REDIS_URL;
const ROOT = path.resolve(__dirname, '../..');

(enabled ? describe : describe.skip)('crash drill: web process killed while webhooks arrive', () => {
  let fake: FakeZalo;
  let database: Database & { url: string };
  let url = '';
  let env: Record<string, string> = {};
  let proc: ChildProcess | undefined;

  async function startWeb() {
    proc = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['bot/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore', detached: true });
    await waitUntil(() => request(url).get('/healthz').then((r) => r.status === 200, () => false), 90000, 200);
  }

  beforeAll(async () => {
    fake = await startFakeZalo();
    fake.faults.latencyMs = 30; // answers take a moment, so some are in flight at the kill
    database = await createPostgresTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const u = new URL(TEST_REDIS_URL!);
    u.pathname = '/10';
    env = { ...fakeZaloEnv(fake), DATABASE_URL: database.url, REDIS_URL: u.toString(), PORT: String(port), LOG_LEVEL: 'warn' };
    await startWeb();
  }, 120000);

  afterAll(async () => {
    if (proc) killGroup(proc);
    await database?.close();
    await fake?.close();
  });

  it('loses nothing and duplicates at most the in-flight events', async () => {
    const events = Array.from({ length: 120 }, (_, i) => fake.buildEvent.text(zaloId(), i % 2 ? 'menu' : 'thông báo'));
    const acked = new Set<number>();
    const post = async (i: number) => {
      const r = await fake.postWebhook(`${url}/webhook/zalo`, events[i], { timeoutMs: 3000 }).catch(() => null);
      if (r?.status === 200) acked.add(i);
    };
    // First wave: the process dies part-way through.
    const wave = (async () => {
      for (let i = 0; i < events.length; i += 5) {
        await Promise.all(Array.from({ length: 5 }, (_, k) => post(i + k)));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await waitUntil(() => acked.size >= 25, 30000, 5);
    killGroup(proc!);
    await wave;
    const ackedBeforeKill = acked.size;
    expect(ackedBeforeKill).toBeLessThan(events.length);

    // Zalo retries what was not acknowledged (and, to be harsh, everything else too).
    await startWeb();
    for (let i = 0; i < events.length; i += 20) await Promise.all(Array.from({ length: Math.min(20, events.length - i) }, (_, k) => post(i + k)));
    expect(acked.size).toBe(events.length);

    const users = events.map((e) => e.sender.id as string);
    await waitUntil(() => users.every((u) => fake.sentTo(u).length >= 1), 90000, 200);
    // Events the killed process had claimed come back when their 60 s lease runs out: the system
    // recovers on its own within about a minute.
    const allDone = async () => {
      const rows = await database.db.select().from(webhookInbox).where(eq(webhookInbox.eventName, 'user_send_text'));
      return rows.length === events.length && rows.every((r) => r.status === 'done');
    };
    await waitUntil(allDone, 150000, 500);
    await new Promise((r) => setTimeout(r, 1000));
    const counts = users.map((u) => fake.sentTo(u).length);
    const duplicated = counts.filter((c) => c > 1).length;
    // Bound: events in flight in the killed process (one claimed batch at most).
    expect(duplicated).toBeLessThanOrEqual(50);
    const rows = await database.db.select().from(webhookInbox).where(eq(webhookInbox.eventName, 'user_send_text'));
    expect(rows).toHaveLength(events.length);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
  }, 300000);
});
