/** Audit log of officer actions and personal-data exports; key/value app settings (generated secrets). */
import { integer, jsonb, pgTable, text, index } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common';
import { officers } from './members';

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    officerId: integer('officer_id').references(() => officers.id),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: createdAt(),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
