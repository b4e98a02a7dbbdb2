/**
 * Q&A performance: pads the seed KB to 500 entries with generated ones, then prints the index build
 * time and answer latency (p50/p95/p99) over a few thousand questions. Prints figures; asserts nothing.
 * Run: `npx tsx bench/qa.ts [entries=500] [questions=4000]`
 */
import { createQaEngine, type KbEntry } from '../shared/qa/engine';
import { percentile, readEvalSet } from '../shared/qa/eval-runner';
import { loadSeedKb } from '../shared/qa/kb';
import os from 'node:os';
import path from 'node:path';

const TARGET_ENTRIES = Number(process.argv[2] ?? 500);
const QUESTIONS = Number(process.argv[3] ?? 4000);

/** Deterministic PRNG so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SUBJECTS = ['đoàn viên', 'công nhân', 'người lao động', 'lao động nữ', 'cán bộ công đoàn', 'nhân viên thời vụ', 'tổ trưởng'];
const THINGS = [
  'phụ cấp nhà trọ', 'tiền chuyên cần', 'xe đưa đón', 'bữa ăn giữa ca', 'đồng phục', 'tủ thuốc', 'thưởng sáng kiến',
  'hội thao', 'nhà giữ trẻ', 'khám mắt', 'quỹ tương trợ', 'lớp tiếng Anh', 'phòng đọc', 'căn tin', 'thẻ xe',
];
const ASKS = ['được hỗ trợ thế nào', 'đăng ký ở đâu', 'mức bao nhiêu', 'khi nào được nhận', 'cần giấy tờ gì', 'ai phụ trách'];
const PLACES = ['xưởng A', 'xưởng B', 'chi nhánh Bắc Ninh', 'nhà máy Bình Dương', 'văn phòng Hà Nội', 'kho Đồng Nai'];

function generated(i: number, r: () => number): KbEntry {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const subject = pick(SUBJECTS);
  const thing = pick(THINGS);
  const ask = pick(ASKS);
  const place = pick(PLACES);
  const question = `${thing} cho ${subject} ở ${place} ${ask}? (mục ${i})`;
  return {
    id: 100_000 + i,
    slug: `sinh-tu-dong-${i}`,
    topic: 'Phúc lợi nội bộ (sinh tự động)',
    question,
    variants: [
      `${thing} ${ask}`,
      `${thing} ${place}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd'),
      `${subject} hỏi về ${thing}`,
      `${thing} muc ${i}`,
    ],
    keywords: [thing, place, `mục ${i}`],
    answer: `${thing} tại ${place}: theo quy chế nội bộ số ${i}, liên hệ ban chấp hành công đoàn cơ sở để biết chi tiết.`,
    citation: `Quy chế nội bộ số ${i}`,
    effectiveFrom: null,
    sourceUrl: null,
  };
}

function main(): void {
  const seed = loadSeedKb().map((e, i): KbEntry => ({ ...e, id: i + 1 }));
  const r = rng(42);
  const entries: KbEntry[] = [...seed];
  for (let i = seed.length; i < TARGET_ENTRIES; i++) entries.push(generated(i, r));

  // The first build includes JIT warm-up (what a fresh process pays); then measure fresh builds.
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const tCold = performance.now();
  const cCold = process.cpuUsage();
  createQaEngine(entries);
  const coldMs = performance.now() - tCold;
  const coldCpuMs = cpuMs(process.cpuUsage(cCold));
  const builds: number[] = [];
  const buildCpu: number[] = [];
  let engine = createQaEngine(entries);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    engine = createQaEngine(entries);
    builds.push(performance.now() - t0);
    buildCpu.push(cpuMs(process.cpuUsage(c0)));
  }

  const evalQs = readEvalSet(path.join(__dirname, '..', 'test', 'qa', 'eval-set.jsonl')).map((l) => l.q);
  const pool = [
    ...evalQs,
    ...entries.slice(seed.length).map((e) => e.variants[0]),
    'luong toi thieu vung 1 2026 la bao nhieu',
    'bhxh 1 lan',
    'thoi tiet ha noi',
    'xin chao',
  ];
  const questions = Array.from({ length: QUESTIONS }, () => pool[Math.floor(r() * pool.length)]);
  for (const q of questions.slice(0, 300)) engine.answer(q); // warm-up

  const times: number[] = [];
  const kinds: Record<string, number> = {};
  const tAll = performance.now();
  const cAll = process.cpuUsage();
  for (const q of questions) {
    const t0 = performance.now();
    const a = engine.answer(q);
    times.push(performance.now() - t0);
    kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
  }
  const total = performance.now() - tAll;
  const totalCpu = cpuMs(process.cpuUsage(cAll));
  times.sort((a, b) => a - b);
  builds.sort((a, b) => a - b);
  buildCpu.sort((a, b) => a - b);
  const [load1] = os.loadavg();

  console.log(`Q&A bench — ${entries.length} KB entries (${seed.length} seed + ${entries.length - seed.length} generated)`);
  console.log(`Machine: ${os.cpus().length} CPUs, load average ${load1.toFixed(2)} (CPU time shown next to wall time)`);
  console.log(
    `Index build: first (cold) ${coldMs.toFixed(1)} ms wall / ${coldCpuMs.toFixed(1)} ms CPU; then median ${builds[2].toFixed(1)} ms wall / ${buildCpu[2].toFixed(1)} ms CPU, worst ${builds[builds.length - 1].toFixed(1)} ms wall (5 builds)`,
  );
  console.log(
    `Answers: ${questions.length} questions in ${total.toFixed(0)} ms wall / ${totalCpu.toFixed(0)} ms CPU (${((questions.length / total) * 1000).toFixed(0)}/s, mean ${(totalCpu / questions.length).toFixed(2)} ms CPU each)`,
  );
  console.log(
    `Latency: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`,
  );
  console.log(`Reply kinds: ${JSON.stringify(kinds)}`);
}

main();
