/** zod at the HTTP boundary: a failed parse becomes a 400 with field paths. */
import { z } from 'zod';
import { zodToAppError } from './error-handler';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodToAppError(r.error);
  return r.data;
}

/** Largest row id (PostgreSQL `integer`): a bigger one in a URL would fail in the database as a 500. */
export const ROW_ID_MAX = 2_147_483_647;
/** A row id from a URL or a query string. */
export const rowId = z.coerce.number().int().positive().max(ROW_ID_MAX);
/** `/:id` route parameters. */
export const idParam = z.object({ id: rowId });
