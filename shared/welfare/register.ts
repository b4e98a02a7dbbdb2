/**
 * The one registration path for chat and mini-app: open/closed, eligibility, answers (zod built from
 * the program's fields), uniqueness (database constraint + ON CONFLICT) and capacity (the program row
 * is locked FOR UPDATE, so concurrent registrations for the last places are serialized).
 */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client';
import type { Member } from '../db/queries/members';
import { welfarePrograms } from '../db/schema';
import { getAncestorIds } from '../db/queries/announcements';
import {
  countHoldingRegistrations,
  getActiveRegistration,
  getProgram,
  insertRegistration,
  registrationReference,
  type WelfareProgram,
  type WelfareRegistration,
} from '../db/queries/welfare';
import { buildAnswersSchema } from './fields';

export type IneligibleReason = 'inactive' | 'joined_after' | 'branch';

export type RegisterOutcome =
  | { ok: true; registration: WelfareRegistration; reference: string; program: WelfareProgram }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_open_yet' | 'closed' | 'full'; program: WelfareProgram }
  | { ok: false; reason: 'not_eligible'; program: WelfareProgram; why: IneligibleReason }
  | { ok: false; reason: 'invalid'; program: WelfareProgram; issues: z.core.$ZodIssue[] }
  | { ok: false; reason: 'already'; program: WelfareProgram; registration: WelfareRegistration; reference: string };

export type OpenState = 'open' | 'not_open_yet' | 'closed';

export function programOpenState(p: WelfareProgram, now: Date): OpenState {
  if (!p.active || p.closesAt <= now) return 'closed';
  if (p.opensAt > now) return 'not_open_yet';
  return 'open';
}

/** Machine-checked rules: member active, joined before a date, branch in the program's subtree. */
export async function checkEligibility(db: Db, program: WelfareProgram, member: Member): Promise<IneligibleReason | null> {
  const ancestors = await getAncestorIds(db, member.branchId);
  if (!ancestors.includes(program.branchId)) return 'branch';
  const rules = program.rules ?? {};
  if ((rules.activeOnly ?? true) && member.status !== 'active') return 'inactive';
  if (rules.joinedBefore && (!member.joinedAt || member.joinedAt >= rules.joinedBefore)) return 'joined_after';
  return null;
}

export function validateAnswers(program: WelfareProgram, answers: unknown) {
  return buildAnswersSchema(program.fields ?? []).safeParse(answers ?? {});
}

/**
 * Everything that can be decided before the answers: lets the chat refuse before asking questions.
 * `registerForProgram` repeats these checks (and capacity under the row lock) when saving.
 */
export async function precheckRegistration(
  db: Db,
  input: { programId: number; member: Member; now: Date },
): Promise<{ ok: true; program: WelfareProgram } | Exclude<RegisterOutcome, { ok: true } | { reason: 'invalid' }>> {
  const program = await getProgram(db, input.programId);
  if (!program) return { ok: false, reason: 'not_found' };
  const why = await checkEligibility(db, program, input.member);
  if (why === 'branch') return { ok: false, reason: 'not_found' };
  const open = programOpenState(program, input.now);
  if (open !== 'open') return { ok: false, reason: open, program };
  const existing = await getActiveRegistration(db, program.id, input.member.id);
  if (existing) return { ok: false, reason: 'already', program, registration: existing, reference: registrationReference(program.code, existing.id) };
  if (why) return { ok: false, reason: 'not_eligible', program, why };
  if (program.capacity != null && (await countHoldingRegistrations(db, program.id)) >= program.capacity) return { ok: false, reason: 'full', program };
  return { ok: true, program };
}

export async function registerForProgram(
  db: Db,
  input: { programId: number; member: Member; answers: unknown; channel: 'chat' | 'miniapp' | 'officer'; now: Date },
): Promise<RegisterOutcome> {
  const pre = await precheckRegistration(db, input);
  if (!pre.ok) return pre;
  const program = pre.program;
  const parsed = validateAnswers(program, input.answers);
  if (!parsed.success) return { ok: false, reason: 'invalid', program, issues: parsed.error.issues };

  return db.transaction(async (tx): Promise<RegisterOutcome> => {
    const [locked] = await tx.select().from(welfarePrograms).where(eq(welfarePrograms.id, program.id)).for('update');
    const state = programOpenState(locked, input.now);
    if (state !== 'open') return { ok: false, reason: state, program: locked };
    const dup = await getActiveRegistration(tx, locked.id, input.member.id);
    if (dup) return { ok: false, reason: 'already', program: locked, registration: dup, reference: registrationReference(locked.code, dup.id) };
    if (locked.capacity != null && (await countHoldingRegistrations(tx, locked.id)) >= locked.capacity) return { ok: false, reason: 'full', program: locked };
    const row = await insertRegistration(tx, { programId: locked.id, memberId: input.member.id, answers: parsed.data, channel: input.channel });
    if (!row) {
      // Lost a race on the unique index (another path inserted between our check and insert).
      const other = (await getActiveRegistration(tx, locked.id, input.member.id))!;
      return { ok: false, reason: 'already', program: locked, registration: other, reference: registrationReference(locked.code, other.id) };
    }
    return { ok: true, registration: row, reference: registrationReference(locked.code, row.id), program: locked };
  });
}
