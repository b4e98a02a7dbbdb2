/**
 * Read models for the officer console: member search, personal-data export and erasure, branch tree
 * with counts, dashboard aggregates and the audit log — every one limited to a branch subtree.
 */
import { and, asc, count, desc, eq, gt, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { keysetPages } from '../keyset';
import {
  auditLog,
  branches,
  broadcastDeliveries,
  broadcasts,
  checkins,
  events,
  handoffTickets,
  members,
  officers,
  welfarePrograms,
  welfareRegistrations,
  type MemberStatus,
} from '../schema';
import { foldVietnamese } from '../../text';

export interface MemberSearch {
  q?: string;
  branchIds: number[];
  status?: MemberStatus;
  linked?: boolean;
  limit: number;
  offset: number;
  /**
   * 'partial' matches any run of digits in a phone number; 'whole' only the full number. Whoever sees
   * phones masked must get 'whole': otherwise adding one digit at a time to the search spells a
   * member's number out.
   */
  phoneMatch?: 'partial' | 'whole';
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

function memberWhere(s: Omit<MemberSearch, 'limit' | 'offset'>): SQL | undefined {
  const parts: (SQL | undefined)[] = [inArray(members.branchId, s.branchIds)];
  if (s.status) parts.push(eq(members.status, s.status));
  if (s.linked === true) parts.push(isNotNull(members.zaloUserId));
  if (s.linked === false) parts.push(isNull(members.zaloUserId));
  const q = s.q?.trim();
  if (q) {
    const folded = escapeLike(foldVietnamese(q));
    const ors: SQL[] = [ilike(members.searchName, `%${folded}%`), ilike(members.memberCode, `%${escapeLike(q)}%`)];
    const digits = q.replace(/\D/g, '');
    if (digits.length >= 3 && digits.length === q.replace(/[\s+().-]/g, '').length) {
      // Typed "0912…" matches the stored "+84912…": compare without the national prefix.
      const national = digits.replace(/^(84|0)/, '');
      if (s.phoneMatch === 'whole') {
        if (national.length >= 9) ors.push(eq(members.phone, `+84${national}`));
      } else ors.push(ilike(members.phone, `%${national}%`));
    }
    parts.push(or(...ors));
  }
  return and(...parts);
}

export async function searchMembers(db: Db, s: MemberSearch) {
  const where = memberWhere(s);
  const [items, total] = await Promise.all([
    db
      .select({ member: members, branch: { id: branches.id, code: branches.code, name: branches.name } })
      .from(members)
      .innerJoin(branches, eq(branches.id, members.branchId))
      .where(where)
      .orderBy(asc(members.memberCode))
      .limit(s.limit)
      .offset(s.offset),
    countMatchingMembers(db, s),
  ]);
  return { items, total };
}

export async function countMatchingMembers(db: Db, s: Omit<MemberSearch, 'limit' | 'offset'>): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(members).where(memberWhere(s));
  return Number(n);
}

/**
 * All matching members (export), in member-code order, a page at a time: each page starts after the
 * last code of the one before (keyset), so a million members never sit in memory together.
 */
export function membersForExport(db: Db, s: Omit<MemberSearch, 'limit' | 'offset'>, pageSize = 5_000) {
  const where = memberWhere(s);
  return keysetPages(
    (after: string | null, limit) =>
      db
        .select({ member: members, branchCode: branches.code, branchName: branches.name })
        .from(members)
        .innerJoin(branches, eq(branches.id, members.branchId))
        .where(after === null ? where : and(where, gt(members.memberCode, after)))
        .orderBy(asc(members.memberCode))
        .limit(limit),
    (row) => row.member.memberCode,
    pageSize,
  );
}

export async function getMemberInScope(db: Db, id: number, branchIds: number[]) {
  const [row] = await db
    .select({ member: members, branch: { id: branches.id, code: branches.code, name: branches.name } })
    .from(members)
    .innerJoin(branches, eq(branches.id, members.branchId))
    .where(and(eq(members.id, id), inArray(members.branchId, branchIds)));
  return row;
}

/** Member codes among `codes` that belong to a branch outside `branchIds`. */
export async function memberCodesOutside(db: Db, codes: string[], branchIds: number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < codes.length; i += 1000) {
    const rows = await db
      .select({ code: members.memberCode, branchId: members.branchId })
      .from(members)
      .where(inArray(members.memberCode, codes.slice(i, i + 1000)));
    for (const r of rows) if (!branchIds.includes(r.branchId)) out.add(r.code);
  }
  return out;
}

/** Everything the system holds about one member (a data-subject access request). */
export async function collectMemberData(db: Db, memberId: number) {
  const [checkinRows, registrations, tickets, deliveries] = await Promise.all([
    db
      .select({ event: events.title, at: checkins.at, method: checkins.method })
      .from(checkins)
      .innerJoin(events, eq(events.id, checkins.eventId))
      .where(eq(checkins.memberId, memberId))
      .orderBy(desc(checkins.at)),
    db
      .select({ program: welfarePrograms.title, status: welfareRegistrations.status, answers: welfareRegistrations.answers, createdAt: welfareRegistrations.createdAt })
      .from(welfareRegistrations)
      .innerJoin(welfarePrograms, eq(welfarePrograms.id, welfareRegistrations.programId))
      .where(eq(welfareRegistrations.memberId, memberId)),
    db
      .select({ id: handoffTickets.id, question: handoffTickets.question, status: handoffTickets.status, createdAt: handoffTickets.createdAt })
      .from(handoffTickets)
      .where(eq(handoffTickets.memberId, memberId)),
    db
      .select({ broadcastId: broadcastDeliveries.broadcastId, status: broadcastDeliveries.status, sentAt: broadcastDeliveries.sentAt })
      .from(broadcastDeliveries)
      .where(eq(broadcastDeliveries.memberId, memberId)),
  ]);
  return { checkins: checkinRows, welfareRegistrations: registrations, handoffTickets: tickets, broadcastDeliveries: deliveries };
}

