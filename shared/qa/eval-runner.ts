/**
 * Runs a Q&A eval set (`{"q": "...", "expect": "<slug>" | null}` per line) against an engine and
 * reports top-1 accuracy, misses per topic, off-topic lines answered with a legal fact, and latency.
 * Used by `bench/qa-eval.ts` (prints) and `test/qa/eval.test.ts` (asserts).
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { QaAnswer, QaEngine } from './engine';

export const evalLineSchema = z.object({ q: z.string().min(1), expect: z.string().nullable() });
export type EvalLine = z.infer<typeof evalLineSchema>;

export interface EvalMiss {
  q: string;
  expect: string | null;
  got: string;
  topic: string;
}

export interface EvalReport {
  total: number;
  inDomain: number;
  correct: number;
  /** Share of in-domain lines answered (kind "answer") with the expected entry. */
  accuracy: number;
  /** Share of in-domain lines whose expected entry is the first search hit (retrieval only). */
  retrievalAccuracy: number;
  outOfDomain: number;
  /** Lines expecting null that got a legal answer (must be 0). */
  offTopicAnswered: EvalMiss[];
  misses: EvalMiss[];
  missesByTopic: Record<string, EvalMiss[]>;
  unsureCount: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

export function readEvalSet(file: string): EvalLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const parsed = evalLineSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`eval line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function describe(a: QaAnswer): string {
  switch (a.kind) {
    case 'answer':
      return `answer:${a.entry.slug}`;
    case 'unsure':
      return `unsure${a.bestEntry ? `(best:${a.bestEntry.slug})` : ''}`;
    default:
      return a.kind;
  }
}

export function runEval(engine: QaEngine, lines: EvalLine[], topicOf: (slug: string) => string): EvalReport {
  const times: number[] = [];
  const misses: EvalMiss[] = [];
  const offTopicAnswered: EvalMiss[] = [];
  let correct = 0;
  let retrievalCorrect = 0;
  let inDomain = 0;
  let unsureCount = 0;
  for (const line of lines) {
    const t0 = performance.now();
    const a = engine.answer(line.q);
    times.push(performance.now() - t0);
    if (a.kind === 'unsure') unsureCount++;
    if (line.expect === null) {
      if (a.kind === 'answer') {
        offTopicAnswered.push({ q: line.q, expect: null, got: describe(a), topic: '(off-topic)' });
      }
      continue;
    }
    inDomain++;
    if (engine.search(line.q, 1)[0]?.entry.slug === line.expect) retrievalCorrect++;
    if (a.kind === 'answer' && a.entry.slug === line.expect) correct++;
    else misses.push({ q: line.q, expect: line.expect, got: describe(a), topic: topicOf(line.expect) });
  }
  const missesByTopic: Record<string, EvalMiss[]> = {};
  for (const m of misses) (missesByTopic[m.topic] ??= []).push(m);
  const sorted = [...times].sort((x, y) => x - y);
  return {
    total: lines.length,
    inDomain,
    correct,
    accuracy: inDomain ? correct / inDomain : 1,
    retrievalAccuracy: inDomain ? retrievalCorrect / inDomain : 1,
    outOfDomain: lines.length - inDomain,
    offTopicAnswered,
    misses,
    missesByTopic,
    unsureCount,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? 0,
    },
  };
}
