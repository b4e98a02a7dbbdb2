/**
 * A value as one JSON text parameter for `jsonb` (batched statements pass a whole batch this way).
 * PostgreSQL's jsonb refuses two things JavaScript strings may hold: U+0000 and unpaired surrogates.
 * One such character would fail the whole batch — every other caller's row with it — so both become
 * U+FFFD, the replacement character, before the batch is sent.
 */
export function toJsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? safeForJsonb(v) : v));
}

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what jsonb refuses
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- as above
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function safeForJsonb(s: string): string {
  if (!SUSPECT.test(s)) return s;
  return s.replace(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}
