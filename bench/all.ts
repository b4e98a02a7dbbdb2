/**
 * Runs every bench in turn and writes bench/results.md with their output and the machine they ran on.
 *   npm run bench:all            (uses DATABASE_URL / REDIS_URL when set, as each bench does)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const benches: [string, string[]][] = [
  ['Webhook ack (PGlite)', ['bench/webhook.ts', '--seconds', '8']],
  ['Webhook ack (PostgreSQL)', ['bench/webhook.ts', '--seconds', '8', '--postgres']],
  ['Q&A latency (500 entries)', ['bench/qa.ts']],
  ['Q&A evaluation', ['bench/qa-eval.ts']],
  ['Check-in burst', ['bench/checkin.ts', '--members', '5000']],
  ['Card lookup, 1M members', ['bench/card.ts', '--members', '1000000', '--lookups', '5000']],
  ['Member export, 200,000 members', ['bench/export.ts', '--members', '200000']],
  ['Member export, 20,000 members (PGlite)', ['bench/export.ts', '--members', '20000']],
  ['Broadcast', ['bench/broadcast.ts', '--members', String(process.env.BENCH_BROADCAST_MEMBERS ?? 20000), '--rate', '500']],
];

const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(' ');
const sections: string[] = [];
for (const [title, argv] of benches) {
  const usePg = argv.includes('--postgres') || !title.includes('PGlite');
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: usePg && !title.startsWith('Q&A') ? pgUrl : '', REDIS_URL: redisUrl, LOG_LEVEL: 'silent' };
  const args = argv.filter((a) => a !== '--postgres');
  process.stdout.write(`== ${title}\n`);
  const started = Date.now();
  const r = spawnSync(TSX, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 20 * 60_000 });
  const out = `${r.stdout ?? ''}${r.status === 0 ? '' : `\n(exit ${r.status}) ${r.stderr?.slice(-2000) ?? ''}`}`.trim();
  process.stdout.write(out + '\n');
  sections.push(`## ${title}\n\`npx tsx ${args.join(' ')}\` — ${((Date.now() - started) / 1000).toFixed(0)} s\n\n\`\`\`\n${out}\n\`\`\`\n`);
}
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, load average at start ${loadAtStart}`;
fs.writeFileSync(path.join(ROOT, 'bench/results.md'), `# Bench results\n\nRun ${new Date().toISOString()} on ${machine}.\nRegenerate with \`npm run bench:all\`.\n\n${sections.join('\n')}`);
console.log('wrote bench/results.md');
