/**
 * JSON parsing that keeps Zalo ids exact. Zalo ids are 16–19 digit numbers; most arrive quoted, but
 * an unquoted one would lose digits in JSON.parse (> 2^53). Before parsing, bare integers of ≥ 16
 * digits that are the value of an id-like key (`id`, `*_id`, `*_ids`, `*_id_*`, or inside an array
 * under such a key) are wrapped in quotes. Everything else is left untouched.
 */

const LONG_INT_MIN_DIGITS = 16;
const ID_KEY = /(^|_)ids?($|_)/;
/**
 * Cheap pre-check: a bare JSON number always follows `:`, `[` or `,` (and maybe whitespace). Bodies
 * whose long digit runs are all inside strings (Zalo's usual quoted ids) skip the scan; a string that
 * merely looks like one only costs the scan, which then finds nothing to quote.
 */
const MAY_HAVE_BARE_LONG_INT = /[:[,]\s*-?\d{16}/;

/** True for keys whose values are Zalo ids (app_id, user_id_by_app, msg_ids, id, …). */
export function isIdLikeKey(key: string): boolean {
  return ID_KEY.test(key);
}

type Frame = { type: 'object'; key: string | null; expectKey: boolean } | { type: 'array'; key: string | null };

/** Rewrites the raw JSON text so long integer ids become strings. Invalid JSON passes through as is. */
export function quoteLongIds(raw: string): string {
  if (!MAY_HAVE_BARE_LONG_INT.test(raw)) return raw;
  const stack: Frame[] = [];
  let out = '';
  let last = 0;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const ch = raw[i];
    if (ch === '"') {
      // Scan the whole string literal.
      let j = i + 1;
      while (j < n && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && top.type === 'object' && top.expectKey) {
        try {
          top.key = JSON.parse(raw.slice(i, j + 1)) as string;
        } catch {
          top.key = null;
        }
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (ch === '{') {
      stack.push({ type: 'object', key: null, expectKey: true });
    } else if (ch === '[') {
      const top = stack[stack.length - 1];
      stack.push({ type: 'array', key: top ? top.key : null });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top && top.type === 'object') top.expectKey = true;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < n && /[0-9eE.+-]/.test(raw[j])) j++;
      const token = raw.slice(i, j);
      const top = stack[stack.length - 1];
      if (
        top &&
        top.key !== null &&
        isIdLikeKey(top.key) &&
        /^-?\d+$/.test(token) &&
        token.replace('-', '').length >= LONG_INT_MIN_DIGITS
      ) {
        out += raw.slice(last, i) + '"' + token + '"';
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return last === 0 ? raw : out + raw.slice(last);
}

/**
 * JSON.parse for Zalo webhook bodies and API answers, keeping long ids exact (as strings).
 * Throws SyntaxError on invalid JSON, like JSON.parse.
 */
export function parseWebhookJson(raw: string): unknown {
  return JSON.parse(quoteLongIds(raw));
}

/** Same as parseWebhookJson; the name used for API responses. */
export const parseZaloJson = parseWebhookJson;
