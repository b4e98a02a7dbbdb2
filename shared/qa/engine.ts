/**
 * Q&A engine: hand-off / small talk / off-topic checks, then retrieval of knowledge-base entries with
 * MiniSearch (BM25, fuzzy and prefix for unknown words, field boosts) over the normalizer's tokens
 * (syllables + bigrams + question-type markers). Two indexes are fused: one document per entry (all
 * fields) and one per phrasing (question, each variant), so the closest way of asking also counts.
 * Unknown syllables are first corrected against the KB vocabulary (`spell.ts`). The answer/unsure
 * decision uses coverage (IDF share of the question explained by the entry), the top1/top2 score
 * ratio and how specific the question is (`QA_THRESHOLDS`). Pure and synchronous; the DB/bot layers
 * feed it `KbEntry` rows and call `rebuild` when officers edit the KB.
 */
import MiniSearch from 'minisearch';
import { foldVietnamese } from '../text';
import type { KbEntry } from './kb-schema';
import { BIGRAM_JOINER, FUNCTION_WORDS, isBigram, isMarker, syllables, tokenize, tokensFromSyllables } from './normalize';
import { createSpeller, type Speller } from './spell';
import { detectSmalltalk, isHandoffRequest, isOffTopic, looksPersonalCase, type SmalltalkKind } from './intents';
import { QA_TEXT } from './strings';

export type { KbEntry } from './kb-schema';

/** Confidence thresholds (see `analyze`). Coverage = IDF-weighted share of the question's tokens found in the entry. */
export const QA_THRESHOLDS = Object.freeze({
  /** At or above this coverage the best entry is answered whatever the runner-up scores. */
  STRONG_COVERAGE: 0.8,
  /** Minimum coverage to answer at all. */
  MIN_COVERAGE: 0.5,
  /** Between MIN and STRONG coverage, top1/top2 score ratio needed to answer. */
  MIN_RATIO: 1.1,
  /**
   * Long, narrative questions ("công ty em 2 tháng nay chưa trả lương, giám đốc cứ hẹn…") have low coverage;
   * they are answered when the best entry explains much specific vocabulary and clearly beats the runner-up.
   */
  LONG_QUESTION_MASS: 5.5,
  LONG_QUESTION_COVERAGE: 0.25,
  LONG_QUESTION_RATIO: 1.4,
  /** Minimum raw MiniSearch score of the best entry (guards against one stray common token). */
  MIN_SCORE: 4,
  /** A question whose known syllables carry less IDF than this is vague ("lương", "bhxh")… */
  VAGUE_INFORMATION: 2,
  /** …or a single concept below this ("bảo hiểm xã hội", "thai sản")… */
  SINGLE_CONCEPT_INFORMATION: 4,
  /** …and is answered only when the best entry clearly beats the runner-up. */
  VAGUE_MIN_RATIO: 1.15,
  /** Related entries must score at least this share of the best entry. */
  RELATED_MIN_SHARE: 0.25,
});

/** Field boosts: the ways a question is asked weigh more than the answer text. */
export const QA_FIELD_BOOST = Object.freeze({ question: 3, variants: 2.2, keywords: 2, topic: 1, answer: 0.7 });

const BIGRAM_TERM_BOOST = 1.5;
const PHRASING_WEIGHT = 4;
const COMMON_SYLLABLE_SHARE = 0.25;
const MARKER_TERM_BOOST = 0.5;
const FUZZY_WEIGHT = 0.6;
const PREFIX_WEIGHT = 0.3;
const FUZZY_CREDIT = 0.7; // coverage credit for a fuzzy/prefix match
const SHORT_FUZZY_CREDIT = 0.3; // short syllables (≤ 4 letters) are one edit away from many real words
const OOV_BIGRAM_WEIGHT = 0.15; // an unseen combination of two known syllables says little
const OOV_UNIGRAM_WEIGHT = 0.75; // an unknown word (place name, typo) counts against a match
const BIGRAM_COVERAGE_WEIGHT = 0.5;
const TITLE_MAX = 80;

export const HANDOFF_PAYLOAD = 'Gặp cán bộ';

