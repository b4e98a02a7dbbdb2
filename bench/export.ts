/**
 * Member export at scale: fills the members table to N rows (default 200,000, with phone, CCCD and date
 * of birth), downloads GET /api/admin/members/export as CSV and as XLSX over HTTP, and prints the time,
 * the file size, the web process's peak heap and RSS above its level before the download, and the
 * longest event-loop stall meanwhile. The export streams a page at a time, so the peak should not grow
 * with N. Real Postgres when DATABASE_URL is set.
 *   npx tsx bench/export.ts [--members 200000]
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { startFakeZalo } from '../test/fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../test/helpers/app';
import { listen } from '../test/helpers/server';
import { createBranch } from '../shared/db/queries/branches';
import { createOfficer } from '../shared/db/queries/officers';
import { args, benchDatabase, fmt, runBench } from './lib';

/** Downloads the URL, counting bytes without keeping them; samples memory while it runs. */
function download(url: string, token: string) {
  return new Promise<{ bytes: number; ms: number; heapMb: number; rssMb: number; stallMs: number }>((resolve, reject) => {
    const base = process.memoryUsage();
    let heap = base.heapUsed;
    let rss = base.rss;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      heap = Math.max(heap, m.heapUsed);
      rss = Math.max(rss, m.rss);
    }, 20);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => {
          clearInterval(sampler);
          loop.disable();
          if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
          resolve({ bytes, ms: performance.now() - started, heapMb: (heap - base.heapUsed) / 2 ** 20, rssMb: (rss - base.rss) / 2 ** 20, stallMs: loop.max / 1e6 });
        });
      })
      .on('error', reject);
  });
}

async function main() {
  const a = args({ members: { type: 'string' } });
  const n = Number(a.members ?? 200_000);
  const database = await benchDatabase('export');
  const fake = await startFakeZalo();
  const t = await createTestApp({ env: fakeZaloEnv(fake), database });
  const db = database.db;
  const branch = await createBranch(db, { code: 'BENCH', name: 'Bench', parentId: null });
  for (let from = 1; from <= n; from += 100_000) {
    const to = Math.min(n, from + 99_999);
    await db.execute(sql`insert into members (member_code, full_name, search_name, branch_id, status, phone, national_id, date_of_birth, joined_at)
      select 'E' || lpad(g::text, 7, '0'), 'Nguyễn Thị Đoàn Viên ' || g, 'nguyen thi doan vien ' || g, ${branch.id}, 'active',
             '+849' || lpad(g::text, 8, '0'), '0791' || lpad(g::text, 8, '0'), date '1980-01-01' + (g % 9000), date '2015-01-01'
      from generate_series(${from}::int, ${to}::int) g`);
  }
  await db.execute(sql`analyze members`);
  // On PGlite the first statements after the bulk fill write its pages out (seconds, synchronously):
  // done here so the downloads measure the export alone.
  const settle = performance.now();
  await db.execute(sql`select count(*) from members`);
  const settleMs = performance.now() - settle;
  const { token } = await createOfficer(db, { name: 'Bench', branchId: branch.id, role: 'admin' });
  const srv = await listen(t.app);
  console.log(`Member export (${database.kindLabel}, ${n.toLocaleString('en')} members, streamed in pages of 5,000; first query after the fill ${fmt(settleMs, 0)} ms)`);
  // One small export of each format first: the first call loads and compiles the writers' modules
  // (a one-off of a few hundred ms), which is not what the figures below are about.
  for (const format of ['csv', 'xlsx']) await download(`${srv.url}/api/admin/members/export?format=${format}&q=E0000001`, token);
  for (const format of (process.env.BENCH_EXPORT_FORMATS ?? 'xlsx,csv').split(',') as ('csv' | 'xlsx')[]) {
    global.gc?.();
    const r = await download(`${srv.url}/api/admin/members/export?format=${format}`, token);
    console.log(
      `  ${format.padEnd(4)}  ${fmt(r.ms / 1000, 1)} s, ${fmt(r.bytes / 2 ** 20, 1)} MB, ${fmt(n / (r.ms / 1000), 0)} rows/s; ` +
        `peak above start: heap +${fmt(r.heapMb, 0)} MB, RSS +${fmt(r.rssMb, 0)} MB; longest event-loop stall ${fmt(r.stallMs, 0)} ms`,
    );
  }
  await srv.close();
  await t.close();
  await fake.close();
}

runBench(main);
