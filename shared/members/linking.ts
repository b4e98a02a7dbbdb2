/**
 * Proving that a Zalo user is a member: member code + date of birth, or a phone number Zalo vouches
 * for. Failures are counted per Zalo id per hour, and per member code (so many Zalo accounts together
 * cannot guess one member's date of birth); every failure looks the same (no enumeration). A member
 * already linked to another Zalo account is not handed over on a code and a date of birth, which
 * others may know: only a phone Zalo vouches for (or an officer) moves it.
 */
import type { Db } from '../db/client';
import { getMemberByCode, getMembersByPhone, linkMemberZalo, type Member } from '../db/queries/members';
import { countRecentLinkFailures, recordLinkFailure } from '../db/queries/link-attempts';
import { normalizeVietnamesePhone } from '../phone';
import { parseVnDate } from './import';
import type { ZaloClient } from '../zalo';
import { errorText, type Logger } from '../logger';
import { vi } from '../i18n/vi';

export const MAX_LINK_FAILURES_PER_HOUR = 5;
/** Failures per member code per hour, whichever Zalo accounts they come from. */
export const MAX_LINK_FAILURES_PER_CODE_PER_HOUR = 10;

export type LinkResult =
  /** `movedFrom`: the OA user id the member was linked to before (a re-link by a Zalo-verified phone). */
  | { ok: true; member: Member; movedFrom?: string }
  | { ok: false; reason: 'mismatch'; attemptsLeft: number }
  | { ok: false; reason: 'rate_limited' }
  | { ok: false; reason: 'linked_elsewhere' };

export interface ZaloIds {
  zaloUserId?: string | null;
  zaloAppUserId?: string | null;
}

export async function linkAttemptsLeft(db: Db, key: string, now: Date, limit = MAX_LINK_FAILURES_PER_HOUR): Promise<number> {
  const failures = await countRecentLinkFailures(db, key, new Date(now.getTime() - 3600_000));
  return Math.max(0, limit - failures);
}

async function fail(db: Db, key: string, now: Date, alsoKey?: string): Promise<LinkResult> {
  await recordLinkFailure(db, key);
  if (alsoKey) await recordLinkFailure(db, alsoKey);
  const left = await linkAttemptsLeft(db, key, now);
  return { ok: false, reason: 'mismatch', attemptsLeft: left };
}

/** Linked to a Zalo account, and none of the caller's ids is one of that account's. */
export function heldByAnotherAccount(member: Member, ids: ZaloIds): boolean {
  const linked = Boolean(member.zaloUserId || member.zaloAppUserId);
  const same = Boolean((ids.zaloUserId && member.zaloUserId === ids.zaloUserId) || (ids.zaloAppUserId && member.zaloAppUserId === ids.zaloAppUserId));
  return linked && !same;
}

export async function linkByCodeAndDob(
  db: Db,
  rateKey: string,
  ids: ZaloIds,
  memberCode: string,
  dateOfBirth: string,
  now: Date,
): Promise<LinkResult> {
  const code = memberCode.trim();
  const codeKey = `code:${code.toUpperCase()}`;
  if ((await linkAttemptsLeft(db, rateKey, now)) <= 0) return { ok: false, reason: 'rate_limited' };
  if ((await linkAttemptsLeft(db, codeKey, now, MAX_LINK_FAILURES_PER_CODE_PER_HOUR)) <= 0) return { ok: false, reason: 'rate_limited' };
  const dob = parseVnDate(dateOfBirth);
  const member = (await getMemberByCode(db, code.toUpperCase())) ?? (await getMemberByCode(db, code));
  if (!member || !dob || member.dateOfBirth !== dob || member.status === 'left') return fail(db, rateKey, now, codeKey);
  if (heldByAnotherAccount(member, ids)) {
    await recordLinkFailure(db, rateKey);
    return { ok: false, reason: 'linked_elsewhere' };
  }
  await linkMemberZalo(db, member.id, ids);
  return { ok: true, member: { ...member, ...pickDefined(ids) } };
}

/** `phone` must come from Zalo (submitted info or the mini-app phone-token exchange), never from free text. */
export async function linkByVerifiedPhone(db: Db, rateKey: string, ids: ZaloIds, phone: string, now: Date): Promise<LinkResult> {
  if ((await linkAttemptsLeft(db, rateKey, now)) <= 0) return { ok: false, reason: 'rate_limited' };
  const e164 = normalizeVietnamesePhone(phone);
  const matches = e164 ? (await getMembersByPhone(db, e164)).filter((m) => m.status !== 'left') : [];
  // Two members sharing one phone cannot be told apart: ask for the member code instead.
  if (matches.length !== 1) return fail(db, rateKey, now);
  const previous = heldByAnotherAccount(matches[0], ids) ? matches[0].zaloUserId : null;
  await linkMemberZalo(db, matches[0].id, ids);
  return { ok: true, member: { ...matches[0], ...pickDefined(ids) }, ...(previous && previous !== ids.zaloUserId ? { movedFrom: previous } : {}) };
}

function pickDefined(ids: ZaloIds): Partial<Member> {
  const out: Partial<Member> = {};
  if (ids.zaloUserId) out.zaloUserId = ids.zaloUserId;
  if (ids.zaloAppUserId) out.zaloAppUserId = ids.zaloAppUserId;
  return out;
}

/**
 * Tells the account a member was moved away from (a re-link by a Zalo-verified phone), so a takeover
 * never goes unnoticed. Best effort: Zalo may refuse a message to a user who has not written lately.
 */
export async function notifyMovedMember(zalo: ZaloClient, logger: Logger, result: LinkResult): Promise<void> {
  if (!result.ok || !result.movedFrom) return;
  try {
    await zalo.sendMessage('cs', result.movedFrom, { text: vi.link.movedAway(result.member.fullName, result.member.memberCode) });
  } catch (err) {
    logger.warn({ memberId: result.member.id, err: errorText(err) }, 'could not tell the previous Zalo account that its member was re-linked');
  }
}
