/** Conversation state per Zalo user: multi-step flows survive restarts and run on any process. */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { conversations } from '../schema';

/** A conversation left alone this long starts over: no half-done flow, no remembered question. */
export const CONVERSATION_TTL_MINUTES = 30;

/** The user's conversation state, or {} when there is none or it was last saved over the TTL ago. */
export async function getConversationState(db: Db, zaloUserId: string): Promise<Record<string, unknown>> {
  const [row] = await db
    .select({ state: conversations.state })
    .from(conversations)
    .where(and(eq(conversations.zaloUserId, zaloUserId), sql`${conversations.updatedAt} > now() - make_interval(mins => ${CONVERSATION_TTL_MINUTES})`));
  return row?.state ?? {};
}

export async function saveConversationState(db: Db, zaloUserId: string, state: Record<string, unknown>): Promise<void> {
  await db
    .insert(conversations)
    .values({ zaloUserId, state })
    .onConflictDoUpdate({ target: conversations.zaloUserId, set: { state, updatedAt: sql`now()` } });
}
