/**
 * Officer API for welfare: programs (list/create/update/get, branch-scoped), registrations (paged list,
 * CSV/Excel export, approve/reject one or many with a Zalo notice to the member).
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/logger';
import type { ZaloClient } from '../../../shared/zalo';
import { AppError, conflict, notFound } from '../../../shared/errors';
import { idParam, parseInput, rowId } from '../../../shared/http/validate';
import { getSubtreeIds } from '../../../shared/db/queries/branches';
import { writeAudit } from '../../../shared/db/queries/audit';
import { registrationStatuses, type WelfareField } from '../../../shared/db/schema';
import {
  createProgram,
  getProgramInScope,
  getRegistrationsForReview,
  listProgramRegistrations,
  listProgramsInScope,
  registrationReference,
  updateProgram,
  type WelfareProgram,
} from '../../../shared/db/queries/welfare';
import { welfareFieldsSchema, formatAnswer } from '../../../shared/welfare/fields';
import { decideRegistrationsAndNotify } from '../../../shared/welfare/review';
import { statusLabel } from '../../../shared/welfare/messages';
import { sendTable } from '../../../shared/export/table';
import { adminLocals, branchIdInScope, requireRole } from './auth';
import { maskDigits } from '../../../shared/logger';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const rulesSchema = z.object({ activeOnly: z.boolean().optional(), joinedBefore: isoDate.optional() }).strict();
const programFields = {
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9_-]{2,30}$/, 'code: 2–30 letters, digits, - or _'),
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().max(5000).default(''),
  eligibility: z.string().trim().max(2000).default(''),
  rules: rulesSchema.default({ activeOnly: true }),
  fields: welfareFieldsSchema.default([]),
  opensAt: z.coerce.date(),
  closesAt: z.coerce.date(),
  capacity: z.number().int().positive().max(1_000_000).nullable().optional(),
  branchCode: z.string().trim().max(50).optional(),
  active: z.boolean().optional(),
};
const createBody = z.object(programFields).refine((b) => b.closesAt > b.opensAt, { message: 'closesAt must be after opensAt', path: ['closesAt'] });
const updateBody = z
  .object({
    title: programFields.title,
    description: z.string().trim().max(5000),
    eligibility: z.string().trim().max(2000),
    rules: rulesSchema,
    fields: welfareFieldsSchema,
    opensAt: programFields.opensAt,
    closesAt: programFields.closesAt,
    capacity: programFields.capacity,
    active: z.boolean(),
  })
  .partial()
  .strict();
const listQuery = z.object({
  status: z.enum(registrationStatuses).optional(),
  branchCode: z.string().trim().max(50).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const decisionBody = z.object({ note: z.string().trim().max(500).optional() });
const bulkBody = z.object({
  ids: z.array(rowId).min(1).max(1000),
  action: z.enum(['approve', 'reject']),
  note: z.string().trim().max(500).optional(),
});

function programView(p: WelfareProgram, registered?: number) {
  const { createdAt: _c, updatedAt: _u, ...rest } = p;
  return registered === undefined ? rest : { ...rest, registered };
}

export function welfareAdminRoutes(deps: { db: Db; zalo: ZaloClient; clock: Clock; logger: Logger }): Router {
  const { db } = deps;
  const r = Router();

  const programInScope = async (id: number, branchIds: number[]) => {
    const p = await getProgramInScope(db, id, branchIds);
    if (!p) throw notFound('PROGRAM_NOT_FOUND', 'Không tìm thấy chương trình phúc lợi / program not found');
    return p;
  };

  r.get('/welfare-programs', async (_req, res) => {
    const rows = await listProgramsInScope(db, adminLocals(res).scope.branchIds);
    res.json({ items: rows.map((row) => programView(row.program, Number(row.registered))) });
  });

  r.post('/welfare-programs', requireRole('officer'), async (req, res) => {
    const body = parseInput(createBody, req.body);
    const { officer, scope } = adminLocals(res);
    const branchId = await branchIdInScope(db, body.branchCode, scope, officer.branchId);
    const p = await createProgram(db, {
      branchId,
      code: body.code,
      title: body.title,
      description: body.description,
      eligibility: body.eligibility,
      rules: body.rules,
      fields: body.fields as WelfareField[],
      opensAt: body.opensAt,
      closesAt: body.closesAt,
      capacity: body.capacity ?? null,
      active: body.active ?? true,
    });
    if (!p) throw conflict('PROGRAM_CODE_TAKEN', `Mã chương trình ${body.code} đã tồn tại / code already used`);
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'welfare.program_create', target: `welfare_program:${p.id}` });
    res.status(201).json(programView(p));
  });

  r.get('/welfare-programs/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    res.json(programView(await programInScope(id, adminLocals(res).scope.branchIds)));
  });

  const update = async (req: Request, res: Response) => {
    const { id } = parseInput(idParam, req.params);
    const body = parseInput(updateBody, req.body);
    const { officer, scope } = adminLocals(res);
    const p = await programInScope(id, scope.branchIds);
    const opensAt = body.opensAt ?? p.opensAt;
    const closesAt = body.closesAt ?? p.closesAt;
    if (closesAt <= opensAt) throw new AppError('VALIDATION_ERROR', 400, 'closesAt: must be after opensAt', { fields: [{ path: 'closesAt', message: 'must be after opensAt' }] });
    const updated = await updateProgram(db, p.id, { ...body, fields: body.fields as WelfareField[] | undefined });
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'welfare.program_update', target: `welfare_program:${p.id}`, details: { keys: Object.keys(body) } });
    res.json(programView(updated!));
  };
  r.patch('/welfare-programs/:id', requireRole('officer'), update);
  r.put('/welfare-programs/:id', requireRole('officer'), update);

  r.get('/welfare-programs/:id/registrations', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const q = parseInput(listQuery, req.query);
    const { officer, scope } = adminLocals(res);
    const program = await programInScope(id, scope.branchIds);
    const memberBranchIds = q.branchCode ? await getSubtreeIds(db, await branchIdInScope(db, q.branchCode, scope, officer.branchId)) : scope.branchIds;
    const { items, total } = await listProgramRegistrations(db, {
      programId: program.id,
      status: q.status,
      memberBranchIds,
      ...(q.format === 'json' ? { limit: q.pageSize, offset: (q.page - 1) * q.pageSize } : {}),
    });
    // Lists show phones masked (personal data); officers call members from their detail page. A
    // viewer, who may not export registrations, does not get the answers either (they may hold health
    // details, e.g. days in hospital).
    const withRef = items.map((i) => ({ ...i, phone: maskDigits(i.phone), reference: registrationReference(program.code, i.id) }));
    if (q.format === 'json') {
      const listed = officer.role === 'viewer' ? withRef.map(({ answers: _answers, ...i }) => i) : withRef;
      return void res.json({ items: listed, total, page: q.page, pageSize: q.pageSize });
    }

    if (officer.role === 'viewer') throw new AppError('FORBIDDEN', 403, 'Cần quyền officer để xuất dữ liệu cá nhân / requires role officer');
    await writeAudit(db, {
      officerId: officer.id,
      actor: `officer:${officer.id}`,
      action: 'welfare.export',
      target: `welfare_program:${program.id}`,
      details: { format: q.format, rows: items.length, status: q.status ?? null, branchCode: q.branchCode ?? null },
    });
    const fields = program.fields ?? [];
    await sendTable(res, q.format, `dang-ky-${program.code.toLowerCase()}`, {
      sheet: 'Đăng ký',
      columns: [
        { header: 'Mã đăng ký', key: 'reference', width: 20 },
        { header: 'Mã đoàn viên', key: 'memberCode', width: 16 },
        { header: 'Họ và tên', key: 'fullName', width: 28 },
        { header: 'Đơn vị', key: 'branchName', width: 32 },
        ...fields.map((f) => ({ header: f.label, key: `f_${f.key}`, width: 24 })),
        { header: 'Trạng thái', key: 'status', width: 14 },
        { header: 'Ghi chú', key: 'note', width: 24 },
        { header: 'Thời gian đăng ký', key: 'createdAt', width: 22 },
      ],
      rows: withRef.map((i) => ({
        ...i,
        // Numbers stay numbers in the spreadsheet; the rest as the member saw them.
        ...Object.fromEntries(fields.map((f) => [`f_${f.key}`, i.answers[f.key] === undefined ? '' : typeof i.answers[f.key] === 'number' ? i.answers[f.key] : formatAnswer(f, i.answers[f.key])])),
        status: statusLabel(i.status),
        createdAt: i.createdAt.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }),
      })),
    });
  });

  const decide = (action: 'approve' | 'reject') =>
    async (req: Request, res: Response) => {
      const { id } = parseInput(idParam, req.params);
      const { note } = parseInput(decisionBody, req.body ?? {});
      const { officer, scope } = adminLocals(res);
      const out = await decideRegistrationsAndNotify(deps, { ids: [id], action, note: note || null, officer, memberBranchIds: scope.branchIds, now: deps.clock.now() });
      if (!out.updated.length) {
        const rows = await getRegistrationsForReview(db, [id], scope.branchIds);
        if (!rows.length) throw notFound('REGISTRATION_NOT_FOUND', 'Không tìm thấy đăng ký / registration not found');
        if (action === 'approve' && rows[0].registration.status === 'rejected') {
          throw conflict('PROGRAM_FULL', `Chương trình "${rows[0].program.title}" đã đủ số lượng, không thể duyệt lại đăng ký đã từ chối / program is full`);
        }
        throw conflict('REGISTRATION_STATE', `Đăng ký đang ở trạng thái "${statusLabel(rows[0].registration.status)}" / cannot ${action}`);
      }
      res.json({ id, status: action === 'approve' ? 'approved' : 'rejected', notified: out.notified });
    };
  r.post('/welfare-registrations/:id/approve', requireRole('officer'), decide('approve'));
  r.post('/welfare-registrations/:id/reject', requireRole('officer'), decide('reject'));

  r.post('/welfare-programs/:id/registrations/bulk', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const body = parseInput(bulkBody, req.body);
    const { officer, scope } = adminLocals(res);
    const program = await programInScope(id, scope.branchIds);
    const out = await decideRegistrationsAndNotify(deps, {
      ids: body.ids,
      action: body.action,
      note: body.note || null,
      officer,
      memberBranchIds: scope.branchIds,
      programId: program.id,
      now: deps.clock.now(),
    });
    res.json(out);
  });

  return r;
}
