/**
 * Member-list imports started from the console. The job row is the progress record every web process
 * can read (the file is processed by the process that received it), so a progress poll that lands on
 * another process behind a load balancer still finds it.
 */
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts, updatedAt } from './common';
import { officers } from './members';

export const importJobStatuses = ['running', 'done', 'failed'] as const;
export type ImportJobStatus = (typeof importJobStatuses)[number];

export const memberImportJobs = pgTable(
  'member_import_jobs',
  {
    id: text('id').primaryKey(),
    officerId: integer('officer_id')
      .notNull()
      .references(() => officers.id),
    filename: text('filename').notNull(),
    status: text('status', { enum: importJobStatuses }).notNull().default('running'),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull().default(0),
    /** The importer's report (counts, rejected rows with reasons) once done. */
    report: jsonb('report').$type<Record<string, unknown>>(),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    /** Touched by every progress write: a running job not touched for a while lost its process. */
    updatedAt: updatedAt(),
  },
  (t) => [index('member_import_jobs_officer_idx').on(t.officerId, t.startedAt)],
);
