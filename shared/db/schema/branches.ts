/** The union tree: federation → grassroots union → team. */
import { index, integer, pgTable, text, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common';

export const branches = pgTable(
  'branches',
  {
    id: id(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => branches.id),
    createdAt: createdAt(),
  },
  (t) => [index('branches_parent_idx').on(t.parentId)],
);
