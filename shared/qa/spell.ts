/**
 * Context-aware typo correction of folded syllables against the knowledge base's own vocabulary
 * (SymSpell-style deletion index, edit distance 1 incl. adjacent transposition). A syllable is only
 * replaced when it is unknown; short ones (≤ 4 letters) only when the correction forms a known
 * bigram with a neighbour ("thoi gain" → "thoi gian"), so unknown off-topic words stay unknown.
 */

export interface Speller {
  correct(sylls: readonly string[]): string[];
}

function deletes(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}

/** Damerau–Levenshtein distance capped at 2 (we only care whether it is ≤ 1). */
function distanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  if (la === lb) {
    let diff = -1;
    let count = 0;
    for (let i = 0; i < la; i++) {
      if (a[i] !== b[i]) {
        if (count === 0) diff = i;
        count++;
        if (count > 2) return false;
      }
    }
    if (count <= 1) return true;
    // adjacent transposition
    return count === 2 && a[diff] === b[diff + 1] && a[diff + 1] === b[diff] && a.slice(diff + 2) === b.slice(diff + 2);
  }
  const [s, l] = la < lb ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

export function createSpeller(
  /** Known syllables with their document frequency. */
  vocab: ReadonlyMap<string, number>,
  /** Known bigrams "a_b". */
  bigrams: ReadonlySet<string>,
  joiner: string,
  /** Syllables never corrected (stopwords, question words). */
  protectedWords: ReadonlySet<string>,
): Speller {
  const byDeletion = new Map<string, string[]>();
  const add = (key: string, w: string) => {
    const list = byDeletion.get(key);
    if (list) {
      if (!list.includes(w)) list.push(w);
    } else byDeletion.set(key, [w]);
  };
  for (const w of vocab.keys()) {
    if (w.length < 3 || !/^[a-z]+$/.test(w)) continue;
    add(w, w);
    for (const d of deletes(w)) add(d, w);
  }

  const candidatesFor = (s: string): string[] => {
    const found = new Set<string>();
    for (const key of [s, ...deletes(s)]) for (const w of byDeletion.get(key) ?? []) found.add(w);
    return [...found].filter((w) => w !== s && distanceAtMostOne(s, w));
  };

  return {
    correct(sylls) {
      const out = [...sylls];
      for (let i = 0; i < out.length; i++) {
        const s = out[i];
        if (vocab.has(s) || protectedWords.has(s) || s.length < 3 || !/^[a-z]+$/.test(s)) continue;
        const prev = out[i - 1];
        const next = sylls[i + 1];
        let best: string | null = null;
        let bestScore = -1;
        for (const c of candidatesFor(s)) {
          const context =
            (prev !== undefined && bigrams.has(prev + joiner + c) ? 1 : 0) +
            (next !== undefined && bigrams.has(c + joiner + next) ? 1 : 0);
          if (context === 0 && s.length <= 4) continue;
          const score = context * 1000 + (vocab.get(c) ?? 0);
          if (score > bestScore) {
            bestScore = score;
            best = c;
          }
        }
        if (best) out[i] = best;
      }
      return out;
    },
  };
}
