/**
 * Officer API for announcements: write, edit, publish. Published ones are what members read in chat
 * ("thông báo") and the mini-app; a broadcast can carry one to every member's Zalo.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { Clock } from '../../../shared/clock';
import { notFound } from '../../../shared/errors';
import { idParam, parseInput } from '../../../shared/http/validate';
import { writeAudit } from '../../../shared/db/queries/audit';
import {
  createAnnouncement,
  getAnnouncementInScope,
  listAnnouncementsInScope,
  updateAnnouncement,
  type Announcement,
} from '../../../shared/db/queries/announcements';
import { adminLocals, branchIdInScope, requireRole } from './auth';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(1000);
const fields = {
  title: z.string().trim().min(1, 'title is required').max(200),
  body: z.string().trim().min(1, 'body is required').max(10_000),
  imageUrl: httpUrl.nullish(),
  linkUrl: httpUrl.nullish(),
  /** A branch inside the officer's subtree; default the officer's own branch. */
  branchCode: z.string().trim().min(1).max(64).optional(),
  published: z.boolean().optional(),
};
const createBody = z.object(fields);
const updateBody = z
  .object({ ...fields, title: fields.title.optional(), body: fields.body.optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
const listQuery = z.object({
  published: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const NOT_FOUND = () => notFound('ANNOUNCEMENT_NOT_FOUND', 'Không tìm thấy thông báo / announcement not found');

export function toAnnouncementView(a: Announcement) {
  return {
    id: a.id,
    branchId: a.branchId,
    title: a.title,
    body: a.body,
    imageUrl: a.imageUrl,
    linkUrl: a.linkUrl,
    published: a.publishedAt !== null,
    publishedAt: a.publishedAt,
    authorOfficerId: a.authorOfficerId,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}


export function announcementRoutes(deps: { db: Db; clock: Clock }): Router {
  const { db, clock } = deps;
  const r = Router();

  r.get('/announcements', async (req, res) => {
    const q = parseInput(listQuery, req.query);
    const { items, total } = await listAnnouncementsInScope(db, adminLocals(res).scope, {
      published: q.published,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    res.json({ items: items.map(toAnnouncementView), total, page: q.page, pageSize: q.pageSize });
  });

  r.get('/announcements/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const a = await getAnnouncementInScope(db, id, adminLocals(res).scope);
    if (!a) throw NOT_FOUND();
    res.json(toAnnouncementView(a));
  });

  r.post('/announcements', requireRole('officer'), async (req, res) => {
    const body = parseInput(createBody, req.body);
    const { officer, scope } = adminLocals(res);
    const branchId = await branchIdInScope(db, body.branchCode, scope, officer.branchId);
    const a = await createAnnouncement(db, {
      branchId,
      title: body.title,
      body: body.body,
      imageUrl: body.imageUrl ?? null,
      linkUrl: body.linkUrl ?? null,
      publishedAt: body.published ? clock.now() : null,
      authorOfficerId: officer.id,
    });
    await writeAudit(db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'announcement.create', target: `announcement:${a.id}` });
    res.status(201).json(toAnnouncementView(a));
  });

  r.put('/announcements/:id', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const body = parseInput(updateBody, req.body);
    const { officer, scope } = adminLocals(res);
    const current = await getAnnouncementInScope(db, id, scope);
    if (!current) throw NOT_FOUND();
    const patch: Parameters<typeof updateAnnouncement>[2] = {};
    if (body.title !== undefined) patch.title = body.title;
    if (body.body !== undefined) patch.body = body.body;
    if (body.imageUrl !== undefined) patch.imageUrl = body.imageUrl;
    if (body.linkUrl !== undefined) patch.linkUrl = body.linkUrl;
    if (body.branchCode !== undefined) patch.branchId = await branchIdInScope(db, body.branchCode, scope, officer.branchId);
    // Publishing keeps the first publication time; unpublishing hides it from members again.
    if (body.published === true && !current.publishedAt) patch.publishedAt = clock.now();
    if (body.published === false) patch.publishedAt = null;
    const a = await updateAnnouncement(db, id, patch);
    await writeAudit(db, {
      officerId: officer.id,
      actor: `officer:${officer.id}`,
      action: 'announcement.update',
      target: `announcement:${id}`,
      details: { fields: Object.keys(body) },
    });
    res.json(toAnnouncementView(a));
  });

  return r;
}
