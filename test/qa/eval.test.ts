/** Runs the Q&A eval set in jest: fails below 90% top-1 or on any off-topic line answered with a legal fact. */
import path from 'node:path';
import { createQaEngine } from '../../shared/qa/engine';
import { readEvalSet, runEval } from '../../shared/qa/eval-runner';
import { loadSeedKb } from '../../shared/qa/kb';

const kb = loadSeedKb().map((e, i) => ({ ...e, id: i + 1 }));
const lines = readEvalSet(path.join(__dirname, 'eval-set.jsonl'));

describe('Q&A eval set', () => {
  it('is big enough and covers every KB entry at least twice, plus off-topic lines', () => {
    expect(lines.length).toBeGreaterThanOrEqual(200);
    const slugs = new Set(kb.map((e) => e.slug));
    const counts = new Map<string, number>();
    for (const l of lines) {
      if (l.expect === null) continue;
      expect(slugs.has(l.expect)).toBe(true);
      counts.set(l.expect, (counts.get(l.expect) ?? 0) + 1);
    }
    const under = kb.filter((e) => (counts.get(e.slug) ?? 0) < 2).map((e) => e.slug);
    expect(under).toEqual([]);
    expect(lines.filter((l) => l.expect === null).length).toBeGreaterThanOrEqual(20);
  });

  it('eval questions are not copies of KB phrasings', () => {
    const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    const phrasings = new Set(kb.flatMap((e) => [e.question, ...e.variants]).map(norm));
    const copies = lines.filter((l) => phrasings.has(norm(l.q))).map((l) => l.q);
    expect(copies).toEqual([]);
  });

  it('reaches ≥ 90% top-1 and never answers an off-topic line with a legal fact', () => {
    const topicOf = new Map(kb.map((e) => [e.slug, e.topic]));
    const report = runEval(createQaEngine(kb), lines, (s) => topicOf.get(s) ?? '?');
    if (report.accuracy < 0.9) {
      const detail = report.misses.map((m) => `  "${m.q}" expected ${m.expect} → ${m.got}`).join('\n');
      throw new Error(`top-1 accuracy ${(report.accuracy * 100).toFixed(1)}% < 90%\n${detail}`);
    }
    expect(report.offTopicAnswered).toEqual([]);
  });

  it('never answers the extra off-topic list with a legal fact', () => {
    const extra = readEvalSet(path.join(__dirname, 'offtopic-extra.jsonl'));
    const report = runEval(createQaEngine(kb), extra, () => '(off-topic)');
    expect(report.offTopicAnswered).toEqual([]);
  });
});
