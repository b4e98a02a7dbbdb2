/**
 * Shared bench plumbing: a fresh database (Postgres when DATABASE_URL is set, else PGlite in a temporary
 * data directory, as `npm start` runs it: in memory, PGlite's file system copies a growing file whole each
 * time it outgrows its buffer, which showed as ~35 µs more CPU per webhook event and a p99 of 20–37 ms
 * instead of 11–16 ms), argv parsing, printing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../shared/db/client';

export function args<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(options: T) {
  return parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: false }).values as unknown as Record<keyof T, string | boolean | undefined>;
}

/** A fresh migrated database for one bench run; dropped on close when it is a Postgres one. */
export async function benchDatabase(label: string): Promise<Database & { kindLabel: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`));
    const db = await openDatabase({ dataDir: dir });
    await db.migrate();
    return {
      ...db,
      kindLabel: 'PGlite (data directory)',
      close: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { default: postgres } = await import('postgres');
  const name = `bench_${label}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: u.toString(), max: 20 });
  await db.migrate();
  return {
    ...db,
    kindLabel: 'PostgreSQL',
    close: async () => {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A process's command name and CPU seconds (user + system) so far, from /proc (Linux); undefined when gone. */
function procStat(pid: number | string): { command: string; cpuSeconds: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuSeconds: (Number(f[11]) + Number(f[12])) / 100 };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) one process has used so far (0 when it is gone or not on Linux). */
export function cpuOfProcess(pid: number): number {
  return procStat(pid)?.cpuSeconds ?? 0;
}

/**
 * CPU seconds used so far by every process whose command starts with `name` (the database servers).
 * Processes that exit meanwhile drop out.
 */
export function cpuOfServers(name: string): number {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  let total = 0;
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat?.command.startsWith(name)) total += stat.cpuSeconds;
  }
  return total;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

export interface LoadSpec {
  url: string;
  connections: number;
  seconds?: number;
  amount?: number;
  headers?: Record<string, string>;
  /** Signed (or, without `signed`, plain) `user_send_text` events, a fresh one per request. */
  webhook?: { signed?: { appId: string; secret: string } };
  /** A JSON file holding an array of request bodies, sent in turn. */
  bodiesFile?: string;
}

export interface LoadResult {
  average: number;
  total: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
}

/** Runs autocannon in a child process (bench/load.ts) against a server of this process. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'load.ts'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

/** Runs a bench's main and exits (0, or 1 after printing the error): open handles must not keep a bench alive. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