export interface QaButton {
  title: string;
  payload: string;
}

export interface QaHit {
  entry: KbEntry;
  score: number;
}

export type QaAnswer =
  | {
      kind: 'answer';
      entry: KbEntry;
      score: number;
      /** IDF-weighted share of the question's tokens matched by the entry (0..1). */
      confidence: number;
      text: string;
      related: QaButton[];
      personalCase?: boolean;
    }
  | {
      kind: 'unsure';
      text: string;
      suggestions: QaButton[];
      score: number;
      confidence: number;
      bestEntry?: KbEntry;
    }
  | { kind: 'smalltalk'; intent: SmalltalkKind; text: string }
  /** The user asked for a human officer ("Gặp cán bộ"): the bot should open a hand-off ticket. */
  | { kind: 'handoff'; text: string; suggestions: QaButton[] }
  | { kind: 'offtopic'; text: string; suggestions: QaButton[] };

export interface QaEngineOptions {
  /** Max related-question buttons on an answer (default 3). */
  relatedLimit?: number;
  /** Max suggestion buttons on an unsure/off-topic reply, besides "Gặp cán bộ" (default 3). */
  suggestionLimit?: number;
  /** Entries offered when nothing matches (popular questions), by slug; missing slugs are skipped. */
  starterSlugs?: readonly string[];
}

export const DEFAULT_STARTER_SLUGS: readonly string[] = [
  'luong-toi-thieu-vung-2026',
  'nghi-phep-nam',
  'rut-bhxh-mot-lan',
  'quyen-loi-doan-vien',
];

export interface QaEngine {
  search(text: string, limit?: number): QaHit[];
  /** Why the engine would answer what it answers (tokens, scores, thresholds); for debugging and tuning. */
  explain(text: string): {
    tokens: string[];
    hits: QaHit[];
    confidence: number;
    ratio: number;
    information: number;
    matchedMass: number;
    confident: boolean;
  };
  answer(text: string): QaAnswer;
  rebuild(entries: readonly KbEntry[]): void;
  readonly size: number;
}

interface IndexDoc {
  id: number;
  question: string;
  variants: string;
  keywords: string;
  topic: string;
  answer: string;
}

interface PhrasingDoc {
  id: number;
  entryId: number;
  text: string;
}

/** One ranked entry: fused score and the query terms it matched (exactly or fuzzily). */
interface Ranked {
  id: number;
  score: number;
  queryTerms: string[];
}

interface Index {
  /** One document per entry: question, variants, keywords, topic, answer (field-boosted BM25). */
  mini: MiniSearch<IndexDoc>;
  /** One document per phrasing (the question and each variant): rewards the closest single phrasing. */
  phrasings: MiniSearch<PhrasingDoc>;
  phrasingEntry: Map<number, number>;
  entries: Map<number, KbEntry>;
  /** Tokens of each entry (all fields), for coverage. */
  docTokens: Map<number, Set<string>>;
  /** Document frequency of every indexed token. */
  df: Map<string, number>;
  speller: Speller;
  n: number;
}

/** Fields whose text is a way of asking: they carry question-type markers ("bao nhiêu", "ở đâu"). */
const ASKING_FIELDS = new Set(['question', 'variants', 'text']);

function toDoc(e: KbEntry): IndexDoc {
  return {
    id: e.id,
    question: e.question,
    variants: e.variants.join('\n'),
    keywords: e.keywords.join('\n'),
    topic: e.topic,
    answer: e.answer,
  };
}

const INDEX_FIELDS = ['question', 'variants', 'keywords', 'topic', 'answer'] as const;

