/** Vietnamese wording of registration outcomes, shared by the chat flow and the mini-app API. */
import { vi } from '../i18n/vi';
import type { RegisterOutcome } from './register';

export function formatVnDate(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  return date.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function formatVnDateTime(d: Date): string {
  return d.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function statusLabel(status: string): string {
  return vi.welfare.statusLabel[status] ?? status;
}

/** Message for a refused registration (everything except ok / invalid answers). */
export function refusalMessage(o: Exclude<RegisterOutcome, { ok: true }>): string {
  switch (o.reason) {
    case 'not_found':
      return vi.welfare.notFound;
    case 'closed':
      return vi.welfare.closed(o.program.title);
    case 'not_open_yet':
      return vi.welfare.notOpenYet(o.program.title, formatVnDateTime(o.program.opensAt));
    case 'full':
      return vi.welfare.full(o.program.title);
    case 'already':
      return vi.welfare.already(o.program.title, o.reference, statusLabel(o.registration.status));
    case 'not_eligible':
      if (o.why === 'joined_after') return vi.welfare.notEligible.joined_after(o.program.title, formatVnDate(o.program.rules.joinedBefore ?? ''));
      return vi.welfare.notEligible[o.why](o.program.title);
    case 'invalid':
      return `${vi.welfare.invalidAnswers}: ${o.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  }
}
