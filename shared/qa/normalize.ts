/**
 * Vietnamese text normalizer for Q&A matching: fold diacritics, strip punctuation, expand
 * abbreviations and slang, drop question words, and emit syllables + syllable bigrams
 * ("hop dong" → "hop", "dong", "hop_dong"), since Vietnamese words are multi-syllable.
 */
import { foldVietnamese } from '../text';
import {
  CONTEXT_KEEP,
  PHRASE_REWRITES,
  PLACE_MARKER,
  PLACE_NAMES,
  STOP_PHRASES,
  STOPWORDS,
  TOKEN_ABBREVIATIONS,
  type PhraseRewrite,
} from './abbreviations';

export const BIGRAM_JOINER = '_';

const ABBREVIATIONS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(TOKEN_ABBREVIATIONS).map(([k, v]) => [k, v.split(' ')] as const),
);

interface CompiledRewrite {
  from: readonly string[];
  to: readonly string[];
  rule: PhraseRewrite;
}

/** Rewrites indexed by their first syllable, longest first. */
const REWRITES_BY_FIRST: ReadonlyMap<string, readonly CompiledRewrite[]> = (() => {
  const map = new Map<string, CompiledRewrite[]>();
  const rules: PhraseRewrite[] = [...PHRASE_REWRITES, ...PLACE_NAMES.map((from) => ({ from, to: PLACE_MARKER }))];
  for (const rule of rules) {
    const from = rule.from.split(' ');
    const list = map.get(from[0]) ?? [];
    list.push({ from, to: rule.to.split(' '), rule });
    map.set(from[0], list);
  }
  for (const list of map.values()) list.sort((a, b) => b.from.length - a.from.length);
  return map;
})();

