/** Shape of a knowledge-base entry as stored in the seed files (`shared/qa/kb/*.json`) and `kb_entries`. */
import { z } from 'zod';

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export const kbSeedEntrySchema = z.object({
  slug: z.string().regex(SLUG_RE, 'slug must be kebab-case (a-z, 0-9, -)'),
  topic: z.string().trim().min(2),
  question: z.string().trim().min(5),
  variants: z.array(z.string().trim().min(2)).min(4, 'at least 4 variants'),
  keywords: z.array(z.string().trim().min(1)).min(1),
  answer: z.string().trim().min(10).max(900),
  citation: z.string().trim().min(3),
  effectiveFrom: z
    .string()
    .regex(DATE_RE, 'effectiveFrom must be YYYY-MM-DD')
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'effectiveFrom is not a real date')
    .nullable(),
  sourceUrl: z.url().nullable(),
});

export type KbSeedEntry = z.infer<typeof kbSeedEntrySchema>;

/** An entry as loaded from the database (`kb_entries.id`). */
export type KbEntry = KbSeedEntry & { id: number };
