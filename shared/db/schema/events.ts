/** Meetings/congresses and their check-ins (one row per event and member, enforced by the database). */
import { index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { branches } from './branches';
import { createdAt, id, ts } from './common';
import { members, officers } from './members';

export const events = pgTable('events', {
  id: id(),
  branchId: integer('branch_id')
    .notNull()
    .references(() => branches.id),
  title: text('title').notNull(),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  location: text('location'),
  /** Short code people can type when a camera is not available. */
  code: text('code').notNull().unique(),
  createdByOfficerId: integer('created_by_officer_id').references(() => officers.id),
  createdAt: createdAt(),
});

export const checkinMethods = ['self', 'officer'] as const;

export const checkins = pgTable(
  'checkins',
  {
    id: id(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    at: ts('at').notNull().defaultNow(),
    method: text('method', { enum: checkinMethods }).notNull(),
    byOfficerId: integer('by_officer_id').references(() => officers.id),
    /** Idempotency key of an officer's scan: a re-sent offline scan gets its original answer. */
    scanId: text('scan_id'),
  },
  (t) => [unique('checkins_event_member_uq').on(t.eventId, t.memberId), index('checkins_event_at_idx').on(t.eventId, t.at)],
);
