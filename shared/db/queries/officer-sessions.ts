/** Console sign-in state: officer sessions (cookie id stored hashed), one-time codes, attempt counters. */
import { and, count, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { appSettings, branches, linkAttempts, officers, officerSessions } from '../schema';
import type { Officer } from './officers';

export type OfficerSession = typeof officerSessions.$inferSelect;

export async function createOfficerSession(db: Db, s: { idHash: string; officerId: number; csrfToken: string; expiresAt: Date }): Promise<void> {
  await db.insert(officerSessions).values(s);
}

/** The session and its officer while it has not expired. */
export async function getLiveSession(db: Db, idHash: string, now: Date): Promise<{ session: OfficerSession; officer: Officer } | undefined> {
  const [row] = await db
    .select({ session: officerSessions, officer: officers })
    .from(officerSessions)
    .innerJoin(officers, eq(officers.id, officerSessions.officerId))
    .where(and(eq(officerSessions.idHash, idHash), gt(officerSessions.expiresAt, now)));
  return row;
}

export async function deleteOfficerSession(db: Db, idHash: string): Promise<void> {
  await db.delete(officerSessions).where(eq(officerSessions.idHash, idHash));
}

export async function pruneOfficerSessions(db: Db, now: Date): Promise<void> {
  await db.delete(officerSessions).where(lt(officerSessions.expiresAt, now));
}

export async function getOfficersByPhone(db: Db, phone: string): Promise<Officer[]> {
  return db.select().from(officers).where(eq(officers.phone, phone)).orderBy(officers.id);
}

export async function getOfficerById(db: Db, id: number): Promise<Officer | undefined> {
  const [o] = await db.select().from(officers).where(eq(officers.id, id));
  return o;
}

export async function listOfficersWithBranch(db: Db) {
  return db
    .select({ id: officers.id, name: officers.name, role: officers.role, branchCode: branches.code, branchName: branches.name })
    .from(officers)
    .innerJoin(branches, eq(branches.id, officers.branchId))
    .orderBy(officers.id);
}

/** Pending one-time codes live in app_settings under a per-phone key (shared by all processes). */
const otpKey = (phoneHash: string) => `admin-otp:${phoneHash}`;

export interface StoredOtp {
  codeHash: string;
  officerId: number;
  expiresAt: number;
}

export async function putOtp(db: Db, phoneHash: string, otp: StoredOtp): Promise<void> {
  const value = JSON.stringify(otp);
  await db.insert(appSettings).values({ key: otpKey(phoneHash), value }).onConflictDoUpdate({ target: appSettings.key, set: { value } });
}

export async function getOtp(db: Db, phoneHash: string): Promise<StoredOtp | undefined> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, otpKey(phoneHash)));
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as StoredOtp;
  } catch {
    return undefined;
  }
}

export async function deleteOtp(db: Db, phoneHash: string): Promise<void> {
  await db.delete(appSettings).where(eq(appSettings.key, otpKey(phoneHash)));
}

/** Attempt counters reuse the link_attempts table (key + time), counted over a window. */
export async function countAttempts(db: Db, key: string, since: Date): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(linkAttempts)
    .where(and(eq(linkAttempts.key, key), gt(linkAttempts.createdAt, since)));
  return Number(r.n);
}

export async function recordAttempt(db: Db, key: string): Promise<void> {
  await db.insert(linkAttempts).values({ key });
}
