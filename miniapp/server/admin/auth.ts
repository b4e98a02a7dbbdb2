/**
 * Officer authentication and scope: `Authorization: Bearer <API token>` (or the console session cookie,
 * added by the console). Every admin query is limited to the officer's branch subtree.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../../shared/db/client';
import { badRequest, forbidden, unauthorized } from '../../../shared/errors';
import { getOfficerByToken, type Officer } from '../../../shared/db/queries/officers';
import { getBranchByCode, getBranchById, getSubtreeIds } from '../../../shared/db/queries/branches';
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

/**
 * How long a branch's subtree is reused before it is read again. Every admin request needs it, and a
 * door scanner's burst of check-ins would otherwise run the recursive query per scan. A branch added
 * (by an import, on another process) reaches the scopes above it within this time.
 */
export const SCOPE_TTL_MS = 5_000;

/** Officer scopes by branch id, each reused for SCOPE_TTL_MS (one pending read shared by concurrent requests). */
export function scopeCache(db: Db, ttlMs = SCOPE_TTL_MS) {
  const cache = new Map<number, { at: number; scope: Promise<OfficerScope> }>();
  return (branchId: number): Promise<OfficerScope> => {
    const hit = cache.get(branchId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.scope;
    const scope = (async () => {
      const [branchIds, branch] = await Promise.all([getSubtreeIds(db, branchId), getBranchById(db, branchId)]);
      return { branchIds, includesRoot: branch?.parentId == null };
    })();
    if (cache.size > 10_000) cache.clear();
    cache.set(branchId, { at: Date.now(), scope });
    scope.catch(() => cache.delete(branchId));
    return scope;
  };
}

export function requireOfficer(db: Db, resolveSession?: SessionResolver): RequestHandler {
  const scopeOf = scopeCache(db);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization') ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      let officer = m ? await getOfficerByToken(db, m[1]) : undefined;
      if (!officer && !m && resolveSession) officer = await resolveSession(req);
      if (!officer) throw unauthorized('Cần đăng nhập cán bộ / officer authentication required');
      const scope = await scopeOf(officer.branchId);
      Object.assign(res.locals, { officer, scope: { branchIds: [...scope.branchIds], includesRoot: scope.includesRoot } } satisfies AdminLocals);
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
