/**
 * Member import: validates every row, upserts good rows by member code in batches, reports bad rows
 * with their spreadsheet row number and reason. A bad row never aborts the good ones; duplicates of a
 * member code inside one file: the LAST row wins and the earlier rows are reported.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { nextTurn } from '../event-loop';
import type { Db } from '../db/client';
import { createBranch, ensureRootBranch, getBranchByCode } from '../db/queries/branches';
import { upsertMembers, type MemberUpsert } from '../db/queries/members';
import { normalizeVietnamesePhone } from '../phone';
import { expectedHeadersText, mapHeaders, type MemberColumn } from './columns';
import type { RawTable } from './parse-file';

export interface ImportReport {
  total: number;
  created: number;
  updated: number;
  /** The rejected rows, in row order; at most `listRejected` of them when the caller set it. */
  rejected: { row: number; memberCode?: string; reason: string }[];
  /** How many rows were rejected in all (more than `rejected.length` when the list was cut). */
  rejectedCount: number;
  duplicates: { row: number; memberCode: string; replacedByRow: number }[];
  branchesCreated: string[];
}

export type ImportProgress = (done: number, total: number) => void;

/** Rows validated between two yields to the event loop (~15 ms of work here). */
const VALIDATE_SLICE = 2_000;

/** YYYY-MM-DD or DD/MM/YYYY (also D/M/YYYY, dashes or dots) → YYYY-MM-DD, or null when not a real date. */
export function parseVnDate(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  if (y < 1900 || y > 2100) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function normalizeGender(input: string): string | null {
  const g = input.trim().toLowerCase();
  if (!g) return null;
  if (['nam', 'male', 'm', 'trai'].includes(g)) return 'Nam';
  if (['nữ', 'nu', 'female', 'f', 'gái', 'gai'].includes(g)) return 'Nữ';
  return 'Khác';
}

const rowSchema = z.object({
  memberCode: z
    .string({ error: 'thiếu mã đoàn viên / member_code is empty' })
    .min(1, 'thiếu mã đoàn viên / member_code is empty')
    .max(50, 'mã đoàn viên quá dài / member_code too long')
    .regex(/^[\p{L}\p{N}_.\-/]+$/u, 'mã đoàn viên chứa ký tự không hợp lệ / member_code has invalid characters'),
  fullName: z
    .string({ error: 'thiếu họ tên / full_name is empty' })
    .min(1, 'thiếu họ tên / full_name is empty')
    .max(200, 'họ tên quá dài / full_name too long'),
  dateOfBirth: z.string().optional(),
  gender: z.string().optional(),
  phone: z.string().optional(),
  nationalId: z.string().optional(),
  branchCode: z.string().max(50, 'mã đơn vị quá dài / branch_code too long').optional(),
  joinedAt: z.string().optional(),
  zaloUserId: z.string().regex(/^\d{1,30}$/, 'zalo_user_id phải là dãy số / zalo_user_id must be digits').optional(),
});

type ValidRow = Omit<MemberUpsert, 'branchId'> & { branchCode: string | null };

export function validateRow(cells: Partial<Record<MemberColumn, string>>): ValidRow | { error: string } {
  const blankToUndef = Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, v?.trim() ? v.trim() : undefined]));
  const parsed = rowSchema.safeParse(blankToUndef);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join('; ') };
  const r = parsed.data;
  const out: ValidRow = { memberCode: r.memberCode, fullName: r.fullName.replace(/\s+/g, ' '), branchCode: r.branchCode ?? null };
  if (r.dateOfBirth) {
    const d = parseVnDate(r.dateOfBirth);
    if (!d) return { error: `ngày sinh không hợp lệ / bad date_of_birth "${r.dateOfBirth}" (YYYY-MM-DD hoặc DD/MM/YYYY)` };
    out.dateOfBirth = d;
  }
  if (r.joinedAt) {
    const d = parseVnDate(r.joinedAt);
    if (!d) return { error: `ngày vào công đoàn không hợp lệ / bad joined_at "${r.joinedAt}"` };
    out.joinedAt = d;
  }
  if (r.phone) {
    const p = normalizeVietnamesePhone(r.phone);
    if (!p) return { error: 'số điện thoại không hợp lệ / invalid phone number' };
    out.phone = p;
  }
  if (r.nationalId) {
    const id = r.nationalId.replace(/\s/g, '');
    if (!/^(\d{9}|\d{12})$/.test(id)) return { error: 'CCCD phải có 12 chữ số (hoặc CMND 9 số) / national_id must be 12 (or 9) digits' };
    out.nationalId = id;
  }
  if (r.gender) out.gender = normalizeGender(r.gender);
  if (r.zaloUserId) out.zaloUserId = r.zaloUserId;
  return out;
}

