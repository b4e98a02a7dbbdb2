/**
 * The live Q&A index of this process: seeded from shared/qa/kb on first start, built from the active
 * kb_entries, and rebuilt within seconds when any process edits the knowledge base (version counter).
 */
import type { Db } from '../db/client';
import { errorText, type Logger } from '../logger';
import { createQaEngine, loadSeedKb, type KbEntry, type QaAnswer, type QaEngine } from '../qa';
import { getKbVersion, listKbEntries, logQuestion, syncSeedKbEntries, withSeedRevision, type KbRow } from '../db/queries/kb';
import type { KbSeedEntry } from '../qa/kb-schema';
import { SEED_REVISION } from '../qa/kb/revision';

export function rowToEntry(r: KbRow): KbEntry {
  return {
    id: r.id,
    slug: r.slug,
    topic: r.topic,
    question: r.question,
    variants: r.variants,
    keywords: r.keywords,
    answer: r.answer,
    citation: r.citation,
    effectiveFrom: r.effectiveFrom,
    sourceUrl: r.sourceUrl,
  };
}

export interface SeedSync {
  added: number;
  updated: number;
  /** Set when the database holds a newer seed revision than this process: nothing was written. */
  newerInDatabase?: number;
}

/**
 * Brings shared/qa/kb into the database: new slugs are added, seed edits reach entries no officer has
 * touched; an officer's edit or retirement is never overwritten, and neither is a newer seed revision
 * (see shared/qa/kb/revision.ts).
 */
export async function seedKnowledgeBase(db: Db, seed: { entries: KbSeedEntry[]; revision: number } = { entries: loadSeedKb(), revision: SEED_REVISION.number }): Promise<SeedSync> {
  const rows = seed.entries.map((e) => ({ slug: e.slug, topic: e.topic, question: e.question, variants: e.variants, keywords: e.keywords, answer: e.answer, citation: e.citation, effectiveFrom: e.effectiveFrom, sourceUrl: e.sourceUrl }));
  const outcome = await withSeedRevision(db, seed.revision, (tx) => syncSeedKbEntries(tx, rows));
  return outcome.applied ? outcome.result : { added: 0, updated: 0, newerInDatabase: outcome.current };
}

export interface KbIndex {
  engine(): QaEngine;
  /** Answers and records the question (no personal data beyond the Zalo id). */
  ask(text: string, zaloUserId: string | null): Promise<QaAnswer>;
  /** Rebuilds now if another process changed the KB. */
  refreshIfChanged(): Promise<boolean>;
  close(): void;
}

export async function createKbIndex(db: Db, logger: Logger, opts: { pollMs?: number } = {}): Promise<KbIndex> {
  let version = await getKbVersion(db);
  const engine = createQaEngine((await listKbEntries(db, { activeOnly: true })).map(rowToEntry));
  let timer: NodeJS.Timeout | null = null;

  async function refreshIfChanged(): Promise<boolean> {
    const v = await getKbVersion(db);
    if (v === version) return false;
    version = v;
    const started = Date.now();
    engine.rebuild((await listKbEntries(db, { activeOnly: true })).map(rowToEntry));
    logger.info({ entries: engine.size, ms: Date.now() - started }, 'knowledge base re-indexed');
    return true;
  }

  const pollMs = opts.pollMs ?? 2000;
  if (pollMs > 0) {
    const tick = () => {
      timer = setTimeout(() => {
        refreshIfChanged()
          .catch((err) => logger.warn({ err: errorText(err) }, 'kb refresh failed'))
          .finally(tick);
      }, pollMs);
      timer.unref?.();
    };
    tick();
  }

  return {
    engine: () => engine,
    async ask(text, zaloUserId) {
      const a = engine.answer(text);
      const matched = a.kind === 'answer' ? a.entry.id : a.kind === 'unsure' ? (a.bestEntry?.id ?? null) : null;
      const score = a.kind === 'answer' || a.kind === 'unsure' ? a.score : null;
      if (a.kind !== 'smalltalk') await logQuestion(db, { zaloUserId, question: text, matchedEntryId: matched, score, confident: a.kind === 'answer' });
      return a;
    },
    refreshIfChanged,
    close: () => {
      if (timer) clearTimeout(timer);
    },
  };
}
