/**
 * A value as one JSON text parameter for `jsonb` (batched statements pass a whole batch this way).
 * PostgreSQL's jsonb refuses two things JavaScript strings may hold: U+0000 and unpaired surrogates.
 * One such character would fail the whole batch — every other caller's row with it — so both become
 * U+FFFD, the replacement character, before the batch is sent.
 */
export function toJsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify writes both as escapes (\u0000, \udXXX): one scan of the text spares the usual batch
  // a replacer call per value. A literal backslash-u in a text only sends it the slow, exact way.
  return ESCAPED_SUSPECT.test(json) ? JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? safeForJsonb(v) : v)) : json;
}

const ESCAPED_SUSPECT = /\\u(0000|d[89a-f])/i;

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what jsonb refuses
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- as above
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function safeForJsonb(s: string): string {
  if (!SUSPECT.test(s)) return s;
  return s.replace(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}
