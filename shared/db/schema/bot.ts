/** OA-side state: webhook inbox, conversations, hand-off tickets, Zalo tokens, link attempts. */
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, ts, updatedAt } from './common';
import { members, officers } from './members';

export const inboxStatuses = ['pending', 'done', 'failed', 'ignored'] as const;

export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: id(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    eventName: text('event_name').notNull(),
    zaloUserId: text('zalo_user_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: inboxStatuses }).notNull().default('pending'),
    receivedAt: ts('received_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    error: text('error'),
  },
  (t) => [index('webhook_inbox_pending_idx').on(t.status, t.nextAttemptAt)],
);

export const conversations = pgTable('conversations', {
  zaloUserId: text('zalo_user_id').primaryKey(),
  state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});

export const handoffStatuses = ['open', 'answered', 'closed'] as const;

export const handoffTickets = pgTable(
  'handoff_tickets',
  {
    id: id(),
    zaloUserId: text('zalo_user_id').notNull(),
    memberId: integer('member_id').references(() => members.id),
    question: text('question').notNull(),
    status: text('status', { enum: handoffStatuses }).notNull().default('open'),
    assignedOfficerId: integer('assigned_officer_id').references(() => officers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('handoff_tickets_status_idx').on(t.status, t.createdAt)],
);

export const handoffMessages = pgTable('handoff_messages', {
  id: id(),
  ticketId: integer('ticket_id')
    .notNull()
    .references(() => handoffTickets.id, { onDelete: 'cascade' }),
  author: text('author', { enum: ['user', 'officer', 'bot'] }).notNull(),
  officerId: integer('officer_id').references(() => officers.id),
  text: text('text').notNull(),
  createdAt: createdAt(),
});

/** Single row (id = 1): the OA token pair; refreshed under a row lock so one process refreshes. */
export const zaloTokens = pgTable('zalo_tokens', {
  id: integer('id').primaryKey(),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token').notNull(),
  expiresAt: ts('expires_at').notNull(),
  updatedAt: updatedAt(),
});

/** Failed member-link attempts, counted per key (Zalo user id or mini-app id) per hour. */
export const linkAttempts = pgTable(
  'link_attempts',
  {
    id: id(),
    key: text('key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('link_attempts_key_idx').on(t.key, t.createdAt)],
);
