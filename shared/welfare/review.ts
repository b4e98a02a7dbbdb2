/**
 * Officer decisions on registrations: approve / reject (one or many), audit every decision, then
 * notify each member with a Zalo transaction message. A failed notice never undoes the decision; its
 * outcome is stored on the registration (notify_status / notify_error) and in the audit log.
 */
import type { Db } from '../db/client';
import { errorText, type Logger } from '../logger';
import type { ZaloClient } from '../zalo';
import { transactionMessage } from '../zalo';
import { vi } from '../i18n/vi';
import { writeAudit } from '../db/queries/audit';
import type { Officer } from '../db/queries/officers';
import { decideRegistrations, getRegistrationsForReview, registrationReference, setNotifyOutcome } from '../db/queries/welfare';
import { statusLabel } from './messages';

export interface DecisionResult {
  updated: number[];
  /** Ids not found in scope, cancelled, already in that state, or (approving a rejected one) its program is full. */
  skipped: number[];
  notified: { sent: number; failed: number; skipped: number };
}

export async function decideRegistrationsAndNotify(
  deps: { db: Db; zalo: ZaloClient; logger: Logger },
  input: { ids: number[]; action: 'approve' | 'reject'; note: string | null; officer: Officer; memberBranchIds: number[]; programId?: number; now: Date },
): Promise<DecisionResult> {
  const { db } = deps;
  const ids = [...new Set(input.ids)];
  const rows = await getRegistrationsForReview(db, ids, input.memberBranchIds, input.programId);
  const byId = new Map(rows.map((r) => [r.registration.id, r]));
  const status = input.action === 'approve' ? 'approved' : 'rejected';
  const changed = await decideRegistrations(db, [...byId.keys()], { status, officerId: input.officer.id, note: input.note, at: input.now });
  const changedIds = new Set(changed.map((c) => c.id));
  for (const c of changed) {
    await writeAudit(db, {
      officerId: input.officer.id,
      actor: `officer:${input.officer.id}`,
      action: `welfare.${input.action}`,
      target: `welfare_registration:${c.id}`,
      details: { programId: c.programId, note: input.note },
    });
  }
  const notified = { sent: 0, failed: 0, skipped: 0 };
  for (const c of changed) {
    const { member, program } = byId.get(c.id)!;
    if (!member.zaloUserId) {
      await setNotifyOutcome(db, c.id, 'skipped', null);
      notified.skipped++;
      continue;
    }
    const n = vi.welfare.notice;
    const lines: (string | { key: string; value: string })[] = [
      status === 'approved' ? n.approvedText(program.title) : n.rejectedText(program.title),
      { key: n.program, value: program.title.slice(0, 100) },
      { key: n.reference, value: registrationReference(program.code, c.id) },
      { key: n.status, value: statusLabel(status) },
    ];
    if (input.note) lines.push({ key: n.note, value: input.note.slice(0, 100) });
    try {
      await deps.zalo.sendMessage('transaction', member.zaloUserId, transactionMessage({ title: status === 'approved' ? n.approvedTitle : n.rejectedTitle, lines }));
      await setNotifyOutcome(db, c.id, 'sent', null);
      notified.sent++;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const error = `${code ?? ''} ${errorText(err)}`.trim().slice(0, 500);
      deps.logger.warn({ registrationId: c.id, code }, 'welfare decision notice failed');
      await setNotifyOutcome(db, c.id, 'failed', error);
      await writeAudit(db, { officerId: input.officer.id, actor: 'system', action: 'welfare.notify_failed', target: `welfare_registration:${c.id}`, details: { error } });
      notified.failed++;
    }
  }
  return { updated: [...changedIds], skipped: ids.filter((id) => !changedIds.has(id)), notified };
}
