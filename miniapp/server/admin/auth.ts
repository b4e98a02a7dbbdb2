/**
 * Officer authentication and scope: `Authorization: Bearer <API token>` (or the console session cookie,
 * added by the console). Every admin query is limited to the officer's branch subtree.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../../shared/db/client';
import { badRequest, forbidden, unauthorized } from '../../../shared/errors';
import { getOfficerByToken, type Officer } from '../../../shared/db/queries/officers';
import { getBranchByCode, getBranchById, getSubtreeIdsCached } from '../../../shared/db/queries/branches';
import type { OfficerRole } from '../../../shared/db/schema';

export interface OfficerScope {
  branchIds: number[];
  /** True when the officer's branch is a root of the tree (sees unlinked users' tickets too). */
  includesRoot: boolean;
}

export interface AdminLocals {
  officer: Officer;
  scope: OfficerScope;
}

export function adminLocals(res: Response): AdminLocals {
  return res.locals as AdminLocals;
}

const ROLE_RANK: Record<OfficerRole, number> = { viewer: 0, officer: 1, admin: 2 };

export type SessionResolver = (req: Request) => Promise<Officer | undefined>;

/** The officer's scope: their branch's subtree (cached briefly, see getSubtreeIdsCached) and whether it is a root. */
async function scopeOf(db: Db, branchId: number): Promise<OfficerScope> {
  const [branchIds, branch] = await Promise.all([getSubtreeIdsCached(db, branchId), getBranchById(db, branchId)]);
  return { branchIds: [...branchIds], includesRoot: branch?.parentId == null };
}

export function requireOfficer(db: Db, resolveSession?: SessionResolver): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization') ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      let officer = m ? await getOfficerByToken(db, m[1]) : undefined;
      if (!officer && !m && resolveSession) officer = await resolveSession(req);
      if (!officer) throw unauthorized('Cần đăng nhập cán bộ / officer authentication required');
      Object.assign(res.locals, { officer, scope: await scopeOf(db, officer.branchId) } satisfies AdminLocals);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Viewers read; officers act; admins also manage people and personal-data exports. */
export function requireRole(min: OfficerRole): RequestHandler {
  return (_req, res, next) => {
    const { officer } = adminLocals(res);
    if (ROLE_RANK[officer.role] < ROLE_RANK[min]) return next(forbidden(`Cần quyền ${min} / requires role ${min}`));
    next();
  };
}

/**
 * The branch an officer names by code for something they create or filter (an event, a program, a
 * poll…): it must exist inside their subtree; without a code, `fallbackId` (usually their own branch).
 */
export async function branchIdInScope(db: Db, code: string | undefined, scope: OfficerScope, fallbackId: number): Promise<number> {
  if (!code) return fallbackId;
  const b = await getBranchByCode(db, code);
  if (!b || !scope.branchIds.includes(b.id)) {
    throw badRequest('VALIDATION_ERROR', `branchCode: không có đơn vị "${code}" trong phạm vi của bạn / unknown branch or outside your scope`, {
      fields: [{ path: 'branchCode', message: 'unknown branch or outside your scope' }],
    });
  }
  return b.id;
}
