/** Officer API for hand-off tickets: list, read the history, reply (sent to the user as a cs message), close. */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../../shared/db/client';
import type { ZaloClient } from '../../../shared/zalo';
import { notFound } from '../../../shared/errors';
import { idParam, parseInput } from '../../../shared/http/validate';
import { vi } from '../../../shared/i18n/vi';
import { writeAudit } from '../../../shared/db/queries/audit';
import { addTicketMessage, getTicketInScope, getTicketMessages, listTickets, setTicketStatus } from '../../../shared/db/queries/handoffs';
import { handoffStatuses } from '../../../shared/db/schema';
import { adminLocals, requireRole } from './auth';

const replyBody = z.object({ text: z.string().trim().min(1, 'text is required').max(4000) });
const listQuery = z.object({ status: z.enum(handoffStatuses).optional() });

export function handoffRoutes(deps: { db: Db; zalo: ZaloClient }): Router {
  const r = Router();

  r.get('/handoffs', async (req, res) => {
    const { scope } = adminLocals(res);
    const { status } = parseInput(listQuery, req.query);
    res.json({ items: await listTickets(deps.db, scope, status) });
  });

  r.get('/handoffs/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const ticket = await getTicketInScope(deps.db, id, adminLocals(res).scope);
    if (!ticket) throw notFound('TICKET_NOT_FOUND', 'Không tìm thấy phiếu hỗ trợ / ticket not found');
    res.json({ ...ticket, messages: await getTicketMessages(deps.db, id) });
  });

  r.post('/handoffs/:id/reply', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { text } = parseInput(replyBody, req.body);
    const { officer, scope } = adminLocals(res);
    const ticket = await getTicketInScope(deps.db, id, scope);
    if (!ticket) throw notFound('TICKET_NOT_FOUND', 'Không tìm thấy phiếu hỗ trợ / ticket not found');
    const sent = await deps.zalo.sendText(ticket.zaloUserId, vi.handoff.officerReply(text), 'cs');
    await addTicketMessage(deps.db, { ticketId: id, author: 'officer', text, officerId: officer.id }, 'answered');
    await writeAudit(deps.db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'handoff.reply', target: `ticket:${id}` });
    res.json({ ok: true, messageIds: sent.messageIds });
  });

  r.post('/handoffs/:id/close', requireRole('officer'), async (req, res) => {
    const { id } = parseInput(idParam, req.params);
    const { officer, scope } = adminLocals(res);
    const ticket = await getTicketInScope(deps.db, id, scope);
    if (!ticket) throw notFound('TICKET_NOT_FOUND', 'Không tìm thấy phiếu hỗ trợ / ticket not found');
    await setTicketStatus(deps.db, id, 'closed');
    await writeAudit(deps.db, { officerId: officer.id, actor: `officer:${officer.id}`, action: 'handoff.close', target: `ticket:${id}` });
    res.json({ ok: true });
  });

  return r;
}
