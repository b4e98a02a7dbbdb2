/**
 * Broadcast bench: N members, one broadcast to all of them, sent by real worker processes
 * (`bot/main.ts --role=worker`, as `npm run start:worker` runs them) through BullMQ on Redis against
 * the fake Zalo (with a per-second cap, as Zalo has). Prints elapsed vs the ideal N / rate, the
 * ratio, the peak per second Zalo saw, duplicates, lost recipients, and the workers' memory over time.
 *
 *   npm run bench:broadcast -- --members 100000 --rate 500 [--workers 2] [--latency 20] [--cap 550]
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): a database of its own is
 * created and dropped. REDIS_URL (default redis://127.0.0.1:6379/12): the workers use the default
 * queue prefix, so the bench takes a Redis database index of its own and empties it first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import IORedis from 'ioredis';
import { openDatabase, queryRows } from '../shared/db/client';
import { createBroadcast, countDeliveries, getBroadcast } from '../shared/db/queries/broadcasts';
import { createBranch } from '../shared/db/queries/branches';
import { createOfficer } from '../shared/db/queries/officers';
import { startBroadcast } from '../shared/db/queries/broadcasts';
import { startFakeZalo } from '../test/fakes/fake-zalo';
import { cpuOfProcess, cpuOfServers } from './lib';

const ROOT = path.resolve(__dirname, '..');
const { values: argv } = parseArgs({
  args: process.argv.slice(2),
  options: {
    members: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '500' },
    workers: { type: 'string', default: '2' },
    latency: { type: 'string', default: '20' },
    cap: { type: 'string' },
    /** Write a V8 CPU profile of each worker to this folder. */
    profile: { type: 'string' },
  },
  strict: false,
});
const N = Number(argv.members);
const RATE = Number(argv.rate);
const WORKERS = Number(argv.workers);
const LATENCY = Number(argv.latency);
const CAP = argv.cap !== undefined ? Number(argv.cap) : Math.ceil(RATE * 1.1);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rssOf = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

async function createDatabase(baseUrl: string) {
  const { default: postgres } = await import('postgres');
  const name = `congdoan_bench_bc_${crypto.randomBytes(3).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), max: 5 });
  await database.migrate();
  return {
    url: u.toString(),
    database,
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const workerLogs: string[] = [];

/**
 * Streams the broadcast's delivery ids into the queue from a child process (the web role's job). The
 * child starts, loads its modules and connects first, as a running web process has, and enqueues when
 * `go()` writes the broadcast id to its stdin — the timed run does not include a Node start-up.
 */
async function startEnqueuer(env: Record<string, string>): Promise<{ go: (broadcastId: number) => Promise<void> }> {
  const code = `
    const { openDatabase } = require('./shared/db/client');
    const { createBullDriver } = require('./shared/queue/bullmq');
    const { broadcastQueue, enqueueDeliveries } = require('./shared/broadcast/dispatch');
    (async () => {
      const d = await openDatabase({ databaseUrl: process.env.DATABASE_URL, max: 2 });
      const q = createBullDriver({ redisUrl: process.env.REDIS_URL, onError: () => {} });
      await broadcastQueue(q).counts();
      process.stdout.write('ready\\n');
      const id = await new Promise((resolve) => process.stdin.once('data', (b) => resolve(Number(String(b).trim()))));
      await enqueueDeliveries(d.db, broadcastQueue(q), id);
      await q.close();
      await d.close();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, env: { ...process.env, ...env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => proc.once('exit', (c) => (c === 0 ? resolve() : reject(new Error(`enqueue exited ${c}`)))));
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d) => /ready/.test(String(d)) && resolve());
    exited.then(() => reject(new Error('enqueuer exited before it was ready')), reject);
  });
  return {
    go: (broadcastId) => {
      proc.stdin!.end(`${broadcastId}\n`);
      return exited;
    },
  };
}

