/**
 * /simulator (demo mode only): a web page where you chat with the OA as a fake worker. Your messages
 * become signed webhook events posted to the real /webhook/zalo; the OA's replies arrive through the
 * simulated Open API (zalo-api.ts) exactly as the Zalo client sent them.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import axios from 'axios';
import express, { Router } from 'express';
import { z } from 'zod';
import { and, isNotNull, asc } from 'drizzle-orm';
import type { Db } from '../../shared/db/client';
import { members } from '../../shared/db/schema';
import { getMemberByZaloUserId } from '../../shared/db/queries/members';
import { computeWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../shared/zalo';
import { parseInput } from '../../shared/http/validate';
import { SimulatorStore } from './store';
import { simulatedZaloApi } from './zalo-api';

const sendBody = z.object({
  userId: z.string().regex(/^\d{5,30}$/, 'userId must be digits'),
  type: z.enum(['text', 'follow', 'unfollow', 'submit_info']).default('text'),
  text: z.string().max(2000).optional(),
  hidden: z.boolean().optional(),
  phone: z.string().max(20).optional(),
});

export interface SimulatorDeps {
  db: Db;
  appId: string;
  oaId: string;
  /** When set, events are signed exactly as Zalo signs them. */
  oaSecretKey?: string;
  store?: SimulatorStore;
}

export function simulatorRouter(deps: SimulatorDeps): Router {
  const store = deps.store ?? new SimulatorStore();
  const r = Router();
  r.use('/simulator', simulatedZaloApi({ db: deps.db, store }));
  r.get('/simulator', (_req, res) => res.sendFile(path.join(__dirname, 'page.html')));

  r.get('/simulator/api/users', async (_req, res) => {
    const rows = await deps.db
      .select({ zaloUserId: members.zaloUserId, fullName: members.fullName, memberCode: members.memberCode })
      .from(members)
      .where(and(isNotNull(members.zaloUserId)))
      .orderBy(asc(members.id))
      .limit(30);
    res.json({ linked: rows, newWorkerId: `79${String(Date.now()).slice(-13)}${crypto.randomInt(1000, 9999)}` });
  });

  r.get('/simulator/api/messages', (req, res) => {
    const userId = String(req.query.userId ?? '');
    const after = Number(req.query.after ?? 0) || 0;
    res.json({ items: store.since(userId, after) });
  });

  r.post('/simulator/api/send', express.json(), async (req, res) => {
    const body = parseInput(sendBody, req.body);
    const member = await getMemberByZaloUserId(deps.db, body.userId);
    const base = {
      app_id: deps.appId,
      user_id_by_app: member?.zaloAppUserId ?? `5${body.userId.slice(1)}`,
      timestamp: String(Date.now()),
    };
    let event: Record<string, unknown>;
    if (body.type === 'follow' || body.type === 'unfollow') {
      event = { ...base, event_name: body.type, oa_id: deps.oaId, source: 'oa_profile', follower: { id: body.userId } };
    } else if (body.type === 'submit_info') {
      event = {
        ...base,
        event_name: 'user_submit_info',
        sender: { id: body.userId },
        recipient: { id: deps.oaId },
        info: { name: member?.fullName ?? 'Người lao động', phone: (body.phone ?? member?.phone ?? '').replace(/^\+/, '') },
      };
    } else {
      const text = (body.text ?? '').trim();
      if (!text) return void res.status(400).json({ error: { code: 'EMPTY_TEXT', message: 'Tin nhắn trống' } });
      event = {
        ...base,
        event_name: 'user_send_text',
        sender: { id: body.userId },
        recipient: { id: deps.oaId },
        message: { msg_id: crypto.randomBytes(16).toString('hex'), text },
      };
      if (!body.hidden) store.add({ userId: body.userId, from: 'user', text });
    }
    const raw = JSON.stringify(event);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (deps.oaSecretKey) headers[WEBHOOK_SIGNATURE_HEADER] = computeWebhookSignature(deps.appId, raw, String(event.timestamp), deps.oaSecretKey);
    const self = `${req.protocol}://${req.get('host')}`;
    const resp = await axios.post(`${self}/webhook/zalo`, raw, { headers, validateStatus: () => true, timeout: 5000 });
    res.status(resp.status === 200 ? 202 : 502).json({ webhookStatus: resp.status });
  });

  return r;
}
