/** Test data builders: each test creates exactly the rows it needs. */
import crypto from 'node:crypto';
import type { Db } from '../../shared/db/client';
import { createBranch } from '../../shared/db/queries/branches';
import { getMemberByCode, upsertMembers, linkMemberZalo, type Member } from '../../shared/db/queries/members';
import { createOfficer } from '../../shared/db/queries/officers';
import type { OfficerRole } from '../../shared/db/schema';

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(++seq).toString(36)}${crypto.randomBytes(2).toString('hex')}`;

/** A long numeric id like Zalo's (beyond 2^53). */
export const zaloId = (prefix = '7') => prefix + String(crypto.randomInt(1e9, 9.99e9)) + String(crypto.randomInt(1e8, 9.99e8));

export async function makeBranch(db: Db, o: { code?: string; name?: string; parentId?: number | null } = {}) {
  const code = o.code ?? `BR-${uniq()}`;
  return createBranch(db, { code, name: o.name ?? `Đơn vị ${code}`, parentId: o.parentId ?? null });
}

export async function makeMember(
  db: Db,
  o: Partial<{ memberCode: string; fullName: string; branchId: number; dateOfBirth: string; phone: string; zaloUserId: string; zaloAppUserId: string; status: 'active' | 'suspended' | 'left'; joinedAt: string }> = {},
): Promise<Member> {
  const branchId = o.branchId ?? (await makeBranch(db)).id;
  const memberCode = o.memberCode ?? `M${uniq()}`.toUpperCase();
  await upsertMembers(db, [
    {
      memberCode,
      fullName: o.fullName ?? 'Nguyễn Thị Lan',
      branchId,
      dateOfBirth: o.dateOfBirth ?? '1990-05-17',
      phone: o.phone ?? null,
      zaloUserId: o.zaloUserId ?? null,
      status: o.status ?? 'active',
      joinedAt: o.joinedAt ?? '2015-03-01',
    },
  ]);
  let m = (await getMemberByCode(db, memberCode))!;
  if (o.zaloAppUserId) {
    await linkMemberZalo(db, m.id, { zaloAppUserId: o.zaloAppUserId });
    m = (await getMemberByCode(db, memberCode))!;
  }
  return m;
}

export async function makeOfficer(db: Db, o: { branchId: number; role?: OfficerRole; name?: string; memberId?: number; zaloUserId?: string }) {
  return createOfficer(db, { name: o.name ?? 'Cán bộ Thử', branchId: o.branchId, role: o.role ?? 'officer', memberId: o.memberId ?? null, zaloUserId: o.zaloUserId ?? null });
}
