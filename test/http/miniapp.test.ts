/** Mini-app member API and event check-in, with mini-app tokens verified against the fake Zalo graph. */
import request from 'supertest';
import ExcelJS from 'exceljs';
import type { FakeZalo } from '../fakes/fake-zalo';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { createEvent } from '../../shared/db/queries/events';
import { signEventQr, signMemberQr } from '../../shared/qr/tokens';
import { useFakeZaloApp, type TestApp } from '../helpers/fake-zalo-app';
import { asBuffer } from '../helpers/binary';

let fake: FakeZalo;
let t: TestApp;

useFakeZaloApp({}, (s) => void ({ fake, t } = s));

/** A Zalo user of the mini-app with a verified token. */
function zaloUser(o: { userIdByOa?: string } = {}) {
  const id = zaloId('5');
  const token = `tok-${id}`;
  fake.addMiniAppToken(token, { id, name: 'Người dùng', userIdByOa: o.userIdByOa });
  return { id, token, auth: { authorization: `Bearer ${token}` } };
}

const api = () => request(t.app);

describe('authentication', () => {
  it('refuses a missing or rejected token with 401, and caches a verified one', async () => {
    expect((await api().get('/api/miniapp/me')).status).toBe(401);
    const bad = await api().get('/api/miniapp/me').set('authorization', 'Bearer nope');
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toMatch(/Zalo/);
    const u = zaloUser();
    const before = fake.callCount('/v2.0/me', 'GET');
    await api().get('/api/miniapp/me').set(u.auth);
    await api().get('/api/miniapp/me').set(u.auth);
    expect(fake.callCount('/v2.0/me', 'GET') - before).toBe(1);
  });

  it('answers 404 with a hint while the Zalo user is not linked', async () => {
    const u = zaloUser();
    for (const path of ['/api/miniapp/me', '/api/miniapp/card']) {
      const res = await api().get(path).set(u.auth);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_LINKED');
      expect(res.body.error.message).toMatch(/Liên kết/);
    }
  });
});

