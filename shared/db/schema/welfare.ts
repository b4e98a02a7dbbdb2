/** Welfare programs, registrations and polls. */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, unique, uniqueIndex, boolean } from 'drizzle-orm/pg-core';
import { branches } from './branches';
import { createdAt, id, ts, updatedAt } from './common';
import { members, officers } from './members';
import { broadcasts } from './broadcasts';

export type WelfareFieldType = 'text' | 'number' | 'choice' | 'date';
export interface WelfareField {
  key: string;
  label: string;
  type: WelfareFieldType;
  required: boolean;
  options?: string[];
}
export interface WelfareRules {
  activeOnly?: boolean;
  joinedBefore?: string;
}

export const welfarePrograms = pgTable('welfare_programs', {
  id: id(),
  branchId: integer('branch_id')
    .notNull()
    .references(() => branches.id),
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  eligibility: text('eligibility').notNull().default(''),
  rules: jsonb('rules').$type<WelfareRules>().notNull().default({}),
  fields: jsonb('fields').$type<WelfareField[]>().notNull().default([]),
  opensAt: ts('opens_at').notNull(),
  closesAt: ts('closes_at').notNull(),
  capacity: integer('capacity'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const registrationStatuses = ['submitted', 'approved', 'rejected', 'cancelled'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

export const welfareRegistrations = pgTable(
  'welfare_registrations',
  {
    id: id(),
    programId: integer('program_id')
      .notNull()
      .references(() => welfarePrograms.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: registrationStatuses }).notNull().default('submitted'),
    channel: text('channel').notNull().default('chat'),
    reviewedByOfficerId: integer('reviewed_by_officer_id').references(() => officers.id),
    note: text('note'),
    decidedAt: ts('decided_at'),
    /** Outcome of the Zalo notice about the decision: sent | failed | skipped (not linked). */
    notifyStatus: text('notify_status'),
    notifyError: text('notify_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('welfare_registrations_active_uq')
      .on(t.programId, t.memberId)
      .where(sql`status <> 'cancelled'`),
    index('welfare_registrations_program_idx').on(t.programId, t.status),
  ],
);

export const polls = pgTable('polls', {
  id: id(),
  branchId: integer('branch_id')
    .notNull()
    .references(() => branches.id),
  question: text('question').notNull(),
  options: jsonb('options').$type<string[]>().notNull(),
  closesAt: ts('closes_at').notNull(),
  broadcastId: integer('broadcast_id').references(() => broadcasts.id),
  createdByOfficerId: integer('created_by_officer_id').references(() => officers.id),
  createdAt: createdAt(),
});

export const pollVotes = pgTable(
  'poll_votes',
  {
    id: id(),
    pollId: integer('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    optionIndex: integer('option_index').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('poll_votes_poll_member_uq').on(t.pollId, t.memberId)],
);

