/** Announcements and the Q&A knowledge base with its question log. */
import { boolean, date, index, integer, jsonb, pgTable, real, text } from 'drizzle-orm/pg-core';
import { branches } from './branches';
import { createdAt, id, ts, updatedAt } from './common';
import { officers } from './members';

export const announcements = pgTable(
  'announcements',
  {
    id: id(),
    /** Null = visible to everyone (public). */
    branchId: integer('branch_id').references(() => branches.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    imageUrl: text('image_url'),
    linkUrl: text('link_url'),
    publishedAt: ts('published_at'),
    authorOfficerId: integer('author_officer_id').references(() => officers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('announcements_published_idx').on(t.publishedAt)],
);

export const kbEntries = pgTable('kb_entries', {
  id: id(),
  /** Stable human key from the seed files (e.g. "luong-toi-thieu-vung"). */
  slug: text('slug').notNull().unique(),
  topic: text('topic').notNull(),
  question: text('question').notNull(),
  variants: jsonb('variants').$type<string[]>().notNull().default([]),
  keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
  answer: text('answer').notNull(),
  citation: text('citation').notNull(),
  effectiveFrom: date('effective_from', { mode: 'string' }),
  sourceUrl: text('source_url'),
  updatedByOfficerId: integer('updated_by_officer_id').references(() => officers.id),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const qaLog = pgTable(
  'qa_log',
  {
    id: id(),
    zaloUserId: text('zalo_user_id'),
    question: text('question').notNull(),
    matchedEntryId: integer('matched_entry_id').references(() => kbEntries.id, { onDelete: 'set null' }),
    score: real('score'),
    confident: boolean('confident').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('qa_log_created_idx').on(t.createdAt)],
);
