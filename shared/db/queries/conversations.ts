/** Conversation state per Zalo user: multi-step flows survive restarts and run on any process. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { conversations } from '../schema';

export async function getConversationState(db: Db, zaloUserId: string): Promise<Record<string, unknown>> {
  const [row] = await db.select().from(conversations).where(eq(conversations.zaloUserId, zaloUserId));
  return row?.state ?? {};
}

export async function saveConversationState(db: Db, zaloUserId: string, state: Record<string, unknown>): Promise<void> {
  await db
    .insert(conversations)
    .values({ zaloUserId, state })
    .onConflictDoUpdate({ target: conversations.zaloUserId, set: { state, updatedAt: sql`now()` } });
}
