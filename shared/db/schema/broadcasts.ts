/** Broadcasts and their per-recipient delivery ledger (the source of truth; queue jobs carry ids). */
import { index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { branches } from './branches';
import { createdAt, id, ts, updatedAt } from './common';
import { announcements } from './content';
import { members, officers } from './members';

export const broadcastStatuses = ['draft', 'scheduled', 'sending', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];

export interface BroadcastSegment {
  branchCodes?: string[];
  memberCodes?: string[];
  linkedOnly?: boolean;
}

export interface BroadcastMessage {
  title: string;
  text: string;
  imageUrl?: string;
  linkUrl?: string;
  /** Query buttons; `hidden` ones post their payload without showing it as the member's message (poll options). */
  buttons?: { title: string; payload: string; hidden?: boolean }[];
}

export const broadcasts = pgTable(
  'broadcasts',
  {
    id: id(),
    announcementId: integer('announcement_id').references(() => announcements.id),
    /** The officer's branch: the segment is always inside this subtree. */
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    segment: jsonb('segment').$type<BroadcastSegment>().notNull(),
    message: jsonb('message').$type<BroadcastMessage>().notNull(),
    status: text('status', { enum: broadcastStatuses }).notNull().default('draft'),
    scheduledAt: ts('scheduled_at'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    createdByOfficerId: integer('created_by_officer_id').references(() => officers.id),
    total: integer('total').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('broadcasts_status_idx').on(t.status, t.scheduledAt)],
);

export const deliveryStatuses = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const broadcastDeliveries = pgTable(
  'broadcast_deliveries',
  {
    id: id(),
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    zaloUserId: text('zalo_user_id'),
    status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastErrorCode: text('last_error_code'),
    lastError: text('last_error'),
    zaloMessageId: text('zalo_message_id'),
    claimedAt: ts('claimed_at'),
    sentAt: ts('sent_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('broadcast_deliveries_broadcast_member_uq').on(t.broadcastId, t.memberId),
    // id last: keyset batches (enqueue, sweep, cancel) and paged lists walk one status in id order.
    index('broadcast_deliveries_status_idx').on(t.broadcastId, t.status, t.id),
    // Progress rate and ETA count the sends of the last seconds.
    index('broadcast_deliveries_sent_idx').on(t.broadcastId, t.sentAt),
  ],
);
