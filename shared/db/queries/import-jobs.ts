/** Progress records of member imports (see schema/imports.ts). */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { memberImportJobs } from '../schema';

export type ImportJobRow = typeof memberImportJobs.$inferSelect;

/** A running job whose process wrote no progress for this long is reported as interrupted. */
export const IMPORT_STALE_MS = 2 * 60_000;

export async function createImportJob(db: Db, job: { id: string; officerId: number; filename: string; total: number }): Promise<void> {
  await db.insert(memberImportJobs).values(job);
}

export async function updateImportProgress(db: Db, id: string, done: number, total: number): Promise<void> {
  await db
    .update(memberImportJobs)
    .set({ done, total, updatedAt: sql`now()` })
    .where(and(eq(memberImportJobs.id, id), eq(memberImportJobs.status, 'running')));
}

export async function finishImportJob(
  db: Db,
  id: string,
  result: { report: Record<string, unknown>; total: number } | { error: { code: string; message: string } },
): Promise<void> {
  const set =
    'report' in result
      ? { status: 'done' as const, report: result.report, done: result.total, total: result.total }
      : { status: 'failed' as const, error: result.error };
  await db
    .update(memberImportJobs)
    .set({ ...set, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(memberImportJobs.id, id));
}

export async function getImportJob(db: Db, id: string, officerId: number): Promise<ImportJobRow | undefined> {
  const [row] = await db
    .select()
    .from(memberImportJobs)
    .where(and(eq(memberImportJobs.id, id), eq(memberImportJobs.officerId, officerId)));
  return row;
}

const IMPORT_INTERRUPTED = {
  code: 'IMPORT_INTERRUPTED',
  message: 'Lượt nhập bị gián đoạn (máy chủ khởi động lại). Hãy tải tệp lên lại: các dòng đã nhập sẽ được cập nhật, không bị trùng. / import interrupted: upload the file again',
};

/** The job as it stands: a running job whose process wrote no progress for IMPORT_STALE_MS lost that process. */
export function importJobState(row: ImportJobRow, now: Date): Pick<ImportJobRow, 'status' | 'error'> {
  const lost = row.status === 'running' && now.getTime() - row.updatedAt.getTime() > IMPORT_STALE_MS;
  return lost ? { status: 'failed', error: IMPORT_INTERRUPTED } : { status: row.status, error: row.error };
}
