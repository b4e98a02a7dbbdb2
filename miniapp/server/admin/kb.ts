/**
 * Officer API for the knowledge base: viewers read, officers edit. Every write bumps the KB version so
 * each process re-indexes within seconds; `POST /kb/try` shows what a question would match.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import { conflict, notFound } from '../../../shared/errors';
import { idParam, parseInput } from '../../../shared/http/validate';
import { writeAudit } from '../../../shared/db/queries/audit';
import { createKbEntry, deactivateKbEntry, getKbEntry, listKbEntries, unansweredQuestions, topQuestions, updateKbEntry } from '../../../shared/db/queries/kb';
import type { KbIndex } from '../../../shared/kb/kb-index';
import { adminLocals, requireRole } from './auth';

const entryBody = z.object({
  slug: z.string().trim().regex(/^[a-z0-9-]{3,80}$/, 'slug: lowercase letters, digits and dashes').optional(),
  topic: z.string().trim().min(2).max(100),
  question: z.string().trim().min(5).max(300),
  variants: z.array(z.string().trim().min(2).max(300)).max(50).default([]),
  keywords: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
  answer: z.string().trim().min(10).max(1800),
  citation: z.string().trim().min(3).max(300),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'effectiveFrom: YYYY-MM-DD').nullable().optional(),
  sourceUrl: z.string().url().nullable().optional(),
  active: z.boolean().optional(),
});
const tryBody = z.object({ question: z.string().trim().min(1).max(1000) });

const slugify = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

export function kbRoutes(deps: { db: Db; kb: KbIndex }): Router {
  const { db } = deps;
  const r = Router();

  r.get('/kb', async (_req, res) => {
    res.json({ items: await listKbEntries(db) });
  });

  r.get('/kb/stats', async (_req, res) => {
    const since = new Date(Date.now() - 30 * 86400_000);
    res.json({ top: await topQuestions(db, since), unanswered: await unansweredQuestions(db, since, adminLocals(res).scope) });
  });

  r.get('/kb/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const e = await getKbEntry(db, id);
    if (!e) throw notFound('KB_ENTRY_NOT_FOUND', 'Không tìm thấy mục hỏi đáp');
    res.json(e);
  });

  r.post('/kb/try', async (req, res) => {
    const { question } = parseInput(tryBody, req.body);
    await deps.kb.refreshIfChanged();
    const engine = deps.kb.engine();
    const answer = engine.answer(question);
    const hits = engine.search(question, 5).map((h) => ({ id: h.entry.id, slug: h.entry.slug, question: h.entry.question, score: h.score }));
    res.json({ kind: answer.kind, text: answer.text, hits });
  });

  r.post('/kb', requireRole('officer'), async (req, res) => {
    const body = parseInput(entryBody, req.body);
    const { officer } = adminLocals(res);
    const slug = body.slug ?? `${slugify(body.question)}-${Date.now().toString(36)}`;
    let row;
    try {
      row = await createKbEntry(db, { ...body, slug, effectiveFrom: body.effectiveFrom ?? null, sourceUrl: body.sourceUrl ?? null, updatedByOfficerId: officer.id });
    } catch (err) {
      if (/unique|duplicate/i.test(String((err as Error).message))) throw conflict('KB_SLUG_TAKEN', `slug "${slug}" đã tồn tại`);
      throw err;
    }
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'kb.create', target: `kb:${row.id}` });
    await deps.kb.refreshIfChanged();
    res.status(201).json(row);
  });

  r.put('/kb/:id', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const body = parseInput(entryBody.partial(), req.body);
    const { officer } = adminLocals(res);
    const row = await updateKbEntry(db, id, { ...body, updatedByOfficerId: officer.id });
    if (!row) throw notFound('KB_ENTRY_NOT_FOUND', 'Không tìm thấy mục hỏi đáp');
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'kb.update', target: `kb:${id}` });
    await deps.kb.refreshIfChanged();
    res.json(row);
  });

  r.delete('/kb/:id', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer } = adminLocals(res);
    if (!(await deactivateKbEntry(db, id, officer.id))) throw notFound('KB_ENTRY_NOT_FOUND', 'Không tìm thấy mục hỏi đáp');
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'kb.delete', target: `kb:${id}` });
    await deps.kb.refreshIfChanged();
    res.json({ ok: true });
  });

  return r;
}
