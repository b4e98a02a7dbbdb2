/** Demo mode only: who you can be in the browser-served mini-app (demo tokens are verified by the simulator's graph API). */
import { Router } from 'express';
import { asc, isNotNull } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { branches, members, officers } from '../../shared/db/schema';
import { eq } from 'drizzle-orm';
import { UNLINKED_DEMO } from '../../bot/simulator/zalo-api';

export function demoRoutes(deps: { db: Db }): Router {
  const r = Router();
  r.get('/identities', async (_req, res) => {
    const rows = await deps.db
      .select({ zaloAppUserId: members.zaloAppUserId, fullName: members.fullName, memberCode: members.memberCode, branchName: branches.name, officerId: officers.id })
      .from(members)
      .innerJoin(branches, eq(branches.id, members.branchId))
      .leftJoin(officers, eq(officers.memberId, members.id))
      .where(isNotNull(members.zaloAppUserId))
      .orderBy(asc(members.id))
      .limit(12);
    res.json({
      members: rows.map(({ officerId, ...m }) => ({ ...m, isOfficer: officerId != null })),
      unlinked: UNLINKED_DEMO.map((u) => ({ zaloAppUserId: u.zaloAppUserId, name: u.name, hasPhone: u.memberCode === 'DV00041' })),
    });
  });
  return r;
}
