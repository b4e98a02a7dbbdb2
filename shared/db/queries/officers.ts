/** Officers and their API tokens (stored as sha256; the token itself is shown once). */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { officers, type OfficerRole } from '../schema';

export type Officer = typeof officers.$inferSelect;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function newApiToken(): string {
  return 'cdv_' + crypto.randomBytes(24).toString('base64url');
}

export async function createOfficer(
  db: Db,
  o: { name: string; branchId: number; role: OfficerRole; phone?: string | null; zaloUserId?: string | null; memberId?: number | null },
): Promise<{ officer: Officer; token: string }> {
  const token = newApiToken();
  const [officer] = await db
    .insert(officers)
    .values({ ...o, tokenHash: hashToken(token) })
    .returning();
  return { officer, token };
}

export async function getOfficerByToken(db: Db, token: string): Promise<Officer | undefined> {
  const [o] = await db.select().from(officers).where(eq(officers.tokenHash, hashToken(token)));
  return o;
}

export async function getOfficerByMemberId(db: Db, memberId: number): Promise<Officer | undefined> {
  const [o] = await db.select().from(officers).where(eq(officers.memberId, memberId));
  return o;
}

export async function listOfficers(db: Db): Promise<Officer[]> {
  return db.select().from(officers).orderBy(officers.id);
}
