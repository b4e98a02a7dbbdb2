/**
 * Check-in rules shared by the three ways in: a member scanning the event QR (or typing its code), an
 * officer scanning a member's card in the console API, or in the mini-app's officer page.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { perDatabase, type Db } from '../db/client';
import { AppError } from '../errors';
import { getCheckin, getEvent, getEventByCode, insertCheckin, insertScannedCheckins, type CardScan, type Event, type ScannedCheckin } from '../db/queries/events';
import { GroupCommit, isRowDataError } from '../db/group-commit';
import { getSubtreeIdsCached } from '../db/queries/branches';
import type { Member } from '../db/queries/members';
import { looksLikeQrToken, verifyEventQr, verifyMemberQr, type QrKeys, type QrVerifyError } from '../qr/tokens';

/** Members may check in from an hour before the start until the end. */
export const EARLY_CHECKIN_MS = 3600_000;

const QR_REASON: Record<QrVerifyError, string> = {
  malformed: 'Mã QR không hợp lệ. Vui lòng quét lại.',
  bad_signature: 'Mã QR không hợp lệ (không phải mã của Công đoàn).',
  wrong_kind: 'Đây không phải loại mã cần quét ở đây.',
  expired: 'Mã QR đã hết hạn. Vui lòng mở lại thẻ để lấy mã mới.',
};

export function qrError(code: string, err: QrVerifyError, message?: string): AppError {
  return new AppError(code, 400, message ?? QR_REASON[err]);
}

export function newEventCode(): string {
  // Unambiguous letters/digits (no 0/O, 1/I) so people can type it.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(crypto.randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
}

/** The event named by a scanned event QR, or by its short code typed by hand. */
export async function resolveEvent(db: Db, keys: QrKeys, tokenOrCode: string, now: Date): Promise<Event> {
  const input = tokenOrCode.trim();
  let event: Event | undefined;
  if (looksLikeQrToken(input)) {
    const v = verifyEventQr(keys, input, now);
    if (!v.ok) {
      throw qrError(v.error === 'expired' ? 'EVENT_TOKEN_EXPIRED' : 'EVENT_TOKEN_INVALID', v.error, v.error === 'expired' ? 'Mã sự kiện đã hết hạn.' : undefined);
    }
    event = await getEvent(db, v.payload.e);
  } else if (/^[A-Za-z0-9-]{3,20}$/.test(input)) {
    event = await getEventByCode(db, input);
  }
  if (!event) throw new AppError('EVENT_NOT_FOUND', 400, 'Không tìm thấy sự kiện với mã này. Bạn kiểm tra lại mã nhé.');
  return event;
}

export function assertEventOpen(event: Event, now: Date) {
  if (now.getTime() > event.endsAt.getTime()) throw new AppError('EVENT_ENDED', 400, `Sự kiện "${event.title}" đã kết thúc.`);
  if (now.getTime() < event.startsAt.getTime() - EARLY_CHECKIN_MS) {
    throw new AppError('EVENT_NOT_STARTED', 400, `Sự kiện "${event.title}" chưa mở điểm danh.`);
  }
}

function assertMemberMayCheckIn(scope: readonly number[], member: { fullName: string; branchId: number; status: string }) {
  if (!scope.includes(member.branchId)) {
    throw new AppError('NOT_IN_SCOPE', 400, `Đoàn viên ${member.fullName} không thuộc đơn vị tổ chức sự kiện này.`);
  }
  if (member.status !== 'active') throw new AppError('MEMBER_INACTIVE', 400, `Đoàn viên ${member.fullName} không ở trạng thái đang sinh hoạt.`);
}

export interface CheckinOutcome {
  status: 'checked_in' | 'already_checked_in';
  at: Date;
  event: Event;
  member: Member;
}

