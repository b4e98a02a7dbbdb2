/** Members of the union and the officers who manage them. */
import { date, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { branches } from './branches';
import { createdAt, id, ts, updatedAt } from './common';

export const memberStatuses = ['active', 'suspended', 'left'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

export const members = pgTable(
  'members',
  {
    id: id(),
    memberCode: text('member_code').notNull().unique(),
    fullName: text('full_name').notNull(),
    /** Lowercase, no diacritics: for search by name typed without accents. */
    searchName: text('search_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    gender: text('gender'),
    phone: text('phone'),
    nationalId: text('national_id'),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    joinedAt: date('joined_at', { mode: 'string' }),
    status: text('status', { enum: memberStatuses }).notNull().default('active'),
    /** OA follower id (webhook sender.id). */
    zaloUserId: text('zalo_user_id'),
    /** Per-Zalo-App id (mini-app userInfo.id, webhook user_id_by_app). */
    zaloAppUserId: text('zalo_app_user_id'),
    /** Set on unfollow: broadcasts skip the member until they follow again. */
    unfollowedAt: ts('unfollowed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('members_zalo_user_id_uq').on(t.zaloUserId),
    uniqueIndex('members_zalo_app_user_id_uq').on(t.zaloAppUserId),
    index('members_branch_idx').on(t.branchId, t.status),
    index('members_phone_idx').on(t.phone),
    index('members_search_name_idx').on(t.searchName),
  ],
);

export const officerRoles = ['admin', 'officer', 'viewer'] as const;
export type OfficerRole = (typeof officerRoles)[number];

export const officers = pgTable(
  'officers',
  {
    id: id(),
    memberId: integer('member_id').references(() => members.id),
    name: text('name').notNull(),
    phone: text('phone'),
    zaloUserId: text('zalo_user_id'),
    branchId: integer('branch_id')
      .notNull()
      .references(() => branches.id),
    role: text('role', { enum: officerRoles }).notNull(),
    /** sha256 of the API token; the token itself is shown once. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('officers_branch_idx').on(t.branchId)],
);

export const officerSessions = pgTable('officer_sessions', {
  /** sha256 of the session cookie value. */
  idHash: text('id_hash').primaryKey(),
  officerId: integer('officer_id')
    .notNull()
    .references(() => officers.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: createdAt(),
});
