/** Officer API for the audit log: paged, newest first, limited to actions of officers in the subtree. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import { parseInput } from '../../../shared/http/validate';
import { listAudit } from '../../../shared/db/queries/console';
import { adminLocals } from './auth';

const listQuery = z.object({
  action: z.string().trim().max(60).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export function auditRoutes(deps: { db: Db }): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    const q = parseInput(listQuery, req.query);
    const { scope } = adminLocals(res);
    const { items, total } = await listAudit(deps.db, {
      officerBranchIds: scope.branchIds,
      includeSystem: scope.includesRoot,
      action: q.action,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    res.json({ items, total, page: q.page, pageSize: q.pageSize });
  });
  return r;
}