function buildIndex(entries: readonly KbEntry[]): Index {
  // Tokenize every field once; MiniSearch's tokenizer then reads from this cache.
  const withMarkers = new Map<string, string[]>();
  const withoutMarkers = new Map<string, string[]>();
  const tokensOf = (text: string, field?: string): string[] => {
    const markers = field === undefined || ASKING_FIELDS.has(field);
    const cache = markers ? withMarkers : withoutMarkers;
    const line = (l: string): string[] => {
      let t = cache.get(l);
      if (!t) {
        t = tokenize(l, { markers });
        cache.set(l, t);
      }
      return t;
    };
    // Lines are tokenized separately so bigrams never span two variants; each line once per build.
    return text.includes('\n') ? text.split('\n').flatMap(line) : line(text);
  };
  const mini = new MiniSearch<IndexDoc>({
    idField: 'id',
    fields: [...INDEX_FIELDS],
    storeFields: [],
    tokenize: tokensOf,
    processTerm: (t) => t,
  });
  const docs = entries.map(toDoc);
  const docTokens = new Map<number, Set<string>>();
  const df = new Map<string, number>();
  for (const d of docs) {
    const set = new Set<string>();
    for (const f of INDEX_FIELDS) for (const t of tokensOf(d[f], f)) set.add(t);
    docTokens.set(d.id, set);
    for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
  }
  mini.addAll(docs);
  const phrasings = new MiniSearch<PhrasingDoc>({
    idField: 'id',
    fields: ['text'],
    storeFields: [],
    tokenize: tokensOf,
    processTerm: (t) => t,
  });
  const phrasingDocs: PhrasingDoc[] = [];
  const phrasingEntry = new Map<number, number>();
  for (const e of entries) {
    for (const text of [e.question, ...e.variants]) {
      const id = phrasingDocs.length + 1;
      phrasingDocs.push({ id, entryId: e.id, text });
      phrasingEntry.set(id, e.id);
    }
  }
  phrasings.addAll(phrasingDocs);
  const unigrams = new Map<string, number>();
  const bigrams = new Set<string>();
  for (const [t, n] of df) {
    if (isMarker(t)) continue;
    if (isBigram(t)) bigrams.add(t);
    else unigrams.set(t, n);
  }
  return {
    speller: createSpeller(unigrams, bigrams, BIGRAM_JOINER, FUNCTION_WORDS),
    mini,
    phrasings,
    phrasingEntry,
    entries: new Map(entries.map((e) => [e.id, e])),
    docTokens,
    df,
    n: entries.length,
  };
}

function idf(ix: Index, df: number): number {
  return Math.log(1 + (ix.n - df + 0.5) / (df + 0.5));
}

/** Splits glued syllables ("hopdong" → "hop dong") when both halves are known and form a known bigram. */
function splitGlued(ix: Index, syl: string, depth = 0): string[] | null {
  if (depth > 3 || syl.length < 4 || !/^[a-z]+$/.test(syl)) return null;
  let best: string[] | null = null;
  let bestRank = -1;
  for (let i = 2; i <= syl.length - 1; i++) {
    const a = syl.slice(0, i);
    const b = syl.slice(i);
    if (!ix.df.has(a)) continue;
    const tail = ix.df.has(b) ? [b] : splitGlued(ix, b, depth + 1);
    if (!tail) continue;
    const rank = (ix.df.has(a + BIGRAM_JOINER + tail[0]) ? 10 : 0) + Math.min(a.length, tail[0].length);
    if (rank > bestRank) {
      bestRank = rank;
      best = [a, ...tail];
    }
  }
  return best;
}

function queryTokens(ix: Index, text: string): string[] {
  const sylls: string[] = [];
  for (const s of ix.speller.correct(syllables(text))) {
    if (ix.df.has(s) || FUNCTION_WORDS.has(s)) {
      sylls.push(s);
      continue;
    }
    const parts = splitGlued(ix, s);
    if (parts) sylls.push(...parts);
    else sylls.push(s);
  }
  return [...new Set(tokensFromSyllables(sylls))];
}

function fuzzyFor(ix: Index) {
  return (term: string): number | false => {
    if (ix.df.has(term) || /^\d+$/.test(term) || isMarker(term)) return false;
    if (isBigram(term)) return term.length >= 11 ? 2 : term.length >= 6 ? 1 : false;
    return term.length >= 8 ? 2 : term.length >= 4 ? 1 : false;
  };
}

function prefixFor(ix: Index) {
  return (term: string): boolean =>
    !ix.df.has(term) && !isBigram(term) && !isMarker(term) && term.length >= 3 && !/^\d+$/.test(term);
}

