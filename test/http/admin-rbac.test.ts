/**
 * Table-driven RBAC over the admin routes: roles (admin/officer/viewer) of branch A × resources of their
 * own subtree vs branch B. Below the route's role → 403; another branch's id → 404; else allowed.
 */
import request from 'supertest';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { createEvent } from '../../shared/db/queries/events';
import { createBroadcast } from '../../shared/db/queries/broadcasts';
import { createTicket } from '../../shared/db/queries/handoffs';
import { createAnnouncement } from '../../shared/db/queries/announcements';
import { createPoll } from '../../shared/db/queries/polls';
import { welfarePrograms, welfareRegistrations, type OfficerRole } from '../../shared/db/schema';
import { signMemberQr } from '../../shared/qr/tokens';
import type { Branch } from '../../shared/db/queries/branches';
import { useFakeZaloApp, type TestApp } from '../helpers/fake-zalo-app';

let t: TestApp;
let root: Branch, A: Branch, A1: Branch, B: Branch;
const tokens: Record<string, string> = {};
let officerIdA = 0;
let seq = 0;

useFakeZaloApp({}, async (s) => {
  ({ t } = s);
  root = await makeBranch(t.db, { code: 'RB-ROOT' });
  A = await makeBranch(t.db, { code: 'RB-A', parentId: root.id });
  A1 = await makeBranch(t.db, { code: 'RB-A1', parentId: A.id });
  B = await makeBranch(t.db, { code: 'RB-B', parentId: root.id });
  for (const role of ['admin', 'officer', 'viewer'] as const) {
    const o = await makeOfficer(t.db, { branchId: A.id, role, zaloUserId: zaloId() });
    tokens[role] = o.token;
    if (role === 'officer') officerIdA = o.officer.id;
  }
  tokens.rootAdmin = (await makeOfficer(t.db, { branchId: root.id, role: 'admin' })).token;
});

const RANK: Record<OfficerRole, number> = { viewer: 0, officer: 1, admin: 2 };

/** Builds a fresh resource in `branchId` and returns the request to make against it. */
interface Case {
  name: string;
  min: OfficerRole;
  /** False for routes that take no branch-scoped id (only the role matters). */
  scoped: boolean;
  make(branchId: number): Promise<{ method: 'get' | 'post' | 'put' | 'delete'; path: string; body?: object }>;
}

const member = (branchId: number) => makeMember(t.db, { branchId, zaloUserId: zaloId() });
const event = (branchId: number) =>
  createEvent(t.db, { branchId, title: 'Hội nghị RBAC', startsAt: new Date(), endsAt: new Date(Date.now() + 3600_000), code: `RB${++seq}${Date.now() % 100000}` });
const broadcast = (branchId: number) =>
  createBroadcast(t.db, { branchId, segment: {}, message: { title: 'Tin RBAC', text: 'Nội dung' }, scheduledAt: null, announcementId: null, createdByOfficerId: officerIdA, total: 0 });
const announcement = (branchId: number) => createAnnouncement(t.db, { branchId, title: 'Thông báo RBAC', body: 'Nội dung thông báo', authorOfficerId: officerIdA });
const poll = (branchId: number) =>
  createPoll(t.db, { branchId, question: 'Bình chọn RBAC?', options: ['Có', 'Không'], closesAt: new Date(Date.now() + 86400_000), createdByOfficerId: officerIdA });
async function ticket(branchId: number) {
  const m = await member(branchId);
  return createTicket(t.db, { zaloUserId: m.zaloUserId!, memberId: m.id, question: 'Cho hỏi về chế độ thai sản?' });
}
async function program(branchId: number) {
  const [p] = await t.db
    .insert(welfarePrograms)
    .values({ branchId, code: `RBP${++seq}`, title: 'Quà Tết RBAC', opensAt: new Date(Date.now() - 86400_000), closesAt: new Date(Date.now() + 86400_000) })
    .returning();
  return p;
}
async function registration(branchId: number) {
  const p = await program(branchId);
  const m = await member(branchId);
  const [r] = await t.db.insert(welfareRegistrations).values({ programId: p.id, memberId: m.id }).returning();
  return { p, r };
}

