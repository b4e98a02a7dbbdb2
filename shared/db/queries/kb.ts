/** Knowledge-base entries and the question log. A version counter in app_settings tells every process to re-index. */
import { and, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { appSettings, kbEntries, members, qaLog } from '../schema';

export type KbRow = typeof kbEntries.$inferSelect;
export const KB_VERSION_KEY = 'kb_version';

export async function listKbEntries(db: Db, opts: { activeOnly?: boolean } = {}): Promise<KbRow[]> {
  const q = db.select().from(kbEntries);
  return (opts.activeOnly ? q.where(eq(kbEntries.active, true)) : q).orderBy(kbEntries.topic, kbEntries.id);
}

export async function getKbEntry(db: Db, id: number): Promise<KbRow | undefined> {
  const [r] = await db.select().from(kbEntries).where(eq(kbEntries.id, id));
  return r;
}

/**
 * Brings the seed files into the database: adds entries whose slug is new and updates the ones whose
 * seed text changed — unless an officer has edited or retired the entry (updated_by_officer_id set),
 * which the seed never overwrites. Bumps the KB version when anything changed, so every process
 * re-indexes. Returns how many entries were added and updated.
 */
export async function syncSeedKbEntries(db: Db, rows: (typeof kbEntries.$inferInsert)[]): Promise<{ added: number; updated: number }> {
  if (!rows.length) return { added: 0, updated: 0 };
  const k = kbEntries;
  const changed = await db
    .insert(k)
    .values(rows)
    .onConflictDoUpdate({
      target: k.slug,
      set: {
        topic: sql`excluded.topic`,
        question: sql`excluded.question`,
        variants: sql`excluded.variants`,
        keywords: sql`excluded.keywords`,
        answer: sql`excluded.answer`,
        citation: sql`excluded.citation`,
        effectiveFrom: sql`excluded.effective_from`,
        sourceUrl: sql`excluded.source_url`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${k.updatedByOfficerId} is null and
        (${k.topic}, ${k.question}, ${k.variants}, ${k.keywords}, ${k.answer}, ${k.citation}, ${k.effectiveFrom}, ${k.sourceUrl})
        is distinct from
        (excluded.topic, excluded.question, excluded.variants, excluded.keywords, excluded.answer, excluded.citation, excluded.effective_from, excluded.source_url)`,
    })
    // xmax = 0 only on a freshly inserted row version: tells an insert from an update.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  const added = changed.filter((r) => r.inserted === true).length;
  const out = { added, updated: changed.length - added };
  if (changed.length) await bumpKbVersion(db);
  return out;
}

export const KB_SEED_REVISION_KEY = 'kb_seed_revision';

/**
 * Runs `apply` in one transaction with recording `revision` as the database's seed revision, unless
 * the database already holds a higher one: then nothing is applied and the higher revision is
 * returned. Processes starting at once queue on the setting's row, so a lower revision that comes
 * second finds the higher one and stops.
 */
export async function withSeedRevision<T>(
  db: Db,
  revision: number,
  apply: (tx: Db) => Promise<T>,
): Promise<{ applied: true; result: T } | { applied: false; current: number }> {
  return db.transaction(async (tx) => {
    await tx.insert(appSettings).values({ key: KB_SEED_REVISION_KEY, value: '0' }).onConflictDoNothing();
    const won = await tx
      .update(appSettings)
      .set({ value: String(revision) })
      .where(and(eq(appSettings.key, KB_SEED_REVISION_KEY), sql`${appSettings.value}::int <= ${revision}`))
      .returning({ key: appSettings.key });
    if (won.length === 0) {
      const [row] = await tx.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KB_SEED_REVISION_KEY));
      return { applied: false as const, current: Number(row.value) };
    }
    return { applied: true as const, result: await apply(tx) };
  });
}

export async function createKbEntry(db: Db, row: typeof kbEntries.$inferInsert): Promise<KbRow> {
  const [r] = await db.insert(kbEntries).values(row).returning();
  await bumpKbVersion(db);
  return r;
}

export async function updateKbEntry(db: Db, id: number, patch: Partial<typeof kbEntries.$inferInsert>): Promise<KbRow | undefined> {
  const [r] = await db.update(kbEntries).set({ ...patch, updatedAt: sql`now()` }).where(eq(kbEntries.id, id)).returning();
  if (r) await bumpKbVersion(db);
  return r;
}

/** Soft delete: the entry stops answering but stays for the question log's history. */
export async function deactivateKbEntry(db: Db, id: number, officerId: number | null): Promise<boolean> {
  const r = await db.update(kbEntries).set({ active: false, updatedByOfficerId: officerId, updatedAt: sql`now()` }).where(eq(kbEntries.id, id)).returning({ id: kbEntries.id });
  if (r.length) await bumpKbVersion(db);
  return r.length > 0;
}

export async function bumpKbVersion(db: Db): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key: KB_VERSION_KEY, value: '1' })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: sql`(${appSettings.value}::int + 1)::text` } });
}

export async function getKbVersion(db: Db): Promise<string> {
  const [r] = await db.select().from(appSettings).where(eq(appSettings.key, KB_VERSION_KEY));
  return r?.value ?? '0';
}

export async function logQuestion(db: Db, q: { zaloUserId: string | null; question: string; matchedEntryId: number | null; score: number | null; confident: boolean }) {
  await db.insert(qaLog).values({ ...q, question: q.question.slice(0, 1000) });
}

export async function topQuestions(db: Db, since: Date, limit = 10) {
  return db
    .select({ entryId: qaLog.matchedEntryId, question: kbEntries.question, n: sql<number>`count(*)::int` })
    .from(qaLog)
    .innerJoin(kbEntries, eq(kbEntries.id, qaLog.matchedEntryId))
    .where(and(eq(qaLog.confident, true), gte(qaLog.createdAt, since)))
    .groupBy(qaLog.matchedEntryId, kbEntries.question)
    .orderBy(desc(sql`count(*)`))
    .limit(limit);
}

/**
 * Questions the bot was not sure of, newest first, as workers typed them (they may hold personal
 * details): those of members in the officer's branches; those of people who are not members only for
 * officers of a root branch, as with hand-off tickets.
 */
export async function unansweredQuestions(db: Db, since: Date, scope: { branchIds: number[]; includesRoot: boolean }, limit = 50) {
  const inScope = inArray(members.branchId, scope.branchIds);
  return db
    .select({ id: qaLog.id, question: qaLog.question, score: qaLog.score, at: qaLog.createdAt })
    .from(qaLog)
    .leftJoin(members, eq(members.zaloUserId, qaLog.zaloUserId))
    .where(and(eq(qaLog.confident, false), gte(qaLog.createdAt, since), scope.includesRoot ? or(isNull(members.id), inScope) : inScope))
    .orderBy(desc(qaLog.createdAt))
    .limit(limit);
}

