/**
 * Officer API for the member registry: search (name without diacritics, code, phone), detail, import
 * (CSV/XLSX upload → background job polled for progress), export (admin, audited), personal-data
 * export and erasure on request (admin, audited), and the scoped branch tree.
 */
import crypto from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { Logger } from '../../../shared/logger';
import { errorText, maskDigits } from '../../../shared/logger';
import { AppError, badRequest, notFound, tooMany } from '../../../shared/errors';
import { idParam, parseInput, rowId } from '../../../shared/http/validate';
import { writeAudit } from '../../../shared/db/queries/audit';
import { createImportJob, finishImportJob, getImportJob, importJobState, updateImportProgress, type ImportJobRow } from '../../../shared/db/queries/import-jobs';
import { getBranchById, getSubtreeIds, listBranches } from '../../../shared/db/queries/branches';
import {
  anonymizeMember,
  collectMemberData,
  getMemberInScope,
  listBranchesWithCounts,
  countMatchingMembers,
  membersForExport,
  memberCodesOutside,
  searchMembers,
} from '../../../shared/db/queries/console';
import { memberStatuses, type OfficerRole } from '../../../shared/db/schema';
import { importMembers, type ImportReport } from '../../../shared/members/import';
import { parseMemberBuffer, type RawTable } from '../../../shared/members/parse-file';
import { mapHeaders } from '../../../shared/members/columns';
import { mapPages, streamTable } from '../../../shared/export/table';
import { adminLocals, requireRole, type OfficerScope } from './auth';

const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const filterQuery = z.object({
  q: z.string().trim().max(100).optional(),
  branchId: rowId.optional(),
  status: z.enum(memberStatuses).optional(),
  linked: boolish.optional(),
});
const listQuery = filterQuery.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
const exportQuery = filterQuery.extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') });
const importQuery = z.object({ filename: z.string().trim().min(1).max(200).optional() });
const jobParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

const MAX_UPLOAD = '20mb';
const MEMBER_EXPORT_COLUMNS = [
  { header: 'Mã đoàn viên', key: 'memberCode', width: 14 },
  { header: 'Họ và tên', key: 'fullName', width: 28 },
  { header: 'Ngày sinh', key: 'dateOfBirth', width: 12 },
  { header: 'Giới tính', key: 'gender', width: 10 },
  { header: 'Số điện thoại', key: 'phone', width: 16 },
  { header: 'CCCD', key: 'nationalId', width: 16 },
  { header: 'Mã đơn vị', key: 'branchCode', width: 16 },
  { header: 'Đơn vị', key: 'branchName', width: 36 },
  { header: 'Ngày vào công đoàn', key: 'joinedAt', width: 14 },
  { header: 'Trạng thái', key: 'status', width: 12 },
  { header: 'Đã liên kết Zalo', key: 'linked', width: 10 },
];
/** Rows one upload may have (a bigger list goes in several files, or with `npm run cli -- members:import`). */
const UPLOAD_ROWS_MAX = 200_000;
/** Rejected rows kept in an upload's report; the count covers them all. */
const REJECTED_LISTED_MAX = 1_000;
/** Uploads importing at once in one process. */
const RUNNING_IMPORTS_MAX = 2;

/** How often a running import writes its progress row (the console polls about once a second). */
const PROGRESS_EVERY_MS = 500;