export async function importMembers(
  db: Db,
  table: RawTable,
  opts: { batchSize?: number; onProgress?: ImportProgress; listRejected?: number } = {},
): Promise<ImportReport> {
  const { map, missing, repeated } = mapHeaders(table.headers);
  if (repeated.length) {
    const names = repeated.map((c) => table.headers.filter((h, i) => map[i] === c).map((h) => `"${h}"`).join(' / '));
    throw new AppError(
      'BAD_HEADERS',
      400,
      `Mỗi cột chỉ được có một lần; tệp có nhiều cột cho cùng một thông tin: ${names.join('; ')} / ` +
        `each field may appear once; repeated: ${repeated.join(', ')}`,
    );
  }
  if (missing.length) {
    throw new AppError(
      'BAD_HEADERS',
      400,
      `Thiếu cột bắt buộc / missing required columns: ${missing.join(', ')}. ` +
        `Các cột hợp lệ / expected headers: ${expectedHeadersText()}`,
    );
  }
  const report: ImportReport = { total: 0, created: 0, updated: 0, rejected: [], rejectedCount: 0, duplicates: [], branchesCreated: [] };
  const listRejected = opts.listRejected ?? Infinity;
  const reject = (entry: ImportReport['rejected'][number]) => {
    report.rejectedCount++;
    if (report.rejected.length < listRejected) report.rejected.push(entry);
  };
  const byCode = new Map<string, { row: number; data: ValidRow }>();
  for (let i = 0; i < table.rows.length; i++) {
    // A big file is validated in slices, so the process goes on answering meanwhile (webhooks included).
    if (i > 0 && i % VALIDATE_SLICE === 0) await nextTurn();
    const cells = table.rows[i];
    const rowNo = i + 2;
    if (cells.every((c) => !String(c ?? '').trim())) continue;
    report.total++;
    const obj: Partial<Record<MemberColumn, string>> = {};
    map.forEach((col, idx) => {
      if (col) obj[col] = String(cells[idx] ?? '');
    });
    const v = validateRow(obj);
    if ('error' in v) {
      reject({ row: rowNo, memberCode: obj.memberCode?.trim() || undefined, reason: v.error });
      continue;
    }
    const prev = byCode.get(v.memberCode);
    if (prev) report.duplicates.push({ row: prev.row, memberCode: v.memberCode, replacedByRow: rowNo });
    byCode.set(v.memberCode, { row: rowNo, data: v });
  }

  const root = await ensureRootBranch(db);
  const branchIds = new Map<string, number>();
  for (const { data } of byCode.values()) {
    const code = data.branchCode;
    if (!code || branchIds.has(code)) continue;
    const existing = await getBranchByCode(db, code);
    if (existing) branchIds.set(code, existing.id);
    else {
      const b = await createBranch(db, { code, name: code, parentId: root.id });
      branchIds.set(code, b.id);
      report.branchesCreated.push(code);
    }
  }

  const good = [...byCode.values()];
  const batchSize = opts.batchSize ?? 500;
  for (let i = 0; i < good.length; i += batchSize) {
    const batch = good.slice(i, i + batchSize);
    const rows: MemberUpsert[] = batch.map(({ data: { branchCode, ...m } }) => ({
      ...m,
      branchId: branchCode ? branchIds.get(branchCode)! : root.id,
    }));
    try {
      const r = await upsertMembers(db, rows);
      report.created += r.created;
      report.updated += r.updated;
    } catch {
      // A batch failed (e.g. a zalo_user_id already used by another member): retry row by row so
      // only the offending rows are rejected.
      for (let j = 0; j < rows.length; j++) {
        try {
          const r = await upsertMembers(db, [rows[j]]);
          report.created += r.created;
          report.updated += r.updated;
        } catch (err) {
          reject({ row: batch[j].row, memberCode: rows[j].memberCode, reason: dbReason(err) });
        }
      }
    }
    opts.onProgress?.(Math.min(i + batch.length, good.length), good.length);
    await nextTurn(); // an awaited PGlite query lets nothing else in (shared/event-loop.ts)
  }
  report.rejected.sort((a, b) => a.row - b.row);
  return report;
}

function dbReason(err: unknown): string {
  const msg = String((err as { message?: string })?.message ?? err);
  if (/zalo_user_id/.test(msg)) return 'zalo_user_id đã thuộc về đoàn viên khác / zalo_user_id already belongs to another member';
  return 'lỗi cơ sở dữ liệu / database error';
}