function applyRewrites(words: string[]): string[] {
  const out: string[] = [];
  let changed = false;
  let i = 0;
  while (i < words.length) {
    const candidates = REWRITES_BY_FIRST.get(words[i]);
    let applied = false;
    if (candidates) {
      for (const c of candidates) {
        if (i + c.from.length > words.length) continue;
        let ok = true;
        for (let j = 1; j < c.from.length; j++) {
          if (words[i + j] !== c.from[j]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const next = words[i + c.from.length];
        const prev = i > 0 ? words[i - 1] : undefined;
        if (next !== undefined && c.rule.notFollowedBy?.includes(next)) continue;
        if (prev !== undefined && c.rule.notPrecededBy?.includes(prev)) continue;
        const { precededBy, followedBy } = c.rule;
        if (precededBy || followedBy) {
          const byPrev = precededBy !== undefined && prev !== undefined && precededBy.includes(prev);
          const byNext = followedBy !== undefined && next !== undefined && followedBy.includes(next);
          if (!byPrev && !byNext) continue;
        }
        out.push(...c.to);
        i += c.from.length;
        applied = true;
        changed = true;
        break;
      }
    }
    if (!applied) {
      out.push(words[i]);
      i++;
    }
  }
  return changed ? out : words;
}

/** Stop phrases indexed by their first syllable, longest first. */
const STOP_PHRASES_BY_FIRST: ReadonlyMap<string, ReadonlyArray<readonly string[]>> = (() => {
  const map = new Map<string, string[][]>();
  for (const p of STOP_PHRASES) {
    const words = p.split(' ');
    const list = map.get(words[0]) ?? [];
    list.push(words);
    map.set(words[0], list);
  }
  for (const list of map.values()) list.sort((a, b) => b.length - a.length);
  return map;
})();

/** Fold, strip punctuation and expand abbreviations/slang. Returns space-separated folded syllables. */
export function normalizeText(input: string): string {
  return syllables(input).join(' ');
}

/** Normalized syllables of a text (stopwords still included): `normalizeText` split on spaces. */
export function syllables(input: string): string[] {
  let s = foldVietnamese(input);
  s = s
    .replace(/(\d)[.,](?=\d{3}(?!\d))/g, '$1') // thousands separators: 5.310.000 → 5310000
    .replace(/(\d+)k(?![a-z])/g, '$1 nghin') // 500k → 500 nghin
    .replace(/%/g, ' phan tram ')
    .replace(/([a-z])(\d)/g, '$1 $2') // vung1 → vung 1, bhxh1lan → bhxh 1lan
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/(?<![0-9])0+(?=[0-9])/g, '') // 06 → 6, 01 7 2026 → 1 7 2026
    .trim();
  if (!s) return [];
  const words: string[] = [];
  for (const t of s.split(' ')) {
    const expanded = ABBREVIATIONS.get(t);
    if (expanded) words.push(...expanded);
    else words.push(t);
  }
  // Repeat while something changed (a rewrite may enable another: "được nhận thất nghiệp" → "được hưởng
  // thất nghiệp" → "được hưởng trợ cấp thất nghiệp").
  let current = words;
  for (let pass = 0; pass < 3; pass++) {
    const next = applyRewrites(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** For each syllable, whether it carries content (false for stopwords and question phrases). */
export function contentMask(sylls: readonly string[]): boolean[] {
  const mask = sylls.map(() => true);
  for (let i = 0; i < sylls.length; i++) {
    const phrases = STOP_PHRASES_BY_FIRST.get(sylls[i]);
    if (!phrases || !mask[i]) continue;
    for (const phrase of phrases) {
      if (i + phrase.length > sylls.length) continue;
      let ok = true;
      for (let j = 1; j < phrase.length; j++) {
        if (sylls[i + j] !== phrase[j]) {
          ok = false;
          break;
        }
      }
      if (ok) {
        for (let j = 0; j < phrase.length; j++) mask[i + j] = false;
        break;
      }
    }
  }
  for (let i = 0; i < sylls.length; i++) {
    const s = sylls[i];
    if (!mask[i] || !STOPWORDS.has(s)) continue;
    const keep = CONTEXT_KEEP[s];
    if (keep && (keep[0].includes(sylls[i - 1] ?? '') || keep[1].includes(sylls[i + 1] ?? ''))) continue;
    mask[i] = false;
  }
  return mask;
}

/** Search tokens from syllables: content syllables plus bigrams of adjacent content syllables. */
/** Prefix of question-type marker tokens ("bao nhiêu" → `qtamount`, "ở đâu" → `qtwhere`, …). */
export const MARKER_PREFIX = 'qt';

const DURATION_UNITS = new Set(['ngay', 'thang', 'nam', 'gio', 'tieng', 'tuan', 'phut', 'lau']);
const MARKER_PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['khi nao', 'when'],
  ['bao gio', 'when'],
  ['luc nao', 'when'],
  ['ngay nao', 'when'],
  ['thoi diem nao', 'when'],
  ['o dau', 'where'],
  ['cho nao', 'where'],
  ['noi nao', 'where'],
  ['co quan nao', 'where'],
  ['nhu the nao', 'how'],
  ['the nao', 'how'],
  ['ra sao', 'how'],
  ['lam sao', 'how'],
  ['tinh sao', 'how'],
  ['cach nao', 'how'],
  ['la gi', 'what'],
  ['nhung gi', 'what'],
  ['phan tram', 'percent'],
  ['bao lau', 'duration'],
];
const MARKER_PHRASES_BY_FIRST: ReadonlyMap<string, ReadonlyArray<readonly [readonly string[], string]>> = (() => {
  const map = new Map<string, Array<readonly [readonly string[], string]>>();
  for (const [p, m] of MARKER_PHRASES) {
    const words = p.split(' ');
    const list = map.get(words[0]) ?? [];
    list.push([words, m]);
    map.set(words[0], list);
  }
  return map;
})();

/** Question-type markers: weak hints that separate "how much" from "how long", "where", "how"… */
export function questionMarkers(sylls: readonly string[]): string[] {
  const found = new Set<string>();
  for (let i = 0; i < sylls.length; i++) {
    const w = sylls[i];
    if ((w === 'bao' && sylls[i + 1] === 'nhieu') || w === 'may') {
      const unit = sylls[i + (w === 'bao' ? 2 : 1)];
      if (unit !== undefined && DURATION_UNITS.has(unit)) found.add('duration');
      else if (w === 'may' && unit !== undefined && unit !== 'phan' && unit !== 'tien') found.add('count');
      else if (w === 'bao') found.add('amount');
    } else if (w === 'ai' && i > 0) {
      found.add('who');
    }
    for (const [words, marker] of MARKER_PHRASES_BY_FIRST.get(w) ?? []) {
      if (words.every((x, j) => sylls[i + j] === x)) found.add(marker);
    }
  }
  if (sylls.length > 0 && (sylls[sylls.length - 1] === 'khong' || sylls[sylls.length - 1] === 'chua')) found.add('yesno');
  return [...found].map((m) => MARKER_PREFIX + m);
}

/** Stopwords and question-phrase syllables: never "corrected" as typos. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  ...STOPWORDS,
  ...STOP_PHRASES.flatMap((p) => p.split(' ')),
  ...MARKER_PHRASES.flatMap(([p]) => p.split(' ')),
  PLACE_MARKER,
]);

export function isMarker(token: string): boolean {
  return token.startsWith(MARKER_PREFIX) && MARKER_TOKENS.has(token);
}

const MARKER_TOKENS = new Set(
  ['when', 'where', 'how', 'what', 'percent', 'duration', 'amount', 'count', 'who', 'yesno', 'place'].map(
    (m) => MARKER_PREFIX + m,
  ),
);

export interface TokenizeOptions {
  /** Emit question-type markers (default true; off for answer text, where they are noise). */
  markers?: boolean;
  /** Emit syllable bigrams (default true). */
  bigrams?: boolean;
}

export function tokensFromSyllables(sylls: readonly string[], opts: TokenizeOptions = {}): string[] {
  const mask = contentMask(sylls);
  const out: string[] = opts.markers === false ? [] : questionMarkers(sylls);
  for (let i = 0; i < sylls.length; i++) {
    if (sylls[i] === PLACE_MARKER) {
      mask[i] = false;
      if (!out.includes(PLACE_MARKER)) out.push(PLACE_MARKER);
    }
  }
  for (let i = 0; i < sylls.length; i++) {
    if (!mask[i]) continue;
    out.push(sylls[i]);
    if (opts.bigrams !== false && i + 1 < sylls.length && mask[i + 1]) out.push(sylls[i] + BIGRAM_JOINER + sylls[i + 1]);
  }
  return out;
}

/** Full pipeline: text → search tokens (syllables and bigrams). This is the MiniSearch tokenizer. */
export function tokenize(input: string, opts: TokenizeOptions = {}): string[] {
  return tokensFromSyllables(syllables(input), opts);
}

export function isBigram(token: string): boolean {
  return token.includes(BIGRAM_JOINER);
}