const CASES: Case[] = [
  { name: 'GET /dashboard', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/dashboard' }) },
  { name: 'GET /audit', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/audit' }) },
  { name: 'GET /branches', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/branches' }) },
  { name: 'GET /members', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/members?q=nguyen' }) },
  { name: 'GET /members?branchId', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/members?branchId=${b}` }) },
  { name: 'GET /members/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/members/${(await member(b)).id}` }) },
  { name: 'GET /members/export', min: 'admin', scoped: false, make: async () => ({ method: 'get', path: '/members/export?format=csv' }) },
  { name: 'GET /members/export?branchId', min: 'admin', scoped: true, make: async (b) => ({ method: 'get', path: `/members/export?format=csv&branchId=${b}` }) },
  { name: 'GET /members/:id/personal-data', min: 'admin', scoped: true, make: async (b) => ({ method: 'get', path: `/members/${(await member(b)).id}/personal-data` }) },
  { name: 'POST /members/:id/anonymize', min: 'admin', scoped: true, make: async (b) => ({ method: 'post', path: `/members/${(await member(b)).id}/anonymize` }) },
  {
    name: 'POST /members/imports',
    min: 'officer',
    scoped: false,
    make: async () => ({ method: 'post', path: '/members/imports?filename=a.csv', body: { csv: 'member_code,full_name\nRBX1,Lê Văn Tư\n' } }),
  },
  { name: 'GET /events/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/events/${(await event(b)).id}` }) },
  { name: 'GET /events/:id/checkins', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/events/${(await event(b)).id}/checkins` }) },
  {
    name: 'POST /events/:id/checkins',
    min: 'officer',
    scoped: true,
    make: async (b) => {
      const e = await event(b);
      const m = await member(b);
      return { method: 'post', path: `/events/${e.id}/checkins`, body: { memberQr: signMemberQr(t.deps.qrKeys, m.id, new Date()).token } };
    },
  },
  { name: 'POST /events', min: 'officer', scoped: false, make: async () => ({ method: 'post', path: '/events', body: { title: 'Sự kiện mới', startsAt: new Date().toISOString() } }) },
  { name: 'GET /broadcasts/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/broadcasts/${(await broadcast(b)).id}` }) },
  { name: 'GET /broadcasts/:id/deliveries', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/broadcasts/${(await broadcast(b)).id}/deliveries` }) },
  { name: 'POST /broadcasts/:id/cancel', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/broadcasts/${(await broadcast(b)).id}/cancel` }) },
  { name: 'POST /broadcasts/:id/send', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/broadcasts/${(await broadcast(b)).id}/send` }) },
  {
    name: 'POST /broadcasts',
    min: 'officer',
    scoped: false,
    make: async () => ({ method: 'post', path: '/broadcasts', body: { title: 'Thông báo', text: 'Nội dung thông báo', segment: { branchCodes: ['RB-A1'] } } }),
  },
  { name: 'GET /handoffs/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/handoffs/${(await ticket(b)).id}` }) },
  { name: 'POST /handoffs/:id/reply', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/handoffs/${(await ticket(b)).id}/reply`, body: { text: 'Chào anh/chị, cán bộ trả lời.' } }) },
  { name: 'POST /handoffs/:id/close', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/handoffs/${(await ticket(b)).id}/close` }) },
  { name: 'GET /kb', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/kb' }) },
  { name: 'POST /kb/try', min: 'viewer', scoped: false, make: async () => ({ method: 'post', path: '/kb/try', body: { question: 'nghỉ thai sản mấy tháng' } }) },
  {
    name: 'POST /kb',
    min: 'officer',
    scoped: false,
    make: async () => ({
      method: 'post',
      path: '/kb',
      body: { topic: 'Thử', question: `Câu hỏi thử RBAC ${++seq}?`, answer: 'Câu trả lời đủ dài để hợp lệ.', citation: 'Điều 1 Luật Thử' },
    }),
  },
  { name: 'GET /welfare-programs/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/welfare-programs/${(await program(b)).id}` }) },
  { name: 'GET /welfare-programs/:id/registrations', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/welfare-programs/${(await program(b)).id}/registrations` }) },
  {
    name: 'POST /welfare-programs/:id/registrations/bulk',
    min: 'officer',
    scoped: true,
    make: async (b) => {
      const { p, r } = await registration(b);
      return { method: 'post', path: `/welfare-programs/${p.id}/registrations/bulk`, body: { ids: [r.id], action: 'approve' } };
    },
  },
  { name: 'GET /ops/status', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/ops/status' }) },
  { name: 'GET /announcements', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/announcements' }) },
  { name: 'GET /announcements/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/announcements/${(await announcement(b)).id}` }) },
  {
    name: 'POST /announcements',
    min: 'officer',
    scoped: false,
    make: async () => ({ method: 'post', path: '/announcements', body: { title: 'Thông báo mới', body: 'Nội dung', branchCode: 'RB-A1', published: true } }),
  },
  { name: 'PUT /announcements/:id', min: 'officer', scoped: true, make: async (b) => ({ method: 'put', path: `/announcements/${(await announcement(b)).id}`, body: { published: true } }) },
  { name: 'GET /polls', min: 'viewer', scoped: false, make: async () => ({ method: 'get', path: '/polls' }) },
  { name: 'GET /polls/:id', min: 'viewer', scoped: true, make: async (b) => ({ method: 'get', path: `/polls/${(await poll(b)).id}` }) },
  {
    name: 'POST /polls',
    min: 'officer',
    scoped: false,
    make: async () => ({
      method: 'post',
      path: '/polls',
      body: { question: 'Chọn ngày họp?', options: ['Thứ Bảy', 'Chủ nhật'], branchCode: 'RB-A1', closesAt: new Date(Date.now() + 86400_000).toISOString() },
    }),
  },
  { name: 'POST /polls/:id/send', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/polls/${(await poll(b)).id}/send` }) },
  { name: 'POST /polls/:id/close', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/polls/${(await poll(b)).id}/close` }) },
  { name: 'POST /welfare-registrations/:id/approve', min: 'officer', scoped: true, make: async (b) => ({ method: 'post', path: `/welfare-registrations/${(await registration(b)).r.id}/approve` }) },
];

