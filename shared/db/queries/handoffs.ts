/** Hand-off tickets: questions a worker wants a human officer to answer, with their message history. */
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { handoffMessages, handoffTickets, members } from '../schema';

export type HandoffTicket = typeof handoffTickets.$inferSelect;
export type HandoffMessage = typeof handoffMessages.$inferSelect;

export async function getOpenTicketForUser(db: Db, zaloUserId: string): Promise<HandoffTicket | undefined> {
  const [t] = await db
    .select()
    .from(handoffTickets)
    .where(and(eq(handoffTickets.zaloUserId, zaloUserId), inArray(handoffTickets.status, ['open', 'answered'])))
    .orderBy(desc(handoffTickets.id))
    .limit(1);
  return t;
}

export async function createTicket(db: Db, t: { zaloUserId: string; memberId: number | null; question: string }): Promise<HandoffTicket> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx.insert(handoffTickets).values(t).returning();
    await tx.insert(handoffMessages).values({ ticketId: ticket.id, author: 'user', text: t.question });
    return ticket;
  });
}

export async function addTicketMessage(
  db: Db,
  m: { ticketId: number; author: 'user' | 'officer' | 'bot'; text: string; officerId?: number | null },
  status?: HandoffTicket['status'],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(handoffMessages).values(m);
    await tx
      .update(handoffTickets)
      .set({ updatedAt: sql`now()`, ...(status ? { status } : {}), ...(m.officerId ? { assignedOfficerId: m.officerId } : {}) })
      .where(eq(handoffTickets.id, m.ticketId));
  });
}

/**
 * Tickets an officer may see: those of members in the officer's branch subtree; tickets of unlinked
 * users only for officers whose scope includes the root (they have no branch yet).
 */
export function ticketScopeFilter(branchIds: number[], includesRoot: boolean) {
  const inScope = sql`${handoffTickets.memberId} in (select id from ${members} where ${inArray(members.branchId, branchIds)})`;
  return includesRoot ? or(isNull(handoffTickets.memberId), inScope) : inScope;
}

export async function listTickets(db: Db, scope: { branchIds: number[]; includesRoot: boolean }, status?: HandoffTicket['status']) {
  const where = status ? and(ticketScopeFilter(scope.branchIds, scope.includesRoot), eq(handoffTickets.status, status)) : ticketScopeFilter(scope.branchIds, scope.includesRoot);
  return db.select().from(handoffTickets).where(where).orderBy(desc(handoffTickets.updatedAt)).limit(200);
}

export async function getTicketInScope(db: Db, id: number, scope: { branchIds: number[]; includesRoot: boolean }) {
  const [t] = await db
    .select()
    .from(handoffTickets)
    .where(and(eq(handoffTickets.id, id), ticketScopeFilter(scope.branchIds, scope.includesRoot)));
  return t;
}

export async function getTicketMessages(db: Db, ticketId: number): Promise<HandoffMessage[]> {
  return db.select().from(handoffMessages).where(eq(handoffMessages.ticketId, ticketId)).orderBy(handoffMessages.id);
}

export async function setTicketStatus(db: Db, id: number, status: HandoffTicket['status']): Promise<void> {
  await db.update(handoffTickets).set({ status, updatedAt: sql`now()` }).where(eq(handoffTickets.id, id));
}
