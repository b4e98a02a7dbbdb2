/**
 * Check-in burst: N distinct members' card QRs scanned for one event at once through
 * POST /api/admin/events/:id/checkins (QR verify + scope check + insert ON CONFLICT). Prints p50/p99 and
 * rows created (must equal N). Target p99 < 100 ms. Real Postgres when DATABASE_URL is set.
 *   npm run bench:checkin -- [--members 5000] [--connections 50]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { startFakeZalo } from '../test/fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../test/helpers/app';
import { listen } from '../test/helpers/server';
import { createBranch } from '../shared/db/queries/branches';
import { createOfficer } from '../shared/db/queries/officers';
import { createEvent, countCheckins } from '../shared/db/queries/events';
import { signMemberQr } from '../shared/qr/tokens';
import { queryRows } from '../shared/db/client';
import { args, benchDatabase, fmt, runLoad, runBench } from './lib';

async function main() {
  const a = args({ members: { type: 'string' }, connections: { type: 'string' } });
  const n = Number(a.members ?? 5000);
  const connections = Number(a.connections ?? 50);
  const database = await benchDatabase('checkin');
  const fake = await startFakeZalo();
  const t = await createTestApp({ env: fakeZaloEnv(fake), database });
  const db = database.db;
  const branch = await createBranch(db, { code: 'BENCH', name: 'Bench', parentId: null });
  await db.execute(sql`insert into members (member_code, full_name, search_name, branch_id, status)
    select 'B' || g, 'Đoàn viên ' || g, 'doan vien ' || g, ${branch.id}, 'active' from generate_series(1, ${n}) g`);
  const ids = (await queryRows<{ id: number }>(db, sql`select id from members where branch_id = ${branch.id} order by id`)).map((r) => Number(r.id));
  const { token } = await createOfficer(db, { name: 'Bench', branchId: branch.id, role: 'officer' });
  const event = await createEvent(db, { branchId: branch.id, title: 'Đại hội', startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3600_000), code: 'BENCH1' });
  const now = new Date();
  const bodies = ids.map((id) => JSON.stringify({ memberQr: signMemberQr(t.deps.qrKeys, id, now).token }));
  const srv = await listen(t.app);
  const bodiesFile = path.join(os.tmpdir(), `checkin-bodies-${process.pid}.json`);
  fs.writeFileSync(bodiesFile, JSON.stringify(bodies));
  const result = await runLoad({
    url: `${srv.url}/api/admin/events/${event.id}/checkins`,
    connections,
    amount: bodies.length,
    headers: { authorization: `Bearer ${token}` },
    bodiesFile,
  });
  fs.rmSync(bodiesFile, { force: true });
  const rows = await countCheckins(db, event.id);
  console.log(`Check-in burst (${database.kindLabel}, ${n} distinct members, ${connections} connections)`);
  console.log(`  requests ${result.total}, 2xx ${result.ok}, non-2xx ${result.non2xx}, ${fmt(result.average, 0)} req/s (load from a separate process)`);
  console.log(`  latency p50 ${result.p50} ms, p99 ${result.p99} ms (target < 100 ms)`);
  console.log(`  check-in rows ${rows} (must equal ${n})`);
  await srv.close();
  await t.close();
  await fake.close();
}

runBench(main);