async function call(who: string, c: Case, branchId: number) {
  const req = await c.make(branchId);
  const r = request(t.app)[req.method](`/api/admin${req.path}`).set('authorization', `Bearer ${tokens[who]}`);
  if (req.path.startsWith('/members/imports')) return r.set('content-type', 'text/csv').send((req.body as { csv: string }).csv);
  return req.body ? r.send(req.body) : r;
}

const ROLES: OfficerRole[] = ['admin', 'officer', 'viewer'];
const rows = CASES.flatMap((c) => ROLES.flatMap((role) => (c.scoped ? (['own', 'other'] as const) : (['own'] as const)).map((where) => ({ c, role, where }))));

describe('RBAC: role × branch over the admin routes', () => {
  it.each(rows.map((r) => [`${r.role} of A → ${r.c.name} (${r.where})`, r] as const))('%s', async (_name, { c, role, where }) => {
    const res = await call(role, c, where === 'own' ? A1.id : B.id);
    const allowedRole = RANK[role] >= RANK[c.min];
    if (!allowedRole) {
      expect(res.status).toBe(403);
      return;
    }
    if (where === 'other') {
      expect(res.status).toBe(404);
      return;
    }
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
  });

  it('a root admin reaches every branch', async () => {
    const refused: string[] = [];
    for (const c of CASES.filter((x) => x.scoped)) {
      const res = await call('rootAdmin', c, B.id);
      if (res.status >= 300) refused.push(`${c.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(refused).toEqual([]);
  });

  it('no credentials → 401 everywhere', async () => {
    const wrong: string[] = [];
    for (const c of CASES) {
      const req = await c.make(A1.id);
      const res = await request(t.app)[req.method](`/api/admin${req.path}`).send(req.body ?? {});
      if (res.status !== 401) wrong.push(`${c.name}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
