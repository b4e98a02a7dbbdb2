/**
 * The simulated Zalo servers mounted under /simulator in demo mode: OA Open API (messages are recorded
 * for the simulator page), OAuth v4 and the graph API used to verify mini-app users. Only for demo mode:
 * it accepts any OA token and issues demo tokens.
 */
import crypto from 'node:crypto';
import express, { Router } from 'express';
import type { Db } from '../../shared/db/client';
import { getMemberByZaloAppUserId, getMemberByZaloUserId, getMemberByCode } from '../../shared/db/queries/members';
import type { SimulatorStore } from './store';

const ok = (data: unknown) => ({ error: 0, message: 'Success', data });

/** Demo mini-app tokens are `demo-<zaloAppUserId>`; demo phone tokens are `demo-phone-<zaloAppUserId>`. */
export const DEMO_TOKEN_PREFIX = 'demo-';
export const DEMO_PHONE_PREFIX = 'demo-phone-';

/** Unlinked demo identities: a Zalo user whose phone matches member DV000NN but who has not linked yet. */
export const UNLINKED_DEMO = [
  { zaloAppUserId: '5390000000000000041', name: 'Người dùng Zalo mới (có số điện thoại)', memberCode: 'DV00041' },
  { zaloAppUserId: '5390000000000000042', name: 'Người dùng Zalo mới (nhập mã đoàn viên)', memberCode: 'DV00042' },
];

export function simulatedZaloApi(deps: { db: Db; store: SimulatorStore }): Router {
  const r = Router();
  r.use(express.json({ limit: '256kb' }));
  r.use(express.urlencoded({ extended: false }));

  r.post('/openapi/v3.0/oa/message/:kind', (req, res) => {
    const userId = String(req.body?.recipient?.user_id ?? '');
    const message = req.body?.message;
    if (!userId || !message) return void res.json({ error: -201, message: 'Parameters are invalid' });
    deps.store.add({ userId, from: 'oa', kind: req.params.kind, message });
    res.json(ok({ message_id: crypto.randomBytes(16).toString('hex'), user_id: userId }));
  });

  r.get('/openapi/v3.0/oa/user/detail', async (req, res) => {
    let userId = '';
    try {
      userId = String(JSON.parse(String(req.query.data ?? '{}')).user_id ?? '');
    } catch {
      /* bad data param */
    }
    const member = userId ? await getMemberByZaloUserId(deps.db, userId) : undefined;
    res.json(
      ok({
        user_id: userId,
        user_id_by_app: member?.zaloAppUserId ?? null,
        display_name: member?.fullName ?? 'Người dùng Zalo',
        avatar: null,
        user_is_follower: true,
        tags_and_notes_info: { tag_names: [], notes: [] },
      }),
    );
  });

  r.post('/openapi/v2.0/oa/tag/:op', (_req, res) => void res.json({ error: 0, message: 'Success' }));

  r.post('/oauth/v4/oa/access_token', (_req, res) => {
    res.json({
      access_token: `demo-access-${crypto.randomBytes(6).toString('hex')}`,
      refresh_token: `demo-refresh-${crypto.randomBytes(6).toString('hex')}`,
      expires_in: '90000',
    });
  });

  r.get('/graph/v2.0/me', async (req, res) => {
    const token = String(req.get('access_token') ?? '');
    if (!token.startsWith(DEMO_TOKEN_PREFIX) || token.startsWith(DEMO_PHONE_PREFIX)) {
      return void res.json({ error: 452, message: 'Invalid access token' });
    }
    const appUserId = token.slice(DEMO_TOKEN_PREFIX.length);
    if (!/^\d{5,30}$/.test(appUserId)) return void res.json({ error: 452, message: 'Invalid access token' });
    const member = await getMemberByZaloAppUserId(deps.db, appUserId);
    const unlinked = UNLINKED_DEMO.find((u) => u.zaloAppUserId === appUserId);
    res.json({
      id: appUserId,
      name: member?.fullName ?? unlinked?.name ?? 'Người dùng Zalo',
      user_id_by_oa: member?.zaloUserId ?? undefined,
      is_follower: true,
      picture: { data: { url: 'https://h5.zdn.vn/static/images/avatar.png' } },
    });
  });

  r.get('/graph/v2.0/me/info', async (req, res) => {
    const code = String(req.get('code') ?? '');
    const unlinked = UNLINKED_DEMO.find((u) => code === `${DEMO_PHONE_PREFIX}${u.zaloAppUserId}`);
    const member = unlinked ? await getMemberByCode(deps.db, unlinked.memberCode) : undefined;
    if (!member?.phone) return void res.json({ error: -501, message: 'Invalid code' });
    res.json({ error: 0, message: 'Success', data: { number: member.phone.replace(/^\+/, '') } });
  });

  return r;
}
