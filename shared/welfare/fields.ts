/**
 * Welfare form fields described as data (`WelfareField[]`) and the zod schemas built from that
 * description: one function validates answers from chat, the mini-app and any API.
 */
import { z } from 'zod';
import type { WelfareField } from '../db/schema';
import { foldVietnamese } from '../text';

/** How an officer describes a field when creating a program. */
export const welfareFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'key: lowercase letters, digits, _ (max 40)'),
    label: z.string().trim().min(1).max(200),
    type: z.enum(['text', 'number', 'choice', 'date']),
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(80)).min(2).max(10).optional(),
  })
  .refine((f) => f.type !== 'choice' || (f.options && new Set(f.options).size === f.options.length), {
    message: 'choice fields need 2–10 distinct options',
    path: ['options'],
  });

export const welfareFieldsSchema = z
  .array(welfareFieldSchema)
  .max(20)
  .refine((fs) => new Set(fs.map((f) => f.key)).size === fs.length, { message: 'field keys must be unique' });

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** "dd/mm/yyyy", "d-m-yyyy" or ISO "yyyy-mm-dd" → ISO date string, or null when not a real date. */
export function parseAnswerDate(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  let hit = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (hit) [y, m, d] = [Number(hit[1]), Number(hit[2]), Number(hit[3])];
  else {
    hit = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!hit) return null;
    [d, m, y] = [Number(hit[1]), Number(hit[2]), Number(hit[3])];
  }
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/** Whether a typed answer names one of the options (by its text, without diacritics, or its number). */
export function isChoiceAnswer(options: string[], v: string): boolean {
  const m = matchChoice(options, v);
  return typeof m === 'string' && options.includes(m);
}

/**
 * A number as Vietnamese write it: "." groups thousands ("1.500.000", also "1 500 000"), "," marks
 * decimals ("1,5"); a lone "." with other than three digits after it is a decimal point ("2.5").
 */
export function parseVnNumber(input: string): number | null {
  const s = input.trim().replace(/(\d)\s+(?=\d{3}\b)/g, '$1');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) return Number(s.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d+([.,]\d+)?$/.test(s)) return Number(s.replace(',', '.'));
  return null;
}

/** Matches a typed or tapped choice: the option itself (any case/diacritics) or its 1-based number. */
function matchChoice(options: string[], v: unknown): unknown {
  if (typeof v !== 'string' && typeof v !== 'number') return v;
  const s = String(v).trim();
  if (/^\d+$/.test(s) && !options.includes(s)) {
    const i = Number(s) - 1;
    if (i >= 0 && i < options.length) return options[i];
  }
  const folded = foldVietnamese(s);
  return options.find((o) => foldVietnamese(o) === folded) ?? s;
}

/** Vietnamese hint shown with an invalid answer. */
export function fieldHint(field: WelfareField): string {
  switch (field.type) {
    case 'number':
      return 'Vui lòng nhập một số, ví dụ 3.';
    case 'date':
      return 'Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/01/2027.';
    case 'choice':
      return `Vui lòng chọn một trong: ${(field.options ?? []).join(' / ')}.`;
    default:
      return 'Vui lòng nhập nội dung (tối đa 500 ký tự).';
  }
}

/** The zod schema of one field's answer (accepts strings typed in chat as well as typed JSON). */
export function fieldAnswerSchema(field: WelfareField): z.ZodType<string | number | undefined> {
  const hint = fieldHint(field);
  let base: z.ZodType<string | number>;
  switch (field.type) {
    case 'number':
      base = z.preprocess(
        (v) => (typeof v === 'string' ? (parseVnNumber(v) ?? v) : v),
        z.number({ error: hint }).min(0, { error: hint }).max(1e9, { error: hint }),
      );
      break;
    case 'date':
      base = z.preprocess((v) => (typeof v === 'string' ? (parseAnswerDate(v) ?? v) : v), z.string({ error: hint }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: hint }));
      break;
    case 'choice': {
      const options = field.options ?? [];
      base = z.preprocess((v) => matchChoice(options, v), z.string({ error: hint }).refine((s) => options.includes(s), { error: hint }));
      break;
    }
    default:
      base = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ error: hint }).min(1, { error: hint }).max(500, { error: hint }));
  }
  if (field.required) {
    return z.preprocess((v, ctx) => {
      if (!blank(v)) return v;
      ctx.addIssue({ code: 'custom', message: `Bắt buộc: ${field.label}` });
      return z.NEVER;
    }, base);
  }
  return z.preprocess((v) => (blank(v) ? undefined : v), base.optional());
}

/** The zod schema of a whole answers object, keyed by the fields' keys; unknown keys are dropped. */
export function buildAnswersSchema(fields: WelfareField[]) {
  return z.object(Object.fromEntries(fields.map((f) => [f.key, fieldAnswerSchema(f)]))).transform((o) => {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v as string | number;
    return out;
  });
}

/** Display form of an answer (dates as dd/mm/yyyy). */
export function formatAnswer(field: WelfareField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (field.type === 'date' && typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  if (field.type === 'number' && typeof value === 'number') return value.toLocaleString('vi-VN');
  return String(value);
}