export async function checkIn(
  db: Db,
  p: { event: Event; member: Member; method: 'self' | 'officer'; byOfficerId?: number | null; now: Date; scanId?: string | null },
): Promise<CheckinOutcome> {
  assertEventOpen(p.event, p.now);
  assertMemberMayCheckIn(await getSubtreeIdsCached(db, p.event.branchId), p.member);
  const r = await insertCheckin(db, { eventId: p.event.id, memberId: p.member.id, method: p.method, byOfficerId: p.byOfficerId ?? null, at: p.now, scanId: p.scanId ?? null });
  return { status: r.created ? 'checked_in' : 'already_checked_in', at: r.at, event: p.event, member: p.member };
}

/**
 * Scans arriving together (several doors, a queue at each) are written together: one statement per
 * batch, one batch at a time (see shared/db/group-commit.ts). The same member scanned twice in one
 * batch goes in once; the repeat reads as a scan of a member already checked in.
 */
const scanWriter = perDatabase(
  (db) =>
    new GroupCommit<CardScan, ScannedCheckin>(
      async (scans) => {
        const firstOf = new Map<string, number>();
        const unique: CardScan[] = [];
        const slot = scans.map((s) => {
          const key = `${s.eventId}:${s.memberId}`;
          let k = firstOf.get(key);
          if (k === undefined) firstOf.set(key, (k = unique.push(s) - 1));
          return k;
        });
        const results = await insertScannedCheckins(db, unique);
        return scans.map((s, i) => {
          const r = results[slot[i]];
          if (unique[slot[i]] === s || !r.insertedAt) return r;
          return { member: r.member, existing: { at: r.insertedAt, scanId: unique[slot[i]].scanId } };
        });
      },
      { isolate: isRowDataError },
    ),
);

/** A scanner's idempotency key (the mini-app sends a UUID): a plain token, nothing else. */
export const scanIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'scanId: 1–100 letters, digits, ".", "_", ":" or "-"');

export interface ScanOutcome {
  status: 'checked_in' | 'already_checked_in';
  at: Date;
  member: { memberCode: string; fullName: string };
}

/**
 * An officer scans a member's card QR at the event: verify the QR, then read the member and record the
 * check-in in one statement (the same rules as checkIn). `scanId` makes a re-sent scan idempotent.
 */
export async function checkInScannedCard(
  db: Db,
  keys: QrKeys,
  p: { event: Event; memberQr: string; byOfficerId: number; now: Date; scanId: string | null },
): Promise<ScanOutcome> {
  const v = verifyMemberQr(keys, p.memberQr, p.now);
  if (!v.ok) throw qrError(v.error === 'expired' ? 'MEMBER_QR_EXPIRED' : 'MEMBER_QR_INVALID', v.error);
  assertEventOpen(p.event, p.now);
  const scope = await getSubtreeIdsCached(db, p.event.branchId);
  const r = await scanWriter(db).submit({ eventId: p.event.id, memberId: v.payload.m, scopeBranchIds: scope, byOfficerId: p.byOfficerId, at: p.now, scanId: p.scanId });
  if (!r.member) throw new AppError('MEMBER_QR_INVALID', 400, QR_REASON.malformed);
  const member = { memberCode: r.member.memberCode, fullName: r.member.fullName };
  if (r.insertedAt) return { status: 'checked_in', at: r.insertedAt, member };
  assertMemberMayCheckIn(scope, r.member);
  // Allowed but not inserted: checked in before — by a scan this statement could not see yet when another
  // officer's scan of the same member committed while it waited on the row (then read it again).
  const existing = r.existing ?? (await getCheckin(db, p.event.id, r.member.id));
  if (!existing) throw new Error(`check-in of member ${r.member.id} at event ${p.event.id} neither inserted nor found`);
  // The same scan re-sent (offline queue, lost answer) gets the answer it would have had.
  const sameScan = !!p.scanId && existing.scanId === p.scanId;
  return { status: sameScan ? 'checked_in' : 'already_checked_in', at: existing.at, member };
}