function searchOptions(ix: Index) {
  return {
    tokenize: (q: string) => q.split(' '),
    processTerm: (t: string) => t,
    boostTerm: (t: string) => (isMarker(t) ? MARKER_TERM_BOOST : isBigram(t) ? BIGRAM_TERM_BOOST : 1),
    fuzzy: fuzzyFor(ix),
    prefix: prefixFor(ix),
    weights: { fuzzy: FUZZY_WEIGHT, prefix: PREFIX_WEIGHT },
    combineWith: 'OR' as const,
  };
}

/**
 * Query terms actually sent to MiniSearch: a very common syllable ("cong", "lao") adds little once a
 * known bigram containing it is in the query ("cong_ty"), and costs a long posting list.
 */
function searchTerms(ix: Index, tokens: string[]): string[] {
  const covered = new Set<string>();
  for (const t of tokens) {
    if (!isBigram(t) || !ix.df.has(t)) continue;
    const [a, b] = t.split(BIGRAM_JOINER);
    covered.add(a);
    covered.add(b);
  }
  const maxDf = ix.n * COMMON_SYLLABLE_SHARE;
  return tokens.filter((t) => !(covered.has(t) && (ix.df.get(t) ?? 0) > maxDf));
}

/** Entry score = field-boosted BM25 over the whole entry + PHRASING_WEIGHT × best single-phrasing BM25. */
function runSearch(ix: Index, tokens: string[]): Ranked[] {
  if (tokens.length === 0 || ix.n === 0) return [];
  const q = searchTerms(ix, tokens).join(' ');
  const opts = searchOptions(ix);
  const byId = new Map<number, Ranked>();
  for (const r of ix.mini.search(q, { ...opts, boost: { ...QA_FIELD_BOOST } })) {
    const id = r.id as number;
    byId.set(id, { id, score: r.score, queryTerms: r.queryTerms });
  }
  const bestPhrasing = new Map<number, number>();
  for (const r of ix.phrasings.search(q, opts)) {
    const entryId = ix.phrasingEntry.get(r.id as number);
    if (entryId === undefined) continue;
    if ((bestPhrasing.get(entryId) ?? 0) < r.score) bestPhrasing.set(entryId, r.score);
  }
  for (const [entryId, score] of bestPhrasing) {
    const ranked = byId.get(entryId);
    if (ranked) ranked.score += PHRASING_WEIGHT * score;
  }
  return [...byId.values()].sort((a, b) => b.score - a.score);
}

/**
 * Coverage: IDF-weighted share of the question's tokens present in the entry (exact = 1, fuzzy/prefix =
 * FUZZY_CREDIT), and the matched IDF mass of known syllables (how much specific vocabulary the entry explains).
 */
function coverageDetail(ix: Index, tokens: string[], hit: Ranked): { share: number; matchedMass: number } {
  const docSet = ix.docTokens.get(hit.id);
  if (!docSet) return { share: 0, matchedMass: 0 };
  let matchedMass = 0;
  const matchedQuery = new Set(hit.queryTerms);
  const maxIdf = idf(ix, 0);
  let total = 0;
  let got = 0;
  for (const t of tokens) {
    if (isMarker(t)) continue;
    const df = ix.df.get(t);
    const bigram = isBigram(t);
    const w =
      df === undefined ? (bigram ? OOV_BIGRAM_WEIGHT : OOV_UNIGRAM_WEIGHT) * maxIdf : (bigram ? BIGRAM_COVERAGE_WEIGHT : 1) * idf(ix, df);
    total += w;
    const credit = docSet.has(t) ? 1 : matchedQuery.has(t) ? (t.length >= 5 ? FUZZY_CREDIT : SHORT_FUZZY_CREDIT) : 0;
    got += w * credit;
    if (!bigram && df !== undefined) matchedMass += idf(ix, df) * credit;
  }
  return { share: total > 0 ? got / total : 0, matchedMass };
}

