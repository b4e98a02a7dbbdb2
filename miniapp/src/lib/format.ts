// Date/time formatting in Vietnam time (dd/mm/yyyy, HH:mm) and parsing of typed dates of birth.

const TZ = 'Asia/Ho_Chi_Minh';

function makeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: TZ });
  } catch {
    return new Intl.DateTimeFormat('en-GB', options); // very old webview without time-zone data
  }
}

const dateFmt = makeFormat({ day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFmt = makeFormat({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** dd/mm/yyyy. A bare YYYY-MM-DD (a calendar date, no time) is shown as is, without time-zone shifts. */
export function formatDate(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') {
    const m = DATE_ONLY.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = toDate(value);
  return d ? dateFmt.format(d) : String(value);
}

/** HH:mm in Vietnam time. */
export function formatTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const d = toDate(value);
  return d ? timeFmt.format(d) : '';
}

/** HH:mm dd/mm/yyyy */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  const t = formatTime(value);
  const d = formatDate(value);
  return t && d ? `${t} ${d}` : d;
}

/** m:ss for a countdown (never negative). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * Parses a typed date of birth into YYYY-MM-DD. Accepts dd/mm/yyyy (also with '-' or '.', one-digit
 * day/month), ddmmyyyy and yyyy-mm-dd. Returns null for impossible or future dates.
 */
export function parseDateOfBirth(input: string, now: Date = new Date()): string | null {
  const s = input.trim();
  let d: number, m: number, y: number;
  let match = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(s);
  if (match) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{2})(\d{2})(\d{4})$/.exec(s))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return null;
  }
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const today = now.toISOString().slice(0, 10);
  if (iso > today) return null;
  return iso;
}

/**
 * Inserts the slashes of dd/mm/yyyy while the user types digits (only when the text grew,
 * so backspace over a slash still works).
 */
export function autoSlashDate(next: string, prev: string): string {
  if (next.length <= prev.length) return next;
  if (/^\d{2}$/.test(next) || /^\d{1,2}\/\d{2}$/.test(next)) return `${next}/`;
  return next;
}

/** Two letters for the avatar: first letter of the family name and of the given name ("Nguyễn Văn An" → "NA"). */
export function initials(fullName: string): string {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0].charAt(0);
  const last = words.length > 1 ? words[words.length - 1].charAt(0) : '';
  return (first + last).toLocaleUpperCase('vi');
}
