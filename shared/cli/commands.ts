/** CLI command table: each command parses its options and does one thing. */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { CliContext } from './main';
import { readMemberFile } from '../members/parse-file';
import { importMembers, type ImportReport } from '../members/import';
import { getBranchByCode } from '../db/queries/branches';
import { getMemberByCode } from '../db/queries/members';
import { createOfficer } from '../db/queries/officers';
import { officerRoles, type OfficerRole } from '../db/schema';
import { isDatabaseEmpty, seedDemo } from '../seed/demo';
import { normalizeVietnamesePhone } from '../phone';
import { writeAudit } from '../db/queries/audit';
import { DataDirLockedError } from '../db/data-dir-lock';
import { askFromSeed, askWithBot } from './ask';

interface Command {
  options?: Record<string, { type: 'string' | 'boolean' }>;
  run(ctx: CliContext, opts: Record<string, string | boolean | undefined>, args: string[]): Promise<number>;
}

export function formatImportReport(r: ImportReport): string[] {
  const lines = [
    `Tổng số dòng / rows: ${r.total}`,
    `Tạo mới / created: ${r.created}`,
    `Cập nhật / updated: ${r.updated}`,
    `Bị từ chối / rejected: ${r.rejectedCount}`,
  ];
  if (r.branchesCreated.length) lines.push(`Đơn vị mới tạo / branches created: ${r.branchesCreated.join(', ')}`);
  for (const x of r.rejected) lines.push(`  dòng/row ${x.row}${x.memberCode ? ` (${x.memberCode})` : ''}: ${x.reason}`);
  if (r.duplicates.length) {
    lines.push(`Mã trùng trong tệp (dòng sau thắng) / duplicate codes in the file (the last row wins): ${r.duplicates.length}`);
    for (const d of r.duplicates) lines.push(`  dòng/row ${d.row} (${d.memberCode}) → thay bằng dòng/replaced by row ${d.replacedByRow}`);
  }
  return lines;
}

export const commands: Record<string, Command> = {
  'db:migrate': {
    async run(ctx) {
      const db = await ctx.openDb();
      ctx.out(`Migrations applied (${db.kind}).`);
      return 0;
    },
  },

  'members:import': {
    async run(ctx, _opts, args) {
      const file = args[0];
      if (!file) {
        ctx.err('Usage: members:import <file.csv|file.xlsx>');
        return 2;
      }
      const table = await readMemberFile(path.resolve(file));
      const database = await ctx.openDb();
      const bar = new cliProgress.SingleBar(
        { format: 'Đang nhập / importing [{bar}] {percentage}% | {value}/{total}', hideCursor: true, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
      const showBar = table.rows.length >= 1000 && process.stderr.isTTY;
      if (showBar) bar.start(table.rows.length, 0);
      const report = await importMembers(database.db, table, { onProgress: (done, total) => showBar && bar.update(done, { total }) });
      if (showBar) bar.stop();
      await writeAudit(database.db, {
        actor: 'cli',
        action: 'members.import',
        target: path.basename(file),
        details: { total: report.total, created: report.created, updated: report.updated, rejected: report.rejectedCount },
      });
      for (const l of formatImportReport(report)) ctx.out(l);
      return 0;
    },
  },

  'officer:create': {
    options: { name: { type: 'string' }, branch: { type: 'string' }, role: { type: 'string' }, phone: { type: 'string' }, member: { type: 'string' } },
    async run(ctx, opts) {
      const name = String(opts.name ?? '').trim();
      const branchCode = String(opts.branch ?? '').trim();
      const role = String(opts.role ?? '') as OfficerRole;
      if (!name || !branchCode || !officerRoles.includes(role)) {
        ctx.err('Usage: officer:create --name <name> --branch <branch code> --role admin|officer|viewer [--phone <phone>] [--member <member code>]');
        return 2;
      }
      let phone: string | null = null;
      if (opts.phone) {
        phone = normalizeVietnamesePhone(String(opts.phone));
        if (!phone) {
          ctx.err(`Số điện thoại không hợp lệ / invalid phone: ${opts.phone}`);
          return 2;
        }
      }
      const database = await ctx.openDb();
      const branch = await getBranchByCode(database.db, branchCode);
      if (!branch) {
        ctx.err(`Không có đơn vị mã "${branchCode}" / unknown branch code "${branchCode}"`);
        return 1;
      }
      let memberId: number | null = null;
      let zaloUserId: string | null = null;
      if (opts.member) {
        const m = await getMemberByCode(database.db, String(opts.member));
        if (!m) {
          ctx.err(`Không có đoàn viên mã "${opts.member}" / unknown member code`);
          return 1;
        }
        memberId = m.id;
        zaloUserId = m.zaloUserId;
        phone = phone ?? m.phone;
      }
      const { officer, token } = await createOfficer(database.db, { name, branchId: branch.id, role, phone, memberId, zaloUserId });
      await writeAudit(database.db, { actor: 'cli', action: 'officer.create', target: `officer:${officer.id}`, details: { role, branch: branchCode } });
      ctx.out(`Officer #${officer.id} ${name} (${role}, ${branchCode}) created. API token (shown once):`);
      ctx.out(token);
      return 0;
    },
  },

  ask: {
    async run(ctx, _opts, args) {
      const question = args.join(' ').trim();
      if (!question) {
        ctx.err('Usage: ask "<question>"');
        return 2;
      }
      let database;
      try {
        database = await ctx.openDb();
      } catch (err) {
        if (!(err instanceof DataDirLockedError)) throw err;
        ctx.err('(the embedded database is in use by the running server: answering from the seed knowledge base)');
        ctx.out(askFromSeed(question));
        return 0;
      }
      ctx.out(await askWithBot(ctx.config, database, question));
      return 0;
    },
  },

  'seed:demo': {
    async run(ctx) {
      const database = await ctx.openDb();
      if (!(await isDatabaseEmpty(database.db))) {
        ctx.err('Cơ sở dữ liệu đã có đoàn viên; bỏ qua / the database already has members; not seeding.');
        return 1;
      }
      const r = await seedDemo(database.db);
      ctx.out(`Demo union created: ${r.members} members.`);
      for (const t of r.officerTokens) ctx.out(`  ${t.role.padEnd(7)} ${t.branch.padEnd(14)} ${t.token}`);
      return 0;
    },
  },
};