/** Erases personal data but keeps the row (and its member code) so history stays consistent. */
export async function anonymizeMember(db: Db, memberId: number): Promise<void> {
  await db
    .update(members)
    .set({
      fullName: 'Đã xóa',
      searchName: 'da xoa',
      phone: null,
      nationalId: null,
      dateOfBirth: null,
      gender: null,
      zaloUserId: null,
      zaloAppUserId: null,
      status: 'left',
      updatedAt: new Date(),
    })
    .where(eq(members.id, memberId));
  await db.update(broadcastDeliveries).set({ zaloUserId: null }).where(eq(broadcastDeliveries.memberId, memberId));
}

export async function listBranchesWithCounts(db: Db, branchIds: number[]) {
  return db
    .select({
      id: branches.id,
      code: branches.code,
      name: branches.name,
      parentId: branches.parentId,
      members: sql<number>`(select count(*)::int from ${members} where ${members.branchId} = ${branches.id})`,
    })
    .from(branches)
    .where(inArray(branches.id, branchIds))
    .orderBy(asc(branches.code));
}

export async function memberStatsByBranch(db: Db, branchIds: number[]) {
  return db
    .select({
      branchId: members.branchId,
      code: branches.code,
      name: branches.name,
      total: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${members.status} = 'active'))::int`,
      suspended: sql<number>`(count(*) filter (where ${members.status} = 'suspended'))::int`,
      left: sql<number>`(count(*) filter (where ${members.status} = 'left'))::int`,
      linked: sql<number>`(count(*) filter (where ${members.zaloUserId} is not null))::int`,
    })
    .from(members)
    .innerJoin(branches, eq(branches.id, members.branchId))
    .where(inArray(members.branchId, branchIds))
    .groupBy(members.branchId, branches.code, branches.name)
    .orderBy(asc(branches.code));
}

export async function broadcastStats(db: Db, branchIds: number[], limit = 8) {
  const recent = await db
    .select({
      id: broadcasts.id,
      title: sql<string>`${broadcasts.message}->>'title'`,
      status: broadcasts.status,
      createdAt: broadcasts.createdAt,
      total: sql<number>`(select count(*)::int from ${broadcastDeliveries} d where d.broadcast_id = ${broadcasts.id})`,
      sent: sql<number>`(select count(*)::int from ${broadcastDeliveries} d where d.broadcast_id = ${broadcasts.id} and d.status = 'sent')`,
      failed: sql<number>`(select count(*)::int from ${broadcastDeliveries} d where d.broadcast_id = ${broadcasts.id} and d.status = 'failed')`,
    })
    .from(broadcasts)
    .where(inArray(broadcasts.branchId, branchIds))
    .orderBy(desc(broadcasts.id))
    .limit(limit);
  const [totals] = await db
    .select({
      broadcasts: sql<number>`count(distinct ${broadcasts.id})::int`,
      sent: sql<number>`(count(${broadcastDeliveries.id}) filter (where ${broadcastDeliveries.status} = 'sent'))::int`,
      failed: sql<number>`(count(${broadcastDeliveries.id}) filter (where ${broadcastDeliveries.status} = 'failed'))::int`,
    })
    .from(broadcasts)
    .leftJoin(broadcastDeliveries, eq(broadcastDeliveries.broadcastId, broadcasts.id))
    .where(inArray(broadcasts.branchId, branchIds));
  return { recent, totals: { broadcasts: Number(totals?.broadcasts ?? 0), sent: Number(totals?.sent ?? 0), failed: Number(totals?.failed ?? 0) } };
}

export async function countOpenTickets(db: Db, scopeFilter: SQL | undefined): Promise<number> {
  const [r] = await db.select({ n: count() }).from(handoffTickets).where(and(eq(handoffTickets.status, 'open'), scopeFilter));
  return Number(r.n);
}

export async function listAudit(db: Db, opts: { officerBranchIds: number[]; includeSystem: boolean; action?: string; limit: number; offset: number }) {
  const scope = opts.includeSystem ? or(isNull(auditLog.officerId), inArray(officers.branchId, opts.officerBranchIds)) : inArray(officers.branchId, opts.officerBranchIds);
  const where = and(scope, opts.action ? ilike(auditLog.action, `${escapeLike(opts.action)}%`) : undefined);
  const [items, [{ n }]] = await Promise.all([
    db
      .select({ id: auditLog.id, at: auditLog.at, actor: auditLog.actor, action: auditLog.action, target: auditLog.target, details: auditLog.details, officerId: auditLog.officerId, officerName: officers.name })
      .from(auditLog)
      .leftJoin(officers, eq(officers.id, auditLog.officerId))
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(opts.limit)
      .offset(opts.offset),
    db.select({ n: count() }).from(auditLog).leftJoin(officers, eq(officers.id, auditLog.officerId)).where(where),
  ]);
  return { items, total: Number(n) };
}
