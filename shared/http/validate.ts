/** zod at the HTTP boundary: a failed parse becomes a 400 with field paths. */
import type { z } from 'zod';
import { zodToAppError } from './error-handler';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodToAppError(r.error);
  return r.data;
}
