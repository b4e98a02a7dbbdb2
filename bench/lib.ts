/** Shared bench plumbing: a fresh database (Postgres when DATABASE_URL is set, else in-memory PGlite), argv parsing, printing. */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../shared/db/client';

export function args<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(options: T) {
  return parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: false }).values as unknown as Record<keyof T, string | boolean | undefined>;
}

/** A fresh migrated database for one bench run; dropped on close when it is a Postgres one. */
export async function benchDatabase(label: string): Promise<Database & { kindLabel: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({});
    await db.migrate();
    return { ...db, kindLabel: 'PGlite (in-memory)' };
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

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