/** The job as the console sees it (GET /members/imports/:id). */
function importJobView(row: ImportJobRow, now: Date) {
  return {
    id: row.id,
    filename: row.filename,
    ...importJobState(row, now),
    done: row.done,
    total: row.total,
    report: row.report,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Branch ids the request filters on: the chosen branch's subtree, which must lie inside the scope. */
async function filterBranchIds(db: Db, scope: OfficerScope, branchId?: number): Promise<number[]> {
  if (!branchId) return scope.branchIds;
  if (!scope.branchIds.includes(branchId)) throw notFound('BRANCH_NOT_FOUND', 'Không tìm thấy đơn vị / branch not found');
  return getSubtreeIds(db, branchId);
}

function memberRow(m: Awaited<ReturnType<typeof searchMembers>>['items'][number]) {
  return {
    id: m.member.id,
    memberCode: m.member.memberCode,
    fullName: m.member.fullName,
    gender: m.member.gender,
    status: m.member.status,
    phone: maskDigits(m.member.phone),
    nationalId: maskDigits(m.member.nationalId),
    branch: m.branch,
    linked: Boolean(m.member.zaloUserId),
    joinedAt: m.member.joinedAt,
  };
}

/**
 * Officers below the root may import only into their own subtree: rows naming a branch outside it, or
 * a member code held by another branch, are rejected here; rows without a branch go to the officer's.
 */
async function restrictToScope(db: Db, table: RawTable, scope: OfficerScope, ownBranchCode: string) {
  const rejected: ImportReport['rejected'] = [];
  if (scope.includesRoot) return { table, rejected };
  const { map } = mapHeaders(table.headers);
  const branchCol = map.indexOf('branchCode');
  const codeCol = map.indexOf('memberCode');
  const inScope = new Set((await listBranches(db, scope.branchIds)).map((b) => b.code));
  const codes = codeCol >= 0 ? table.rows.map((r) => String(r[codeCol] ?? '').trim()).filter(Boolean) : [];
  const foreign = await memberCodesOutside(db, [...new Set(codes)], scope.branchIds);
  const headers = branchCol >= 0 ? table.headers : [...table.headers, 'branch_code'];
  const col = branchCol >= 0 ? branchCol : headers.length - 1;
  const rows = table.rows.map((cells, i) => {
    if (cells.every((c) => !String(c ?? '').trim())) return cells;
    const row = [...cells];
    while (row.length < headers.length) row.push('');
    const code = codeCol >= 0 ? String(row[codeCol] ?? '').trim() : '';
    const branch = String(row[col] ?? '').trim();
    let reason: string | null = null;
    if (branch && !inScope.has(branch)) reason = `đơn vị ${branch} ngoài phạm vi của bạn / branch outside your scope`;
    else if (code && foreign.has(code)) reason = `mã đoàn viên ${code} thuộc đơn vị khác / member belongs to another branch`;
    if (reason) {
      rejected.push({ row: i + 2, memberCode: code || undefined, reason });
      return row.map(() => '');
    }
    if (!branch) row[col] = ownBranchCode;
    return row;
  });
  return { table: { headers, rows }, rejected };
}

export function memberRoutes(deps: { db: Db; logger: Logger }): Router {
  const { db, logger } = deps;
  const r = Router();

  /** Uploads being read or imported in this process, from parsing to the end of the import: each holds its file in memory. */
  let running = 0;

  /** Runs an accepted upload in the background, writing progress to the job row (throttled). */
  async function runImport(jobId: string, restricted: Awaited<ReturnType<typeof restrictToScope>>, officerId: number, filename: string) {
    const extra = restricted.rejected.length;
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    try {
      const report = await importMembers(db, restricted.table, {
        listRejected: REJECTED_LISTED_MAX,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - lastWrite < PROGRESS_EVERY_MS) return;
          lastWrite = now;
          writing = writing
            .then(() => updateImportProgress(db, jobId, done + extra, total + extra))
            .catch((err: Error) => logger.warn({ err: errorText(err), job: jobId }, 'import progress write failed'));
        },
      });
      report.total += extra;
      report.rejectedCount += extra;
      report.rejected = [...report.rejected, ...restricted.rejected].sort((a, b) => a.row - b.row).slice(0, REJECTED_LISTED_MAX);
      await writing;
      await finishImportJob(db, jobId, { report: { ...report }, total: report.total });
      await writeAudit(db, {
        officerId,
        actor: `officer:${officerId}`,
        action: 'members.import',
        target: `file:${filename}`,
        details: { total: report.total, created: report.created, updated: report.updated, rejected: report.rejectedCount },
      });
    } catch (err) {
      const error = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'IMPORT_FAILED', message: 'Nhập dữ liệu thất bại / import failed' };
      logger.error({ err: errorText(err), job: jobId }, 'member import failed');
      await writing;
      await finishImportJob(db, jobId, { error }).catch((e: Error) => logger.error({ err: e.message, job: jobId }, 'import job record failed'));
    }
  }

  const loadMember = async (id: number, scope: OfficerScope) => {
    const m = await getMemberInScope(db, id, scope.branchIds);
    if (!m) throw notFound('MEMBER_NOT_FOUND', 'Không tìm thấy đoàn viên / member not found');
    return m;
  };

  r.get('/branches', async (_req, res) => {
    const { scope, officer } = adminLocals(res);
    const items = await listBranchesWithCounts(db, scope.branchIds);
    res.json({ items, rootId: officer.branchId });
  });

  r.get('/members', async (req, res) => {
    const q = parseInput(listQuery, req.query);
    const { scope, officer } = adminLocals(res);
    const branchIds = await filterBranchIds(db, scope, q.branchId);
    // Lists mask phone numbers for everyone (memberRow); viewers never see them whole, so they may
    // only search by the whole number.
    const phoneMatch = officer.role === 'viewer' ? 'whole' : 'partial';
    const { items, total } = await searchMembers(db, { ...q, branchIds, phoneMatch, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
    res.json({ items: items.map(memberRow), total, page: q.page, pageSize: q.pageSize });
  });

  r.get('/members/export', requireRole('admin'), async (req, res) => {
    const q = parseInput(exportQuery, req.query);
    const { officer, scope } = adminLocals(res);
    const branchIds = await filterBranchIds(db, scope, q.branchId);
    const filters = { q: q.q ?? null, status: q.status ?? null, linked: q.linked ?? null };
    const pages = mapPages(membersForExport(db, { ...q, branchIds }), ({ member: m, branchCode, branchName }) => ({
      memberCode: m.memberCode,
      fullName: m.fullName,
      dateOfBirth: m.dateOfBirth,
      gender: m.gender,
      phone: m.phone,
      nationalId: m.nationalId,
      branchCode,
      branchName,
      joinedAt: m.joinedAt,
      status: m.status,
      linked: m.zaloUserId ? 'Có' : 'Không',
    }));
    // Audited before any personal data leaves; then streamed a page at a time (a federation exports a
    // million members).
    await writeAudit(db, {
      officerId: officer.id,
      actor: `officer:${officer.id}`,
      action: 'members.export',
      target: q.branchId ? `branch:${q.branchId}` : `branch:${officer.branchId}`,
      details: { format: q.format, rows: await countMatchingMembers(db, { ...q, branchIds }), filters },
    });
    await streamTable(res, q.format, 'doan-vien', { sheet: 'Đoàn viên', columns: MEMBER_EXPORT_COLUMNS }, pages);
  });

  r.post(
    '/members/imports',
    requireRole('officer'),
    express.raw({ type: () => true, limit: MAX_UPLOAD }),
    async (req, res) => {
      const { officer, scope } = adminLocals(res);
      const q = parseInput(importQuery, req.query);
      const filename = q.filename ?? req.get('x-filename') ?? 'members.csv';
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('EMPTY_FILE', 'Chưa chọn tệp hoặc tệp rỗng / empty upload');
      if (running >= RUNNING_IMPORTS_MAX) throw tooMany(`Đang có ${running} lượt nhập chạy; bạn đợi lượt trước xong rồi tải lên lại / ${running} imports are running, try again when one has finished`);
      // The slot is taken before the file is parsed (parsing yields, so other uploads could start
      // meanwhile) and given back when the import ends, or at once if the upload is refused first.
      running += 1;
      let handedOver = false;
      try {
        const parsed = await parseMemberBuffer(body, filename);
        if (parsed.rows.length > UPLOAD_ROWS_MAX) {
          throw badRequest('TOO_MANY_ROWS', `Tệp có ${parsed.rows.length.toLocaleString('vi-VN')} dòng, quá ${UPLOAD_ROWS_MAX.toLocaleString('vi-VN')} dòng cho một lần tải lên; hãy chia nhỏ tệp / at most ${UPLOAD_ROWS_MAX} rows per upload`);
        }
        const { missing, repeated } = mapHeaders(parsed.headers);
        if (missing.length || repeated.length) {
          // Same message as the importer gives; checked up front so the upload answers 400 at once.
          await importMembers(db, { headers: parsed.headers, rows: [] });
        }
        const own = await getBranchById(db, officer.branchId);
        const restricted = await restrictToScope(db, parsed, scope, own?.code ?? '');
        const jobId = crypto.randomBytes(12).toString('base64url');
        const total = parsed.rows.length;
        await createImportJob(db, { id: jobId, officerId: officer.id, filename, total });
        void runImport(jobId, restricted, officer.id, filename).finally(() => (running -= 1));
        handedOver = true;
        res.status(202).json({ id: jobId, status: 'running', done: 0, total });
      } finally {
        if (!handedOver) running -= 1;
      }
    },
  );

  r.get('/members/imports/:id', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(jobParam, req.params);
    const job = await getImportJob(db, id, adminLocals(res).officer.id);
    if (!job) throw notFound('IMPORT_NOT_FOUND', 'Không tìm thấy lượt nhập / import not found');
    res.json(importJobView(job, new Date()));
  });

  r.get('/members/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const { member: m, branch } = await loadMember(id, scope);
    const full: Record<OfficerRole, boolean> = { admin: true, officer: true, viewer: false };
    const data = await collectMemberData(db, m.id);
    res.json({
      id: m.id,
      memberCode: m.memberCode,
      fullName: m.fullName,
      gender: m.gender,
      dateOfBirth: full[officer.role] ? m.dateOfBirth : null,
      phone: full[officer.role] ? m.phone : maskDigits(m.phone),
      nationalId: officer.role === 'admin' ? m.nationalId : maskDigits(m.nationalId),
      status: m.status,
      joinedAt: m.joinedAt,
      branch,
      linked: Boolean(m.zaloUserId),
      miniAppLinked: Boolean(m.zaloAppUserId),
      unfollowedAt: m.unfollowedAt,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      checkins: data.checkins.slice(0, 20),
      welfareRegistrations: data.welfareRegistrations.map(({ answers: _a, ...r }) => r),
    });
  });

  r.get('/members/:id/personal-data', requireRole('admin'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const { member, branch } = await loadMember(id, scope);
    const data = await collectMemberData(db, member.id);
    // res.attachment encodes a code such as "ĐV001" (filename*=UTF-8''…); a raw header refused it.
    res.attachment(`du-lieu-ca-nhan-${member.memberCode}.json`);
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'member.personal_data_export', target: `member:${member.id}` });
    res.json({ exportedAt: new Date().toISOString(), member: { ...member, searchName: undefined }, branch, ...data });
  });

  const anonymize = async (req: express.Request, res: express.Response) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const { member } = await loadMember(id, scope);
    await anonymizeMember(db, member.id);
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'member.anonymize', target: `member:${member.id}`, details: { memberCode: member.memberCode } });
    res.json({ ok: true, id: member.id, memberCode: member.memberCode, fullName: 'Đã xóa' });
  };
  r.post('/members/:id/anonymize', requireRole('admin'), anonymize);
  r.delete('/members/:id', requireRole('admin'), anonymize);

  return r;
}