/**
 * How specific a question is: IDF sum of its known content syllables, and the number of distinct
 * concepts (runs of syllables joined by known bigrams: "bao hiem xa hoi" is one concept).
 */
function information(ix: Index, tokens: string[]): { idfSum: number; concepts: number } {
  let idfSum = 0;
  let concepts = 0;
  let prev = '';
  for (const t of tokens) {
    if (isMarker(t)) continue;
    if (!isBigram(t)) {
      const df = ix.df.get(t);
      if (df !== undefined) {
        idfSum += idf(ix, df);
        const joined = isBigram(prev) && ix.df.has(prev) && prev.endsWith(BIGRAM_JOINER + t);
        if (!joined) concepts++;
      }
    }
    prev = t;
  }
  return { idfSum, concepts };
}

function isVague(info: { idfSum: number; concepts: number }): boolean {
  const t = QA_THRESHOLDS;
  return info.idfSum < t.VAGUE_INFORMATION || (info.concepts <= 1 && info.idfSum < t.SINGLE_CONCEPT_INFORMATION);
}

export interface QaAnalysis {
  tokens: string[];
  results: Ranked[];
  /** Coverage of the question by the best entry (0..1). */
  confidence: number;
  /** Best score / runner-up score. */
  ratio: number;
  /** How specific the question is (see `information`). */
  information: number;
  /** IDF mass of the question's known syllables found in the best entry. */
  matchedMass: number;
  confident: boolean;
}

function analyze(ix: Index, question: string): QaAnalysis {
  const tokens = queryTokens(ix, question);
  const results = runSearch(ix, tokens);
  const top = results[0];
  const detail = top ? coverageDetail(ix, tokens, top) : { share: 0, matchedMass: 0 };
  const confidence = detail.share;
  const ratio = top && results[1] ? top.score / results[1].score : Number.POSITIVE_INFINITY;
  const info = information(ix, tokens);
  const t = QA_THRESHOLDS;
  const confident =
    !!top &&
    top.score >= t.MIN_SCORE &&
    (confidence >= t.STRONG_COVERAGE ||
      (confidence >= t.MIN_COVERAGE && ratio >= t.MIN_RATIO) ||
      (detail.matchedMass >= t.LONG_QUESTION_MASS && confidence >= t.LONG_QUESTION_COVERAGE && ratio >= t.LONG_QUESTION_RATIO)) &&
    !(isVague(info) && ratio < t.VAGUE_MIN_RATIO);
  return { tokens, results, confidence, ratio, information: info.idfSum, matchedMass: detail.matchedMass, confident };
}

function truncate(s: string, max = TITLE_MAX): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

function button(entry: KbEntry): QaButton {
  return { title: truncate(entry.question), payload: entry.question };
}

function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The user-facing answer: the KB answer (or `body`, e.g. an LLM rephrasing of it), then the citation
 * and effective date, always taken from the KB entry.
 */
export function formatAnswerText(entry: KbEntry, opts: { personalCase?: boolean; body?: string } = {}): string {
  const lines = [(opts.body ?? entry.answer).trim(), '', `📖 Căn cứ: ${entry.citation}`];
  if (entry.effectiveFrom) lines.push(`Hiệu lực từ ${formatDate(entry.effectiveFrom)}`);
  if (opts.personalCase) lines.push('', QA_TEXT.personalHandoff);
  return lines.join('\n');
}

