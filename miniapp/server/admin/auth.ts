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
import { ttlCache } from '../../../shared/ttl-cache';

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
 * Hot-path lookups every admin request makes, reused for a few seconds per process (a door scanner
 * sends one request per card): an API token's officer and a branch's root flag. A changed role or a
 * deleted officer takes effect within OFFICER_TTL_MS; console sessions are always read fresh.
 */
export const OFFICER_TTL_MS = 5_000;

export function requireOfficer(db: Db, resolveSession?: SessionResolver): RequestHandler {
  const officerByToken = ttlCache(OFFICER_TTL_MS, (token: string) => getOfficerByToken(db, token));
  const isRoot = ttlCache(OFFICER_TTL_MS, async (branchId: number) => (await getBranchById(db, branchId))?.parentId == null);
  const scopeOf = async (branchId: number): Promise<OfficerScope> => {
    const [branchIds, includesRoot] = await Promise.all([getSubtreeIdsCached(db, branchId), isRoot(branchId)]);
    return { branchIds: [...branchIds], includesRoot };
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.get('authorization') ?? '';
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      let officer = m ? await officerByToken(m[1]) : undefined;
      if (!officer && !m && resolveSession) officer = await resolveSession(req);
      if (!officer) throw unauthorized('Cần đăng nhập cán bộ / officer authentication required');
      Object.assign(res.locals, { officer, scope: await scopeOf(officer.branchId) } satisfies AdminLocals);
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