describe('linking', () => {
  it('links by member code + date of birth; a wrong pair gets one generic message', async () => {
    const m = await makeMember(t.db, { fullName: 'Võ Thị Hạnh', dateOfBirth: '1992-12-03' });
    const u = zaloUser();
    const wrong = await api().post('/api/miniapp/link').set(u.auth).send({ memberCode: m.memberCode, dateOfBirth: '1992-12-04' });
    const unknown = await api().post('/api/miniapp/link').set(u.auth).send({ memberCode: 'NO-SUCH', dateOfBirth: '1992-12-03' });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const ok = await api().post('/api/miniapp/link').set(u.auth).send({ memberCode: m.memberCode, dateOfBirth: '03/12/1992' });
    expect(ok.status).toBe(200);
    expect(ok.body.member).toEqual(expect.objectContaining({ memberCode: m.memberCode, fullName: 'Võ Thị Hạnh' }));
    const me = await api().get('/api/miniapp/me').set(u.auth);
    expect(me.body.member.memberCode).toBe(m.memberCode);
    expect(me.body.officer).toBeNull();
  });

  it('links with a phone token exchanged server-side', async () => {
    const m = await makeMember(t.db, { phone: '+84977000111' });
    const u = zaloUser();
    fake.addPhoneToken('ph-1', '84977000111');
    const res = await api().post('/api/miniapp/link').set(u.auth).send({ phoneToken: 'ph-1' });
    expect(res.status).toBe(200);
    expect(res.body.member.memberCode).toBe(m.memberCode);
    const reused = await api().post('/api/miniapp/link').set(zaloUser().auth).send({ phoneToken: 'ph-1' });
    expect(reused.status).toBe(400);
  });

  it('rate-limits wrong answers (429)', async () => {
    const m = await makeMember(t.db, { dateOfBirth: '1980-01-01' });
    const u = zaloUser();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api().post('/api/miniapp/link').set(u.auth).send({ memberCode: m.memberCode, dateOfBirth: '1980-01-02' })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    expect((await api().post('/api/miniapp/link').set(u.auth).send({ memberCode: m.memberCode, dateOfBirth: '1980-01-01' })).status).toBe(429);
  });

  it('does not hand a linked member to another Zalo account on a code and a date of birth; a Zalo-verified phone moves it', async () => {
    const m = await makeMember(t.db, { dateOfBirth: '1991-07-15', phone: '+84977000222' });
    const owner = zaloUser();
    expect((await api().post('/api/miniapp/link').set(owner.auth).send({ memberCode: m.memberCode, dateOfBirth: '15/07/1991' })).status).toBe(200);
    // The owner cannot link a second member either.
    const again = await api().post('/api/miniapp/link').set(owner.auth).send({ memberCode: m.memberCode, dateOfBirth: '15/07/1991' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_LINKED');

    const other = zaloUser();
    const taken = await api().post('/api/miniapp/link').set(other.auth).send({ memberCode: m.memberCode, dateOfBirth: '15/07/1991' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toEqual({ code: 'LINKED_ELSEWHERE', message: expect.stringMatching(/tài khoản Zalo khác.*số điện thoại/) });
    expect((await api().get('/api/miniapp/card').set(owner.auth)).status).toBe(200);
    expect((await api().get('/api/miniapp/card').set(other.auth)).body.error.code).toBe('NOT_LINKED');

    // The member's own phone, vouched for by Zalo, is stronger proof: the member moves to the new account.
    fake.addPhoneToken('ph-move', '84977000222');
    const moved = await api().post('/api/miniapp/link').set(other.auth).send({ phoneToken: 'ph-move' });
    expect(moved.status).toBe(200);
    expect((await api().get('/api/miniapp/card').set(other.auth)).body.memberCode).toBe(m.memberCode);
    expect((await api().get('/api/miniapp/card').set(owner.auth)).body.error.code).toBe('NOT_LINKED');
  });

  it('limits guesses at one member code across many Zalo accounts', async () => {
    const m = await makeMember(t.db, { dateOfBirth: '1985-03-03' });
    const statuses: number[] = [];
    // Ten accounts, one wrong guess each: each account is far from its own limit.
    for (let i = 0; i < 10; i++) statuses.push((await api().post('/api/miniapp/link').set(zaloUser().auth).send({ memberCode: m.memberCode, dateOfBirth: `1985-03-${String(10 + i)}` })).status);
    expect(statuses).toEqual(Array(10).fill(400));
    // The code is now locked for the hour, even to the right date from a fresh account.
    expect((await api().post('/api/miniapp/link').set(zaloUser().auth).send({ memberCode: m.memberCode, dateOfBirth: '1985-03-03' })).status).toBe(429);
    // Other members' codes are not affected.
    const n = await makeMember(t.db, { dateOfBirth: '1985-03-03' });
    expect((await api().post('/api/miniapp/link').set(zaloUser().auth).send({ memberCode: n.memberCode, dateOfBirth: '1985-03-03' })).status).toBe(200);
  });

  it('recognises a follower already linked in chat through user_id_by_oa', async () => {
    const oaId = zaloId();
    const m = await makeMember(t.db, { zaloUserId: oaId });
    const u = zaloUser({ userIdByOa: oaId });
    const me = await api().get('/api/miniapp/me').set(u.auth);
    expect(me.status).toBe(200);
    expect(me.body.member.memberCode).toBe(m.memberCode);
  });
});

describe('card', () => {
  it('shows only the caller own card with a rotating signed QR', async () => {
    const a = zaloUser();
    const b = zaloUser();
    const ma = await makeMember(t.db, { fullName: 'Trần Văn A', zaloAppUserId: a.id });
    const mb = await makeMember(t.db, { fullName: 'Lê Thị B', zaloAppUserId: b.id });
    const ca = await api().get('/api/miniapp/card').set(a.auth).query({ memberId: mb.id, memberCode: mb.memberCode });
    expect(ca.status).toBe(200);
    expect(ca.body).toEqual(
      expect.objectContaining({ memberCode: ma.memberCode, fullName: 'Trần Văn A', status: 'active', qr: expect.stringMatching(/^CD1\.m\./), branch: expect.any(Object) }),
    );
    expect(new Date(ca.body.qrExpiresAt).getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect(JSON.stringify(ca.body)).not.toMatch(/Lê Thị B/);
  });
});

describe('check-in', () => {
  async function setup(o: { startsAt?: Date; endsAt?: Date } = {}) {
    const branch = await makeBranch(t.db);
    const event = await createEvent(t.db, {
      branchId: branch.id,
      title: 'Hội nghị người lao động 2026',
      startsAt: o.startsAt ?? new Date(Date.now() - 60_000),
      endsAt: o.endsAt ?? new Date(Date.now() + 3600_000),
      code: `EV${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    });
    const u = zaloUser();
    const member = await makeMember(t.db, { branchId: branch.id, zaloAppUserId: u.id });
    return { branch, event, u, member };
  }

  it('40 concurrent self check-ins of one member: exactly one 201, the rest already_checked_in with the same time', async () => {
    const { event, u } = await setup();
    const token = signEventQr(t.deps.qrKeys, event.id, event.endsAt);
    const results = await Promise.all(Array.from({ length: 40 }, () => api().post('/api/miniapp/checkins').set(u.auth).send({ eventToken: token })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(39);
    expect(new Set(results.map((r) => r.body.at)).size).toBe(1);
    expect(results.find((r) => r.status === 200)!.body.status).toBe('already_checked_in');
  });

  it('accepts the typed event code, refuses expired tokens, ended events and other branches with reasons', async () => {
    const { event, u } = await setup();
    const typed = await api().post('/api/miniapp/checkins').set(u.auth).send({ eventToken: event.code.toLowerCase() });
    expect(typed.status).toBe(201);
    expect(typed.body.event.title).toBe('Hội nghị người lao động 2026');

    const expired = signEventQr(t.deps.qrKeys, event.id, new Date(Date.now() - 1000));
    const r1 = await api().post('/api/miniapp/checkins').set(u.auth).send({ eventToken: expired });
    expect(r1.status).toBe(400);
    expect(r1.body.error.code).toBe('EVENT_TOKEN_EXPIRED');

    const ended = await setup({ startsAt: new Date(Date.now() - 7200_000), endsAt: new Date(Date.now() - 3600_000) });
    const r2 = await api().post('/api/miniapp/checkins').set(ended.u.auth).send({ eventToken: ended.event.code });
    expect(r2.body.error.code).toBe('EVENT_ENDED');
    expect(r2.body.error.message).toMatch(/đã kết thúc/);

    const other = await setup();
    const r3 = await api().post('/api/miniapp/checkins').set(u.auth).send({ eventToken: other.event.code });
    expect(r3.status).toBe(400);
    expect(r3.body.error.code).toBe('NOT_IN_SCOPE');

    const r4 = await api().post('/api/miniapp/checkins').set(u.auth).send({ eventToken: 'CD1.e.forged.sig' });
    expect(r4.status).toBe(400);
  });
});

describe('officer: events and scanning member cards', () => {
  it('creates an event, checks a member in by card QR (once), lists and exports attendance; other branches see 404', async () => {
    const root = await makeBranch(t.db);
    const unit = await makeBranch(t.db, { parentId: root.id });
    const { token } = await makeOfficer(t.db, { branchId: root.id, role: 'officer' });
    const viewer = await makeOfficer(t.db, { branchId: root.id, role: 'viewer' });
    const outsider = await makeOfficer(t.db, { branchId: (await makeBranch(t.db)).id, role: 'admin' });
    const member = await makeMember(t.db, { branchId: unit.id, fullName: '=HYPERLINK("http://x","bấm")' });
    const auth = { authorization: `Bearer ${token}` };

    const created = await api().post('/api/admin/events').set(auth).send({ title: 'Đại hội CĐCS', startsAt: new Date(Date.now() - 60_000).toISOString(), location: 'Hội trường A' });
    expect(created.status).toBe(201);
    expect(created.body.eventToken).toMatch(/^CD1\.e\./);
    expect(created.body.code).toMatch(/^[A-Z2-9]{6}$/);
    const id = created.body.id;
    expect((await api().post('/api/admin/events').set({ authorization: `Bearer ${viewer.token}` }).send({ title: 'X y z', startsAt: new Date().toISOString() })).status).toBe(403);
    const bad = await api().post('/api/admin/events').set(auth).send({ title: 'Đại hội', startsAt: 'hôm nay' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('startsAt');

    const qr = signMemberQr(t.deps.qrKeys, member.id, new Date()).token;
    const first = await api().post(`/api/admin/events/${id}/checkins`).set(auth).send({ memberQr: qr });
    const second = await api().post(`/api/admin/events/${id}/checkins`).set(auth).send({ memberQr: qr });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body).toEqual(expect.objectContaining({ status: 'already_checked_in', at: first.body.at }));
    const stale = signMemberQr(t.deps.qrKeys, member.id, new Date(Date.now() - 3600_000)).token;
    const r = await api().post(`/api/admin/events/${id}/checkins`).set(auth).send({ memberQr: stale });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/hết hạn/);

    const detail = await api().get(`/api/admin/events/${id}`).set(auth);
    expect(detail.body.count).toBe(1);
    expect(detail.body.qrImage).toMatch(/^data:image\/png;base64,/);
    const list = await api().get(`/api/admin/events/${id}/checkins`).set(auth);
    expect(list.body).toEqual({ total: 1, items: [expect.objectContaining({ memberCode: member.memberCode, method: 'officer' })] });
    expect((await api().get(`/api/admin/events/${id}`).set({ authorization: `Bearer ${outsider.token}` })).status).toBe(404);

    const csv = await api().get(`/api/admin/events/${id}/checkins?format=csv`).set(auth);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toMatch(/'=HYPERLINK/);
    const xlsx = await api().get(`/api/admin/events/${id}/checkins?format=xlsx`).set(auth).buffer(true).parse(asBuffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    const cell = wb.worksheets[0].getRow(2).getCell(2).value;
    expect(typeof cell).toBe('string');
    expect(String(cell).startsWith("'=")).toBe(true);
  });

  it('refuses a card from outside the event, of an inactive member or of no member; 30 officers scanning one card at once record one row', async () => {
    const root = await makeBranch(t.db);
    const unit = await makeBranch(t.db, { parentId: root.id });
    const { token } = await makeOfficer(t.db, { branchId: root.id, role: 'officer' });
    const auth = { authorization: `Bearer ${token}` };
    const event = await createEvent(t.db, { branchId: unit.id, title: 'Hội nghị tổ', startsAt: new Date(Date.now() - 1000), endsAt: new Date(Date.now() + 3600_000), code: `SC${Date.now().toString(36).toUpperCase()}` });
    const scan = (memberId: number, extra: Record<string, string> = {}) =>
      api().post(`/api/admin/events/${event.id}/checkins`).set(auth).send({ memberQr: signMemberQr(t.deps.qrKeys, memberId, new Date()).token, ...extra });

    const parent = await makeMember(t.db, { branchId: root.id, fullName: 'Lê Văn Cha' }); // the parent branch is outside a sub-branch's event
    const left = await makeMember(t.db, { branchId: unit.id, fullName: 'Trần Thị Nghỉ', status: 'left' });
    const outside = await scan(parent.id);
    expect([outside.status, outside.body.error.code]).toEqual([400, 'NOT_IN_SCOPE']);
    expect(outside.body.error.message).toContain('Lê Văn Cha');
    const inactive = await scan(left.id);
    expect([inactive.status, inactive.body.error.code]).toEqual([400, 'MEMBER_INACTIVE']);
    const nobody = await scan(2_000_000_000);
    expect([nobody.status, nobody.body.error.code]).toEqual([400, 'MEMBER_QR_INVALID']);
    const oddScanId = await scan(parent.id, { scanId: 'quét\u0000lần 1' });
    expect(oddScanId.status).toBe(400);
    expect(oddScanId.body.error.fields[0].path).toBe('scanId');

    const member = await makeMember(t.db, { branchId: unit.id, fullName: 'Phạm Văn Đến' });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => scan(member.id, { scanId: `door-${i}` })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200 && r.body.status === 'already_checked_in')).toHaveLength(29);
    expect(new Set(results.map((r) => r.body.at)).size).toBe(1);
    expect(results[0].body.member).toEqual({ memberCode: member.memberCode, fullName: 'Phạm Văn Đến' });
    const list = await api().get(`/api/admin/events/${event.id}/checkins`).set(auth);
    expect(list.body.total).toBe(1);
  });

  it('lets an officer scan from the mini-app; a re-sent offline scan gets its original answer', async () => {
    const branch = await makeBranch(t.db);
    const officerUser = zaloUser();
    const officerMember = await makeMember(t.db, { branchId: branch.id, zaloAppUserId: officerUser.id });
    await makeOfficer(t.db, { branchId: branch.id, role: 'officer', memberId: officerMember.id });
    const event = await createEvent(t.db, { branchId: branch.id, title: 'Họp tổ', startsAt: new Date(Date.now() - 1000), endsAt: new Date(Date.now() + 3600_000), code: `OF${Date.now().toString(36).toUpperCase()}` });
    const target = await makeMember(t.db, { branchId: branch.id });
    const qr = signMemberQr(t.deps.qrKeys, target.id, new Date()).token;

    const events = await api().get('/api/miniapp/officer/events').set(officerUser.auth);
    expect(events.body.items.map((e: { id: number }) => e.id)).toContain(event.id);
    const a = await api().post(`/api/miniapp/officer/events/${event.id}/checkins`).set(officerUser.auth).send({ memberQr: qr, scanId: 'scan-1' });
    const again = await api().post(`/api/miniapp/officer/events/${event.id}/checkins`).set(officerUser.auth).send({ memberQr: qr, scanId: 'scan-1' });
    const other = await api().post(`/api/miniapp/officer/events/${event.id}/checkins`).set(officerUser.auth).send({ memberQr: qr, scanId: 'scan-2' });
    expect([a.status, again.status, other.status]).toEqual([201, 201, 200]);
    expect((await api().get(`/api/miniapp/officer/events/${event.id}`).set(officerUser.auth)).body.count).toBe(1);

    const plain = zaloUser();
    await makeMember(t.db, { branchId: branch.id, zaloAppUserId: plain.id });
    expect((await api().get('/api/miniapp/officer/events').set(plain.auth)).status).toBe(403);
  });
});