export function createQaEngine(initial: readonly KbEntry[], opts: QaEngineOptions = {}): QaEngine {
  const relatedLimit = opts.relatedLimit ?? 3;
  const suggestionLimit = opts.suggestionLimit ?? 3;
  const starterSlugs = opts.starterSlugs ?? DEFAULT_STARTER_SLUGS;
  let ix = buildIndex(initial);

  const hits = (results: Ranked[], limit: number): QaHit[] => {
    const out: QaHit[] = [];
    for (const r of results) {
      const entry = ix.entries.get(r.id);
      if (entry) out.push({ entry, score: r.score });
      if (out.length >= limit) break;
    }
    return out;
  };

  const relatedFor = (top: KbEntry, results: Ranked[]): QaButton[] => {
    const out: QaButton[] = [];
    const used = new Set<number>([top.id]);
    const topScore = results[0]?.score ?? 0;
    const take = (e: KbEntry | undefined) => {
      if (!e || used.has(e.id) || out.length >= relatedLimit) return;
      used.add(e.id);
      out.push(button(e));
    };
    const near = results.slice(1, 30);
    // Close runners-up first, then nearby entries of the same topic, then same-topic entries in KB order.
    for (const r of near) if (r.score >= topScore * QA_THRESHOLDS.RELATED_MIN_SHARE) take(ix.entries.get(r.id));
    for (const r of near) if (ix.entries.get(r.id)?.topic === top.topic) take(ix.entries.get(r.id));
    for (const e of ix.entries.values()) if (e.topic === top.topic) take(e);
    return out;
  };

  const suggestionsFrom = (results: Ranked[]): QaButton[] => {
    const out = hits(results, suggestionLimit).map((h) => button(h.entry));
    out.push({ title: HANDOFF_PAYLOAD, payload: HANDOFF_PAYLOAD });
    return out;
  };

  const starterSuggestions = (): QaButton[] => {
    const out: QaButton[] = [];
    const bySlug = new Map([...ix.entries.values()].map((e) => [e.slug, e]));
    for (const slug of starterSlugs) {
      const e = bySlug.get(slug);
      if (e && out.length < suggestionLimit) out.push(button(e));
    }
    const seenTopics = new Set<string>();
    for (const e of ix.entries.values()) {
      if (out.length >= suggestionLimit) break;
      if (seenTopics.has(e.topic) || out.some((b) => b.payload === e.question)) continue;
      seenTopics.add(e.topic);
      out.push(button(e));
    }
    out.push({ title: HANDOFF_PAYLOAD, payload: HANDOFF_PAYLOAD });
    return out;
  };

  const unsure = (results: Ranked[], confidence: number): QaAnswer => {
    const best = results[0] ? ix.entries.get(results[0].id) : undefined;
    return {
      kind: 'unsure',
      text: results.length > 0 ? QA_TEXT.unsure : QA_TEXT.unsureNoMatch,
      suggestions: results.length > 0 ? suggestionsFrom(results) : starterSuggestions(),
      score: results[0]?.score ?? 0,
      confidence,
      ...(best ? { bestEntry: best } : {}),
    };
  };

  return {
    get size() {
      return ix.n;
    },

    rebuild(entries) {
      ix = buildIndex(entries);
    },

    explain(text) {
      const a = analyze(ix, detectSmalltalk(foldVietnamese(text ?? '')).rest);
      return {
        tokens: a.tokens,
        hits: hits(a.results, 5),
        confidence: a.confidence,
        ratio: a.ratio,
        information: a.information,
        matchedMass: a.matchedMass,
        confident: a.confident,
      };
    },

    search(text, limit = 5) {
      return hits(runSearch(ix, queryTokens(ix, text)), limit);
    },

    answer(text) {
      const folded = foldVietnamese(text ?? '');
      if (isHandoffRequest(folded)) {
        return { kind: 'handoff', text: QA_TEXT.handoff, suggestions: [{ title: HANDOFF_PAYLOAD, payload: HANDOFF_PAYLOAD }] };
      }
      const small = detectSmalltalk(folded);
      if (small.kind) return { kind: 'smalltalk', intent: small.kind, text: QA_TEXT.smalltalk[small.kind] };
      const question = small.rest;
      if (isOffTopic(question)) return { kind: 'offtopic', text: QA_TEXT.offtopic, suggestions: starterSuggestions() };

      const a = analyze(ix, question);
      const top = a.results[0];
      if (!top || !a.confident) return unsure(a.results, a.confidence);

      const entry = ix.entries.get(top.id) as KbEntry;
      const personalCase = looksPersonalCase(question);
      return {
        kind: 'answer',
        entry,
        score: top.score,
        confidence: a.confidence,
        text: formatAnswerText(entry, { personalCase }),
        related: relatedFor(entry, a.results),
        ...(personalCase ? { personalCase: true } : {}),
      };
    },
  };
}
