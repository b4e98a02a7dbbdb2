/** Loads and validates the knowledge-base seed files (`shared/qa/kb/*.json`). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { kbSeedEntrySchema, type KbSeedEntry } from '../kb-schema';

export const SEED_KB_DIR = __dirname;

export class KbSeedError extends Error {
  constructor(
    message: string,
    public readonly file: string,
    public readonly slug: string | null,
  ) {
    super(message);
    this.name = 'KbSeedError';
  }
}

/** Validates raw entries from one file; `seen` maps slug → file across files to catch duplicates. */
export function parseSeedEntries(raw: unknown, file: string, seen: Map<string, string> = new Map()): KbSeedEntry[] {
  if (!Array.isArray(raw)) throw new KbSeedError(`${file}: expected a JSON array of entries`, file, null);
  const out: KbSeedEntry[] = [];
  raw.forEach((item, index) => {
    const slug =
      item && typeof item === 'object' && typeof (item as { slug?: unknown }).slug === 'string'
        ? (item as { slug: string }).slug
        : null;
    const label = slug ? `slug "${slug}"` : `entry #${index}`;
    const parsed = kbSeedEntrySchema.safeParse(item);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new KbSeedError(`${file}: invalid KB entry ${label}: ${issues}`, file, slug);
    }
    const previous = seen.get(parsed.data.slug);
    if (previous) {
      throw new KbSeedError(
        `${file}: duplicate KB slug "${parsed.data.slug}" (already defined in ${previous})`,
        file,
        parsed.data.slug,
      );
    }
    seen.set(parsed.data.slug, file);
    out.push(parsed.data);
  });
  return out;
}

/** Reads every `*.json` file of `dir` (sorted by name), validates each entry, rejects duplicate slugs. */
export function loadSeedKb(dir: string = SEED_KB_DIR): KbSeedEntry[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const seen = new Map<string, string>();
  const all: KbSeedEntry[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new KbSeedError(`${file}: invalid JSON (${(err as Error).message})`, file, null);
    }
    all.push(...parseSeedEntries(raw, file, seen));
  }
  return all;
}

/** SHA-256 of the seed's content (the validated entries, so a file's formatting does not count). */
export function seedDigest(entries: KbSeedEntry[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
