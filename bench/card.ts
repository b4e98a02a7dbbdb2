/**
 * Card lookup at scale: fills the members table to N rows (default 1,000,000) with Zalo ids, then measures
 * the queries behind GET /api/miniapp/card (member by mini-app id, member + branch by id) and prints
 * p50/p99 and their EXPLAIN. Target p99 < 20 ms. Real Postgres when DATABASE_URL is set.
 *   npm run bench:card -- [--members 1000000] [--lookups 5000]
 */
import { sql } from 'drizzle-orm';
import { createBranch } from '../shared/db/queries/branches';
import { getMemberByZaloAppUserId, getMemberWithBranch } from '../shared/db/queries/members';
import { queryRows } from '../shared/db/client';
import { args, benchDatabase, fmt, percentile, runBench } from './lib';

async function main() {
  const a = args({ members: { type: 'string' }, lookups: { type: 'string' } });
  const n = Number(a.members ?? 1_000_000);
  const lookups = Number(a.lookups ?? 5000);
  const database = await benchDatabase('card');
  const db = database.db;
  const branch = await createBranch(db, { code: 'BENCH', name: 'Bench', parentId: null });
  const t0 = Date.now();
  for (let from = 1; from <= n; from += 200_000) {
    const to = Math.min(n, from + 199_999);
    await db.execute(sql`insert into members (member_code, full_name, search_name, branch_id, status, zalo_user_id, zalo_app_user_id)
      select 'C' || g, 'Đoàn viên ' || g, 'doan vien ' || g, ${branch.id}, 'active', (7100000000000000000 + g)::text, (5200000000000000000 + g)::text
      from generate_series(${from}::int, ${to}::int) g`);
  }
  await db.execute(sql`analyze members`);
  const fillSec = (Date.now() - t0) / 1000;
  const byApp: number[] = [];
  const withBranch: number[] = [];
  for (let i = 0; i < lookups; i++) {
    const g = 1 + Math.floor(Math.random() * n);
    let s = process.hrtime.bigint();
    const m = await getMemberByZaloAppUserId(db, String(5200000000000000000n + BigInt(g)));
    byApp.push(Number(process.hrtime.bigint() - s) / 1e6);
    s = process.hrtime.bigint();
    await getMemberWithBranch(db, m!.id);
    withBranch.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  byApp.sort((x, y) => x - y);
  withBranch.sort((x, y) => x - y);
  const explain = await queryRows<Record<string, string>>(db, sql`explain analyze select * from members where zalo_app_user_id = '5200000000000000042'`);
  console.log(`Card lookup (${database.kindLabel}, ${n.toLocaleString('en')} members filled in ${fmt(fillSec)} s, ${lookups} random lookups)`);
  console.log(`  member by mini-app id : p50 ${fmt(percentile(byApp, 50), 2)} ms, p99 ${fmt(percentile(byApp, 99), 2)} ms (target < 20 ms)`);
  console.log(`  member + branch by id : p50 ${fmt(percentile(withBranch, 50), 2)} ms, p99 ${fmt(percentile(withBranch, 99), 2)} ms`);
  console.log('  EXPLAIN ANALYZE select * from members where zalo_app_user_id = …');
  for (const row of explain) console.log('    ' + Object.values(row)[0]);
  await database.close();
}

runBench(main);