async function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const prof = typeof argv.profile === 'string' ? ['--cpu-prof', `--cpu-prof-dir=${argv.profile}`] : [];
  const proc = spawn(process.execPath, [...prof, '--import', 'tsx', 'bot/main.ts', '--role=worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Worker logs (pino, warn and above) go to a file: the report counts the warnings.
  const logFile = path.join(os.tmpdir(), `bench-broadcast-worker-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.log`);
  const log = fs.createWriteStream(logFile);
  workerLogs.push(logFile);
  proc.stdout!.on('data', (d) => {
    out += d;
    log.write(d);
  });
  proc.stderr!.on('data', (d) => {
    out += d;
    log.write(d);
    process.stderr.write(`[worker ${proc.pid}] ${d}`);
  });
  const started = Date.now();
  while (!/sẵn sàng/.test(out)) {
    if (proc.exitCode !== null) throw new Error(`worker exited:\n${out}`);
    if (Date.now() - started > 60_000) throw new Error(`worker did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return proc;
}

async function main() {
  const dbBase = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379/12';
  console.log(`broadcast bench: ${N} members, rate ${RATE}/s, ${WORKERS} worker process(es), fake Zalo latency ${LATENCY} ms, cap ${CAP}/s`);
  console.log(`postgres ${new URL(dbBase).host}, redis ${redisUrl}`);

  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 3 });
  await redis.flushdb();
  const { url, database, drop } = await createDatabase(dbBase);
  const db = database.db;
  const fake = await startFakeZalo();
  fake.faults.latencyMs = LATENCY;
  fake.faults.rateCapPerSec = CAP;
  const workers: ChildProcess[] = [];

  try {
    // Members in one statement: ids like Zalo's (19 digits), all active followers.
    let t = Date.now();
    const branch = await createBranch(db, { code: 'BENCH', name: 'Công đoàn bench', parentId: null });
    await queryRows(
      db,
      sql`insert into members (member_code, full_name, search_name, branch_id, status, zalo_user_id)
          select 'B' || lpad(i::text, 7, '0'), 'Nguyễn Văn Bench ' || i, 'nguyen van bench ' || i, ${branch.id}, 'active',
                 (7000000000000000000 + i)::text
          from generate_series(1, ${N}) i`,
    );
    const { officer } = await createOfficer(db, { name: 'Bench', branchId: branch.id, role: 'admin' });
    console.log(`seeded ${N} members in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const env = {
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      BROADCAST_RATE: String(RATE),
      LOG_LEVEL: 'warn',
      ZALO_APP_ID: fake.appId,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: fake.oaSecretKey,
      ZALO_OA_ACCESS_TOKEN: fake.currentTokens().accessToken,
      ZALO_OA_REFRESH_TOKEN: fake.currentTokens().refreshToken,
      ZALO_OPENAPI_URL: fake.url,
      ZALO_OAUTH_URL: fake.url,
      ZALO_GRAPH_URL: fake.url,
      NODE_OPTIONS: '',
    };
    t = Date.now();
    workers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(env)))));
    console.log(`${WORKERS} worker(s) up in ${((Date.now() - t) / 1000).toFixed(1)} s (pids ${workers.map((w) => w.pid).join(', ')})`);

    // Count what Zalo accepted per recipient without keeping every message body.
    const perUser = new Map<string, number>();
    const perTenth = new Map<number, number>();
    fake.onSent((m) => {
      perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + 1);
      const tenth = Math.floor(m.at.getTime() / 100);
      perTenth.set(tenth, (perTenth.get(tenth) ?? 0) + 1);
    });

    const b = await createBroadcast(db, {
      branchId: branch.id,
      segment: {},
      message: { title: 'Thông báo bench', text: 'Chào {ten} ({ma_doan_vien}), đây là tin thử tải.' },
      scheduledAt: null,
      announcementId: null,
      createdByOfficerId: officer.id,
      total: N,
    });
    // The fake Zalo stamps messages when this process handles them: its own stalls bunch the stamps.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = workers.map((w) => cpuOfProcess(w.pid!));
    const benchCpuBefore = process.cpuUsage();
    const serversBefore = { postgres: cpuOfServers('postgres'), redis: cpuOfServers('redis-server') };
    // As the web role would: the enqueue runs in a process of its own, not in the one that plays Zalo.
    const enqueueProcess = await startEnqueuer({ DATABASE_URL: url, REDIS_URL: redisUrl });
    const started = Date.now();
    const snap = await startBroadcast(db, b.id);
    const snapshotSec = (Date.now() - started) / 1000;
    let enqueuedSec = 0;
    const enqueuer = enqueueProcess.go(b.id).then(() => {
      enqueuedSec = (Date.now() - started) / 1000;
    });

    const rss: number[][] = workers.map(() => []);
    let lastPrint = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      workers.forEach((w, i) => rss[i].push(rssOf(w.pid!)));
      fake.sent.length = 0; // counted above; keep the bench's own memory flat too
      const row = await getBroadcast(db, b.id);
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed - lastPrint >= 10 || row?.status === 'done') {
        lastPrint = elapsed;
        const c = await countDeliveries(db, b.id);
        console.log(
          `  ${elapsed.toFixed(0).padStart(4)} s  sent ${String(c.sent).padStart(7)}  pending ${String(c.pending + c.sending).padStart(7)}  failed ${c.failed}  ` +
            `worker RSS ${workers.map((_, i) => mb(rss[i][rss[i].length - 1])).join(' / ')}`,
        );
      }
      if (row?.status === 'done') break;
      if (elapsed > (N / RATE) * 3 + 120) throw new Error('bench timed out');
    }
    await enqueuer;
    console.log(`snapshot of ${snap?.total} rows in ${snapshotSec.toFixed(1)} s, enqueue done by ${enqueuedSec.toFixed(1)} s`);
    const elapsed = (Date.now() - started) / 1000;
    const ideal = N / RATE;
    const workerCpu = workers.reduce((sum, w, i) => sum + cpuOfProcess(w.pid!) - cpuBefore[i], 0);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const pgCpu = cpuOfServers('postgres') - serversBefore.postgres;
    const redisCpu = cpuOfServers('redis-server') - serversBefore.redis;
    const c = await countDeliveries(db, b.id);
    let duplicates = 0;
    for (const n of perUser.values()) duplicates += n - 1;
    const lost = N - perUser.size;
    const calls = fake.callCount('/v3.0/oa/message/promotion');
    const accepted = [...perUser.values()].reduce((s, n) => s + n, 0);

    console.log('\nresult');
    console.log(`  elapsed            ${elapsed.toFixed(1)} s  (from send: snapshot ${snapshotSec.toFixed(1)} s + enqueue + sending)`);
    console.log(`  ideal N/rate       ${ideal.toFixed(1)} s`);
    console.log(`  ratio              ${(elapsed / ideal).toFixed(3)}  (target ≤ 1.05)`);
    console.log(`  throughput         ${(N / elapsed).toFixed(1)} msg/s; peak in any 1 s window at Zalo: ${fake.peakPerSecond()} (limit ${RATE})`);
    {
      // Where the busiest sliding second was, in 100 ms steps (to tell a start-up burst from jitter).
      const tenths = [...perTenth.keys()].sort((a, b) => a - b);
      let best = 0;
      let at = 0;
      for (const t0 of tenths) {
        let n = 0;
        for (let k = 0; k < 10; k++) n += perTenth.get(t0 + k) ?? 0;
        if (n > best) [best, at] = [n, t0];
      }
      const t0 = Math.floor(started / 100);
      console.log(
        `  busiest second     ${best} messages from ${((at - t0) / 10).toFixed(1)} s: ` +
          Array.from({ length: 10 }, (_, k) => perTenth.get(at + k) ?? 0).join(' '),
      );
    }
    loopDelay.disable();
    console.log(
      `  fake Zalo stalls   event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms ` +
        '(the peak above includes messages bunched by these)',
    );
    console.log(`  Zalo calls         ${calls} (${calls - accepted} refused by the ${CAP}/s cap: -32)`);
    console.log(`  database           sent ${c.sent}, failed ${c.failed}, skipped ${c.skipped}, pending ${c.pending + c.sending}`);
    console.log(`  duplicates         ${duplicates}`);
    if (duplicates > 0) {
      // What the ledger says about them: claims (attempts), last error, when claimed and sent.
      const dupIds = [...perUser].filter(([, n]) => n > 1).map(([u]) => u).slice(0, 10);
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`select zalo_user_id, status, attempts, last_error_code, claimed_at, sent_at from broadcast_deliveries
            where broadcast_id = ${b.id} and zalo_user_id in ${dupIds}`,
      );
      for (const r of rows) console.log(`    ${JSON.stringify(r)}`);
    }
    console.log(`  lost               ${lost}`);
    for (const [i, series] of rss.entries()) {
      const nonzero = series.filter((x) => x > 0);
      const q = (f: number) => nonzero[Math.min(nonzero.length - 1, Math.floor(f * nonzero.length))] ?? 0;
      console.log(
        `  worker ${i + 1} RSS       start ${mb(nonzero[0] ?? 0)}, 25% ${mb(q(0.25))}, 50% ${mb(q(0.5))}, 75% ${mb(q(0.75))}, end ${mb(nonzero[nonzero.length - 1] ?? 0)}, peak ${mb(Math.max(...nonzero, 0))}`,
      );
    }
    for (const f of workerLogs) {
      const lines = fs.readFileSync(f, 'utf8').split('\n').filter((l) => /"level":(40|50|60)/.test(l));
      const kinds = new Map<string, number>();
      for (const l of lines) {
        const msg = /"msg":"([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 80);
        kinds.set(msg, (kinds.get(msg) ?? 0) + 1);
      }
      console.log(`  worker log         ${f}: ${lines.length} warnings/errors ${JSON.stringify(Object.fromEntries(kinds))}`);
    }
    console.log(`  bench process RSS  ${mb(process.memoryUsage().rss)} (fake Zalo + counters)`);
    console.log(
      `  CPU                workers ${workerCpu.toFixed(1)} s (${((workerCpu / N) * 1000).toFixed(2)} ms/message), ` +
        `bench + fake Zalo ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s, postgres ${pgCpu.toFixed(1)} s, redis ${redisCpu.toFixed(1)} s; machine load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
    await fake.close();
    await drop();
    await redis.flushdb().catch(() => {});
    redis.disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
