/**
 * Q&A eval: `npx tsx bench/qa-eval.ts [eval-file.jsonl]` — top-1 accuracy, misses per topic,
 * off-topic lines answered with a legal fact (must be 0), latency. Prints figures; asserts nothing.
 */
import path from 'node:path';
import { createQaEngine } from '../shared/qa/engine';
import { readEvalSet, runEval } from '../shared/qa/eval-runner';
import { loadSeedKb } from '../shared/qa/kb';

function main(): void {
  const file = process.argv[2] ?? path.join(__dirname, '..', 'test', 'qa', 'eval-set.jsonl');
  const kb = loadSeedKb().map((e, i) => ({ ...e, id: i + 1 }));
  const topicOf = new Map(kb.map((e) => [e.slug, e.topic]));
  const t0 = performance.now();
  const engine = createQaEngine(kb);
  const buildMs = performance.now() - t0;
  const lines = readEvalSet(file);
  // One warm-up pass so latency reflects a running bot, not JIT compilation.
  for (const l of lines) engine.answer(l.q);
  const r = runEval(engine, lines, (slug) => topicOf.get(slug) ?? '(unknown slug)');

  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`Q&A eval — ${path.relative(process.cwd(), file)}`);
  console.log(`KB entries: ${kb.length}; index build: ${buildMs.toFixed(1)} ms`);
  console.log(`Lines: ${r.total} (${r.inDomain} in-domain, ${r.outOfDomain} off-topic/small talk)`);
  console.log(`Top-1 accuracy (answered with expected entry): ${pct(r.accuracy)} (${r.correct}/${r.inDomain})`);
  console.log(`Retrieval top-1 (first search hit, ignoring confidence): ${pct(r.retrievalAccuracy)}`);
  console.log(`Unsure replies: ${r.unsureCount}`);
  console.log(`Off-topic lines answered with a legal fact: ${r.offTopicAnswered.length}`);
  for (const m of r.offTopicAnswered) console.log(`  ✗ "${m.q}" → ${m.got}`);
  console.log(
    `Latency per answer: p50 ${r.latencyMs.p50.toFixed(2)} ms, p95 ${r.latencyMs.p95.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms, max ${r.latencyMs.max.toFixed(2)} ms`,
  );
  const topics = Object.keys(r.missesByTopic).sort();
  console.log(topics.length ? 'Misses by topic:' : 'No misses.');
  for (const t of topics) {
    console.log(`  ${t} (${r.missesByTopic[t].length})`);
    for (const m of r.missesByTopic[t]) console.log(`    - "${m.q}" expected ${m.expect} → ${m.got}`);
  }
}

main();
