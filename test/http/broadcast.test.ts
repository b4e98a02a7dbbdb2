/**
 * Broadcasts end to end on the app factory (PGlite or Postgres + the in-process queue) against the
 * fake Zalo: create → send → every member of the segment gets exactly one promotion message; skips,
 * faults, permanent refusals, retry of the failed ones, cancel, schedule, RBAC and validation.
 */
import request from 'supertest';
import { startFakeZalo, type FakeZalo } from '../fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../helpers/app';
import { getProgress, startTestWorkers, waitForBroadcast } from '../helpers/broadcast';
import { listen, waitUntil } from '../helpers/server';
import { chatWith } from '../helpers/chat';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { upsertMembers, markUnfollowed, type Member } from '../../shared/db/queries/members';
import { getMemberByCode } from '../../shared/db/queries/members';
import type { Workers } from '../../bot/worker';

let fake: FakeZalo;
let t: Awaited<ReturnType<typeof createTestApp>>;
let workers: Workers;

beforeAll(async () => {
  fake = await startFakeZalo();
  t = await createTestApp({ env: fakeZaloEnv(fake, { BROADCAST_RATE: '200' }) });
  workers = startTestWorkers(t);
});
afterAll(async () => {
  await workers.close();
  await t.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const GIVEN = ['Lan', 'Minh', 'Hoa', 'Đức', 'Hương', 'Tuấn', 'Mai', 'Nam'];
let codeSeq = 0;

/** n members in one branch, inserted in one statement; linked ones get a fresh Zalo id. */
async function makeMembers(branchId: number, n: number, o: { linked?: boolean; status?: 'active' | 'suspended' | 'left' } = {}) {
  const rows = Array.from({ length: n }, (_, i) => ({
    memberCode: `BC${Date.now().toString(36).toUpperCase()}${(++codeSeq).toString().padStart(4, '0')}`,
    fullName: `Nguyễn Thị ${GIVEN[i % GIVEN.length]}`,
    branchId,
    status: o.status ?? ('active' as const),
    zaloUserId: o.linked === false ? null : zaloId(),
  }));
  await upsertMembers(t.db, rows);
  return Promise.all(rows.map(async (r) => (await getMemberByCode(t.db, r.memberCode))!));
}

async function world(n: number) {
  const root = await makeBranch(t.db);
  const team = await makeBranch(t.db, { parentId: root.id });
  const officer = await makeOfficer(t.db, { branchId: root.id, role: 'officer' });
  const members = await makeMembers(team.id, n);
  return { root, team, officer, members };
}

const as = (token: string) => ({
  get: (url: string) => request(t.app).get(url).set('authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(t.app).post(url).set('authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => request(t.app).put(url).set('authorization', `Bearer ${token}`).send(body),
});

async function createAndSend(token: string, body: object) {
  const created = await as(token).post('/api/admin/broadcasts', body);
  expect(created.status).toBe(201);
  const sent = await as(token).post(`/api/admin/broadcasts/${created.body.id}/send`);
  expect(sent.status).toBe(202);
  return created.body as { id: number; status: string; total: number };
}

function countsPerUser(ids: string[]) {
  const wanted = new Set(ids);
  const per = new Map<string, number>();
  for (const m of fake.sent) if (wanted.has(m.userId)) per.set(m.userId, (per.get(m.userId) ?? 0) + 1);
  return per;
}

const templateText = (m: { message: Record<string, any> }) =>
  (m.message.attachment.payload.elements as { type: string; content: string }[]).find((e) => e.type === 'text')!.content;

describe('sending a broadcast', () => {
  it('reaches every linked member of the scope once, as a personalised promotion message', async () => {
    const w = await world(25);
    const created = await as(w.officer.token).post('/api/admin/broadcasts', {
      title: 'Họp đoàn viên quý IV',
      text: 'Chào {ten} ({ma_doan_vien}),\nMời bạn dự họp lúc 14h thứ Sáu tại hội trường.',
      linkUrl: 'https://congdoan.example.vn/hop-quy-4',
      segment: {},
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', total: 25 });
    expect(fake.sent).toHaveLength(0);

    expect((await as(w.officer.token).post(`/api/admin/broadcasts/${created.body.id}/send`)).status).toBe(202);
    const done = await waitForBroadcast(t.app, w.officer.token, created.body.id);
    expect(done).toMatchObject({ status: 'done', total: 25, sent: 25, failed: 0, pending: 0, skipped: 0, etaSec: 0 });

    const per = countsPerUser(w.members.map((m) => m.zaloUserId!));
    expect(per.size).toBe(done.sent);
    expect([...per.values()].every((n) => n === 1)).toBe(true);

    const first = w.members[0];
    const [msg] = fake.sentTo(first.zaloUserId!);
    expect(msg.kind).toBe('promotion');
    expect(msg.message.attachment.payload.template_type).toBe('promotion');
    expect(msg.message.attachment.payload.elements[0]).toMatchObject({ type: 'header', content: 'Họp đoàn viên quý IV' });
    expect(templateText(msg)).toBe(`Chào Lan (${first.memberCode}),<br>Mời bạn dự họp lúc 14h thứ Sáu tại hội trường.`);
    expect(msg.message.attachment.payload.buttons).toEqual([
      { type: 'oa.open.url', title: 'Xem chi tiết', payload: { url: 'https://congdoan.example.vn/hop-quy-4' } },
    ]);
    expect(templateText(fake.sentTo(w.members[1].zaloUserId!)[0])).toMatch(/^Chào Minh \(/);

    const list = await as(w.officer.token).get('/api/admin/broadcasts/' + created.body.id + '/deliveries?status=sent&pageSize=10&page=3');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 25, page: 3, pageSize: 10 });
    expect(list.body.items).toHaveLength(5);
    expect(list.body.items[0]).toMatchObject({ status: 'sent', errorCode: null });
    expect(list.body.items[0].memberCode).toMatch(/^BC/);
    expect(list.body.items[0].fullName).toMatch(/^Nguyễn Thị /);

    const all = await as(w.officer.token).get('/api/admin/broadcasts');
    expect(all.body.items.map((b: { id: number }) => b.id)).toContain(created.body.id);
    // A second send of the same broadcast is refused, nothing goes out twice.
    expect((await as(w.officer.token).post(`/api/admin/broadcasts/${created.body.id}/send`)).status).toBe(409);
  });

  it('lists unreachable members as skipped with the reason, and linkedOnly leaves unlinked ones out', async () => {
    const w = await world(3);
    const [unlinked] = await makeMembers(w.team.id, 1, { linked: false });
    const [gone] = await makeMembers(w.team.id, 1);
    await markUnfollowed(t.db, gone.zaloUserId!, new Date());
    const [suspended] = await makeMembers(w.team.id, 1, { status: 'suspended' });

    const linkedOnly = await as(w.officer.token).post('/api/admin/broadcasts', {
      title: 'Thông báo',
      text: 'Nội dung',
      segment: { branchCodes: [w.team.code], linkedOnly: true },
    });
    expect(linkedOnly.body.total).toBe(5);

    const b = await createAndSend(w.officer.token, { title: 'Thông báo', text: 'Nội dung', segment: { branchCodes: [w.team.code] } });
    expect(b.total).toBe(6);
    const done = await waitForBroadcast(t.app, w.officer.token, b.id);
    expect(done).toMatchObject({ total: 6, sent: 3, skipped: 3, failed: 0 });
    const skipped = await as(w.officer.token).get(`/api/admin/broadcasts/${b.id}/deliveries?status=skipped`);
    const reasons = Object.fromEntries(skipped.body.items.map((d: { memberCode: string; reason: string }) => [d.memberCode, d.reason]));
    expect(reasons[unlinked.memberCode]).toMatch(/Chưa liên kết/);
    expect(reasons[gone.memberCode]).toMatch(/bỏ quan tâm/);
    expect(reasons[suspended.memberCode]).toMatch(/tạm dừng/);
    expect(fake.sentTo(gone.zaloUserId!)).toHaveLength(0);
    expect(fake.sentTo(suspended.zaloUserId!)).toHaveLength(0);

    const byCode = await as(w.officer.token).post('/api/admin/broadcasts', {
      title: 'Riêng',
      text: 'x',
      segment: { memberCodes: [w.members[0].memberCode, w.members[1].memberCode] },
    });
    expect(byCode.body.total).toBe(2);
  });

  it('still delivers to everyone exactly once when Zalo fails 10% of sends and caps the rate (-32)', async () => {
    const w = await world(100);
    fake.faults.failRate = 0.1;
    fake.faults.failMode = 'mixed';
    fake.faults.rateCapPerSec = 50;
    const b = await createAndSend(w.officer.token, { title: 'Quà Tết', text: 'Chào {ten}, mời nhận quà Tết.', segment: {} });
    const done = await waitForBroadcast(t.app, w.officer.token, b.id, undefined, 25_000);
    expect(done).toMatchObject({ sent: 100, failed: 0, pending: 0 });
    const per = countsPerUser(w.members.map((m) => m.zaloUserId!));
    expect(per.size).toBe(100);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    // The faults really happened: more calls than accepted messages.
    expect(fake.callCount('/v3.0/oa/message/promotion')).toBeGreaterThan(100);
  }, 30_000);

  it('fails permanently refused members (-230) with the code and a Vietnamese reason, and resends only those on retry', async () => {
    const w = await world(10);
    const refused = w.members.slice(0, 3);
    for (const m of refused) fake.faults.permanentFor.add(m.zaloUserId!);
    const b = await createAndSend(w.officer.token, { title: 'Chính sách mới', text: 'Chào {ten}', segment: {} });
    const done = await waitForBroadcast(t.app, w.officer.token, b.id);
    expect(done).toMatchObject({ sent: 7, failed: 3, pending: 0 });
    expect(fake.callCount('/v3.0/oa/message/promotion')).toBe(10); // no retry of a permanent refusal

    const failed = await as(w.officer.token).get(`/api/admin/broadcasts/${b.id}/deliveries?status=failed`);
    expect(failed.status).toBe(200);
    expect(failed.body.total).toBe(3);
    expect(failed.body.items.map((d: { memberCode: string }) => d.memberCode).sort()).toEqual(refused.map((m) => m.memberCode).sort());
    for (const d of failed.body.items) {
      expect(d).toMatchObject({ status: 'failed', errorCode: '-230', attempts: 1 });
      expect(d.reason).toBe('Người dùng không tương tác với OA trong 7 ngày qua');
      expect(d.fullName).toMatch(/^Nguyễn Thị/);
    }

    fake.faults.permanentFor.clear();
    const retry = await as(w.officer.token).post(`/api/admin/broadcasts/${b.id}/retry-failed`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ retried: 3, status: 'sending' });
    const again = await waitForBroadcast(t.app, w.officer.token, b.id);
    expect(again).toMatchObject({ status: 'done', sent: 10, failed: 0 });
    const per = countsPerUser(w.members.map((m) => m.zaloUserId!));
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    expect(per.size).toBe(10);
    expect(fake.callCount('/v3.0/oa/message/promotion')).toBe(13);
  });

  it('cancel mid-run stops the rest', async () => {
    const w = await world(60);
    fake.faults.latencyMs = 200;
    const b = await createAndSend(w.officer.token, { title: 'Hủy', text: 'x', segment: {} });
    await waitUntil(() => fake.sent.length >= 5, 10_000);
    const cancelled = await as(w.officer.token).post(`/api/admin/broadcasts/${b.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // Sends already in flight finish; nothing new starts.
    const settled = await waitForBroadcast(t.app, w.officer.token, b.id, (p) => p.pending === 0);
    await new Promise((r) => setTimeout(r, 600));
    const after = await getProgress(t.app, w.officer.token, b.id);
    expect(after.status).toBe('cancelled');
    expect(after.sent).toBe(settled.sent);
    expect(after.sent).toBeLessThan(40);
    expect(after.sent + after.skipped).toBe(60);
    expect(countsPerUser(w.members.map((m) => m.zaloUserId!)).size).toBe(after.sent);
    const skipped = await as(w.officer.token).get(`/api/admin/broadcasts/${b.id}/deliveries?status=skipped&pageSize=1`);
    expect(skipped.body.items[0].reason).toBe('Đã hủy gửi');
    expect((await as(w.officer.token).post(`/api/admin/broadcasts/${b.id}/cancel`)).status).toBe(409);
    expect((await as(w.officer.token).post(`/api/admin/broadcasts/${b.id}/retry-failed`)).status).toBe(409);
  });

  it('starts a scheduled broadcast on time', async () => {
    const w = await world(5);
    const at = new Date(Date.now() + 1500);
    const created = await as(w.officer.token).post('/api/admin/broadcasts', {
      title: 'Hẹn giờ',
      text: 'Chào {ten}',
      segment: {},
      scheduledAt: at.toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('scheduled');
    await new Promise((r) => setTimeout(r, 700));
    expect((await getProgress(t.app, w.officer.token, created.body.id)).status).toBe('scheduled');
    expect(fake.sent).toHaveLength(0);
    const done = await waitForBroadcast(t.app, w.officer.token, created.body.id);
    expect(done.sent).toBe(5);
    const first = fake.sent.reduce((min, m) => Math.min(min, m.at.getTime()), Infinity);
    expect(first).toBeGreaterThanOrEqual(at.getTime());
    expect(first - at.getTime()).toBeLessThan(1500);
  });

  it('sends a test to the officer own Zalo only, and explains when the officer has none', async () => {
    const w = await world(3);
    const officerZalo = zaloId();
    const me = await makeMember(t.db, { branchId: w.root.id, fullName: 'Lê Văn Hùng', zaloUserId: zaloId() });
    const withZalo = await makeOfficer(t.db, { branchId: w.root.id, zaloUserId: officerZalo, memberId: me.id });
    const created = await as(withZalo.token).post('/api/admin/broadcasts', { title: 'Thử', text: 'Chào {ten} ({ma_doan_vien})', segment: {} });
    const test = await as(withZalo.token).post(`/api/admin/broadcasts/${created.body.id}/test`, {});
    expect(test.status).toBe(200);
    expect(fake.sent.map((m) => m.userId)).toEqual([officerZalo]);
    expect(fake.sent[0].kind).toBe('promotion');
    expect(templateText(fake.sent[0])).toBe(`Chào Hùng (${me.memberCode})`);
    expect((await getProgress(t.app, withZalo.token, created.body.id)).status).toBe('draft');

    const noZalo = await as(w.officer.token).post(`/api/admin/broadcasts/${created.body.id}/test`, {});
    expect(noZalo.status).toBe(400);
    expect(noZalo.body.error.code).toBe('OFFICER_NO_ZALO');
    expect(noZalo.body.error.message).toMatch(/chưa gắn Zalo/);
  });
});

describe('access and validation', () => {
  it('keeps branches apart: another branch officer gets 404 and cannot target its members', async () => {
    const a = await world(2);
    const b = await world(2);
    const theirs = await as(b.officer.token).post('/api/admin/broadcasts', { title: 'B', text: 'x', segment: {} });
    const id = theirs.body.id;
    const mine = as(a.officer.token);
    expect((await mine.get(`/api/admin/broadcasts/${id}`)).status).toBe(404);
    expect((await mine.get(`/api/admin/broadcasts/${id}/deliveries`)).status).toBe(404);
    expect((await mine.post(`/api/admin/broadcasts/${id}/send`)).status).toBe(404);
    expect((await mine.post(`/api/admin/broadcasts/${id}/cancel`)).status).toBe(404);
    expect((await mine.post(`/api/admin/broadcasts/${id}/retry-failed`)).status).toBe(404);
    expect((await mine.post(`/api/admin/broadcasts/${id}/test`, {})).status).toBe(404);
    expect((await mine.get('/api/admin/broadcasts')).body.items.map((x: { id: number }) => x.id)).not.toContain(id);

    const byBranch = await mine.post('/api/admin/broadcasts', { title: 'A', text: 'x', segment: { branchCodes: [b.team.code] } });
    expect(byBranch.status).toBe(400);
    expect(byBranch.body.error.fields[0].path).toBe('segment.branchCodes');
    expect(byBranch.body.error.message).toContain(b.team.code);
    const byMember = await mine.post('/api/admin/broadcasts', { title: 'A', text: 'x', segment: { memberCodes: [b.members[0].memberCode] } });
    expect(byMember.status).toBe(400);
    expect(byMember.body.error.fields[0].path).toBe('segment.memberCodes');
    expect(fake.sent).toHaveLength(0);
    expect((await getProgress(t.app, b.officer.token, id)).status).toBe('draft');
  });

  it('lets viewers read but not create, send or cancel', async () => {
    const w = await world(1);
    const viewer = await makeOfficer(t.db, { branchId: w.root.id, role: 'viewer' });
    const created = await as(w.officer.token).post('/api/admin/broadcasts', { title: 'V', text: 'x', segment: {} });
    const v = as(viewer.token);
    expect((await v.get(`/api/admin/broadcasts/${created.body.id}`)).status).toBe(200);
    expect((await v.get('/api/admin/broadcasts')).status).toBe(200);
    expect((await v.post('/api/admin/broadcasts', { title: 'V', text: 'x', segment: {} })).status).toBe(403);
    expect((await v.post(`/api/admin/broadcasts/${created.body.id}/send`)).status).toBe(403);
    expect((await v.post(`/api/admin/broadcasts/${created.body.id}/cancel`)).status).toBe(403);
    expect((await v.post(`/api/admin/broadcasts/${created.body.id}/test`, {})).status).toBe(403);
    expect((await v.post(`/api/admin/broadcasts/${created.body.id}/retry-failed`)).status).toBe(403);
    expect(fake.sent).toHaveLength(0);
  });

  it('answers 400 with field paths for bad input, naming unknown placeholders', async () => {
    const w = await world(1);
    const post = (body: object) => as(w.officer.token).post('/api/admin/broadcasts', body);
    const paths = (res: request.Response) => (res.body.error.fields as { path: string }[]).map((f) => f.path);

    const empty = await post({ segment: {} });
    expect(empty.status).toBe(400);
    expect(paths(empty)).toEqual(['title', 'text']);

    const placeholder = await post({ title: 'Chào {ten}', text: 'Chào {ho_ten}, mã {ma_doan_vien}, {tên}', segment: {} });
    expect(placeholder.status).toBe(400);
    expect(paths(placeholder)).toEqual(['text']);
    expect(placeholder.body.error.message).toContain('{ho_ten}');
    expect(placeholder.body.error.message).toContain('{tên}');

    const typo = await post({ title: 'x', text: 'x', segment: { branchcodes: ['A'] } });
    expect(typo.status).toBe(400);
    expect(paths(typo)).toEqual(['segment']);
    expect(typo.body.error.message).toMatch(/branchcodes/);

    const shapes = await post({ title: 'x', text: 'x', segment: { memberCodes: 'DV1' }, scheduledAt: 'mai', linkUrl: 'javascript:alert(1)' });
    expect(shapes.status).toBe(400);
    expect(paths(shapes).sort()).toEqual(['linkUrl', 'scheduledAt', 'segment.memberCodes']);

    const past = await post({ title: 'x', text: 'x', segment: {}, scheduledAt: '2020-01-01T08:00:00+07:00' });
    expect(past.status).toBe(400);
    expect(paths(past)).toEqual(['scheduledAt']);

    const long = await post({ title: 'x', text: 'a'.repeat(2001), segment: {} });
    expect(long.status).toBe(400);
    expect(paths(long)).toEqual(['text']);

    expect((await as(w.officer.token).get('/api/admin/broadcasts/abc')).status).toBe(400);
    expect((await as(w.officer.token).get('/api/admin/broadcasts/999999')).status).toBe(404);
  });
});

describe('announcements', () => {
  it('publishes announcements to the chat list, unpublishes them, and broadcasts one', async () => {
    const w = await world(1);
    const other = await world(0);
    const srv = await listen(t.app);
    try {
      const chat = chatWith(fake, () => `${srv.url}/webhook/zalo`, t.inbox);
      const created = await as(w.officer.token).post('/api/admin/announcements', {
        title: 'Hội nghị người lao động 2026',
        body: 'Hội nghị tổ chức ngày 15/01 tại hội trường A.',
        linkUrl: 'https://congdoan.example.vn/hoi-nghi',
        branchCode: w.team.code,
        published: true,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ branchId: w.team.id, published: true });
      const member = w.members[0] as Member;
      expect(chat.texts(await chat.say(member.zaloUserId!, 'thong bao'))).toMatch(/Hội nghị người lao động 2026/);

      expect((await as(other.officer.token).get(`/api/admin/announcements/${created.body.id}`)).status).toBe(404);
      expect((await as(other.officer.token).put(`/api/admin/announcements/${created.body.id}`, { published: false })).status).toBe(404);
      const outside = await as(w.officer.token).post('/api/admin/announcements', { title: 'x', body: 'y', branchCode: other.team.code });
      expect(outside.status).toBe(400);
      expect(outside.body.error.fields[0].path).toBe('branchCode');

      const list = await as(w.officer.token).get('/api/admin/announcements?published=true');
      expect(list.body.items.map((a: { id: number }) => a.id)).toContain(created.body.id);

      const b = await createAndSend(w.officer.token, { announcementId: created.body.id, segment: {} });
      const done = await waitForBroadcast(t.app, w.officer.token, b.id);
      expect(done).toMatchObject({ sent: 1, title: 'Hội nghị người lao động 2026', linkUrl: 'https://congdoan.example.vn/hoi-nghi' });
      expect(templateText(fake.sentTo(member.zaloUserId!).find((m) => m.kind === 'promotion')!)).toMatch(/15\/01/);

      const hidden = await as(w.officer.token).put(`/api/admin/announcements/${created.body.id}`, { published: false, title: 'Đã hoãn' });
      expect(hidden.status).toBe(200);
      expect(hidden.body).toMatchObject({ published: false, title: 'Đã hoãn' });
      expect(chat.texts(await chat.say(member.zaloUserId!, 'thong bao'))).not.toMatch(/Hội nghị người lao động|Đã hoãn/);
    } finally {
      await srv.close();
    }
  });
});

describe('queue board', () => {
  it('is for admins only and, without Redis, says there is no board', async () => {
    const w = await world(0);
    const admin = await makeOfficer(t.db, { branchId: w.root.id, role: 'admin' });
    expect((await request(t.app).get('/admin/queues')).status).toBe(401);
    expect((await request(t.app).get('/admin/queues').set('authorization', `Bearer ${w.officer.token}`)).status).toBe(403);
    const note = await request(t.app).get('/admin/queues').set('authorization', `Bearer ${admin.token}`);
    expect(note.status).toBe(200);
    expect(note.body.driver).toBe('local');
    const viaLink = await request(t.app).get(`/admin/queues?token=${admin.token}`);
    expect(viaLink.status).toBe(303);
    expect(viaLink.headers.location).toBe('/admin/queues');
    const cookie = viaLink.headers['set-cookie'][0].split(';')[0];
    expect((await request(t.app).get('/admin/queues').set('cookie', cookie)).status).toBe(200);
  });
});
