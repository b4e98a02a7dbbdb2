/** Welfare registration (chat + mini-app, one service), officer review with Zalo notices, export, and polls. */
import { and, eq } from 'drizzle-orm';
import request from 'supertest';
import ExcelJS from 'exceljs';
import type { FakeZalo } from '../fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../helpers/app';
import { startTestWorkers, waitForBroadcast } from '../helpers/broadcast';
import { listen } from '../helpers/server';
import { chatWith } from '../helpers/chat';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { auditLog, members, polls, welfareRegistrations, type WelfareField, type WelfareRules } from '../../shared/db/schema';
import { createProgram } from '../../shared/db/queries/welfare';
import { broadcastProgress, createBroadcast } from '../../shared/db/queries/broadcasts';
import { registerForProgram } from '../../shared/welfare/register';
import type { Db } from '../../shared/db/client';
import { useFakeZaloApp, type TestApp, type Chat } from '../helpers/fake-zalo-app';
import { asBuffer } from '../helpers/binary';

let fake: FakeZalo;
let t: TestApp;
let chat: Chat;

useFakeZaloApp({}, (s) => void ({ fake, t, chat } = s));

const api = () => request(t.app);
const DAY = 86_400_000;
let codeSeq = 0;

const TET_FIELDS: WelfareField[] = [
  { key: 'pickup', label: 'Nơi nhận quà', type: 'choice', required: true, options: ['Tại công ty', 'Tại Nhà Văn hóa Lao động'] },
  { key: 'children', label: 'Số con dưới 15 tuổi', type: 'number', required: true },
  { key: 'note', label: 'Ghi chú', type: 'text', required: false },
];

async function makeProgram(
  db: Db,
  o: { branchId: number; fields?: WelfareField[]; rules?: WelfareRules; capacity?: number | null; opensAt?: Date; closesAt?: Date; title?: string },
) {
  const now = Date.now();
  const p = await createProgram(db, {
    branchId: o.branchId,
    code: `TET${Date.now().toString(36).toUpperCase()}${++codeSeq}`,
    title: o.title ?? 'Quà Tết Bính Ngọ 2027',
    description: 'Mỗi đoàn viên nhận 01 phần quà Tết.',
    eligibility: 'Đoàn viên đang sinh hoạt.',
    rules: o.rules ?? { activeOnly: true },
    fields: o.fields ?? [],
    opensAt: o.opensAt ?? new Date(now - DAY),
    closesAt: o.closesAt ?? new Date(now + 10 * DAY),
    capacity: o.capacity ?? null,
  });
  return p!;
}

/** A linked member who uses both chat (OA id) and the mini-app (app id + token). */
async function linkedMember(o: { branchId: number; fullName?: string; status?: 'active' | 'suspended' | 'left'; joinedAt?: string }) {
  const zaloUserId = zaloId();
  const appId = zaloId('5');
  const m = await makeMember(t.db, { ...o, zaloUserId, zaloAppUserId: appId });
  const token = `tok-${appId}`;
  fake.addMiniAppToken(token, { id: appId, name: m.fullName, userIdByOa: zaloUserId });
  return { member: m, zaloUserId, auth: { authorization: `Bearer ${token}` } };
}

const hidden = (buttons: { title: string; payload: unknown; type: string }[], title: RegExp) => String(buttons.find((b) => title.test(b.title))!.payload);

describe('registration by chat', () => {
  it('runs the whole flow: program button, choice button, invalid answer re-asked, restart mid-flow, confirm', async () => {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id, fields: TET_FIELDS, capacity: 100 });
    const { member, zaloUserId: user } = await linkedMember({ branchId: branch.id });

    const list = await chat.say(user, 'Đăng ký phúc lợi');
    expect(chat.texts(list)).toMatch(/chương trình phúc lợi đang mở/);
    const pick = chat.buttons(list).find((b) => b.title.includes('Quà Tết'))!;
    expect(pick.type).toBe('oa.query.hide');

    const q1 = await chat.say(user, String(pick.payload));
    expect(chat.texts(q1)).toMatch(/\(1\/3\) Nơi nhận quà/);
    expect(chat.buttons(q1).map((b) => b.title)).toEqual(['Tại công ty', 'Tại Nhà Văn hóa Lao động']);

    const bad = await chat.say(user, 'ở nhà');
    expect(chat.texts(bad)).toMatch(/chưa hợp lệ.*Tại công ty \/ Tại Nhà Văn hóa Lao động/s);
    expect(chat.texts(bad)).toMatch(/\(1\/3\)/);

    const q2 = await chat.say(user, String(chat.buttons(q1)[1].payload));
    expect(chat.texts(q2)).toMatch(/\(2\/3\) Số con/);
    expect(chat.texts(await chat.say(user, 'hai'))).toMatch(/chưa hợp lệ.*nhập một số/s);
    const q3 = await chat.say(user, '2');
    expect(chat.texts(q3)).toMatch(/\(3\/3\) Ghi chú.*không bắt buộc/s);

    // A new app instance (another process after a restart) on the same database continues the flow.
    const t2 = await createTestApp({ env: fakeZaloEnv(fake), database: t.database });
    const srv2 = await listen(t2.app);
    try {
      const chat2 = chatWith(fake, () => `${srv2.url}/webhook/zalo`, t2.inbox);
      const summary = await chat2.say(user, 'Bỏ qua');
      expect(chat2.texts(summary)).toMatch(/Nơi nhận quà: Tại Nhà Văn hóa Lao động[\s\S]*Số con dưới 15 tuổi: 2[\s\S]*Ghi chú: —[\s\S]*xác nhận/);
      const done = await chat2.say(user, 'xác nhận');
      expect(chat2.texts(done)).toMatch(new RegExp(`Mã đăng ký của bạn: ${program.code}-\\d{6}`));
    } finally {
      await srv2.close();
      t2.kb.close();
      await t2.inbox.close();
      t2.deps.zalo.close();
    }
    const rows = await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.memberId, member.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(expect.objectContaining({ status: 'submitted', channel: 'chat', answers: { pickup: 'Tại Nhà Văn hóa Lao động', children: 2 } }));

    // A second attempt answers "already registered" with its status.
    await chat.say(user, 'dang ky');
    expect(chat.texts(await chat.say(user, `#pl:${program.id}`))).toMatch(/đã đăng ký .*trạng thái: Đã gửi/s);
  });

  it('reads answers as workers type them: "1.500.000", an option called "Không", "vâng ạ"; a menu button mid-flow is that button', async () => {
    const branch = await makeBranch(t.db);
    const fields: WelfareField[] = [
      { key: 'amount', label: 'Số tiền đề nghị hỗ trợ', type: 'number', required: true },
      { key: 'insured', label: 'Có thẻ BHYT không', type: 'choice', required: false, options: ['Có', 'Không'] },
    ];
    const program = await makeProgram(t.db, { branchId: branch.id, fields, title: 'Hỗ trợ khó khăn' });
    const { member, zaloUserId: user } = await linkedMember({ branchId: branch.id });
    await chat.say(user, 'dang ky');
    await chat.say(user, `#pl:${program.id}`);
    await chat.say(user, '1.500.000');
    const summary = await chat.say(user, 'Không');
    expect(chat.texts(summary)).toMatch(/Số tiền đề nghị hỗ trợ: 1\.500\.000[\s\S]*Có thẻ BHYT không: Không/);
    expect(chat.texts(await chat.say(user, 'vâng ạ'))).toMatch(/Mã đăng ký của bạn/);
    const [row] = await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.memberId, member.id));
    expect(row.answers).toEqual({ amount: 1_500_000, insured: 'Không' });

    // Mid-flow, the menu's "Thẻ đoàn viên" shows the card; it is not saved as an answer.
    const other = await makeProgram(t.db, { branchId: branch.id, fields: [{ key: 'reason', label: 'Lý do', type: 'text', required: true }], title: 'Thăm hỏi ốm đau' });
    await chat.say(user, 'dang ky');
    await chat.say(user, `#pl:${other.id}`);
    expect(chat.texts(await chat.say(user, 'Thẻ đoàn viên'))).toMatch(new RegExp(member.memberCode));
    expect(chat.texts(await chat.say(user, 'ốm nằm viện 5 ngày'))).not.toMatch(/xác nhận/);
  });

  it('cancels with "hủy": the next message is not taken as an answer', async () => {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id, fields: TET_FIELDS });
    const { member, zaloUserId: user } = await linkedMember({ branchId: branch.id });
    await chat.say(user, 'dang ky');
    await chat.say(user, `#pl:${program.id}`);
    await chat.say(user, 'tai cong ty');
    expect(chat.texts(await chat.say(user, 'hủy'))).toMatch(/Đã hủy/);
    expect(chat.texts(await chat.say(user, '2'))).not.toMatch(/\(3\/3\)/);
    expect(await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.memberId, member.id))).toHaveLength(0);
  });

  it('lists more programs than Zalo has buttons: all numbered, 5 buttons, a typed number picks any; a very long list points to the mini-app', async () => {
    const branch = await makeBranch(t.db);
    for (let i = 1; i <= 7; i++) await makeProgram(t.db, { branchId: branch.id, title: `Chương trình số ${i}`, closesAt: new Date(Date.now() + (10 + i) * DAY) });
    const { zaloUserId: user } = await linkedMember({ branchId: branch.id });
    const list = await chat.say(user, 'dang ky');
    const text = chat.texts(list);
    expect(text).toMatch(/Có 7 chương trình.*gõ số thứ tự/s);
    for (let i = 1; i <= 7; i++) expect(text).toContain(`Chương trình số ${i}`);
    expect(chat.buttons(list)).toHaveLength(5);
    const line = text.split('\n').find((l) => l.includes('Chương trình số 7'))!;
    const started = await chat.say(user, line.split('.')[0]);
    expect(chat.texts(started)).toMatch(/📝 Chương trình số 7/);
    await chat.say(user, 'hủy');
    await chat.say(user, 'dang ky');
    expect(chat.texts(await chat.say(user, 'chuong trinh so 6'))).toMatch(/📝 Chương trình số 6/); // the title typed without diacritics
    await chat.say(user, 'hủy');

    for (let i = 8; i <= 17; i++) await makeProgram(t.db, { branchId: branch.id, title: `Chương trình số ${i}` });
    const long = chat.texts(await chat.say(user, 'dang ky'));
    expect(long).toMatch(/Có 17 chương trình/);
    expect(long).toMatch(/\n15\. /);
    expect(long).not.toMatch(/\n16\. /);
    expect(long).toMatch(/và 2 chương trình khác.*mini-app/);
  });

  it('sends unlinked users to linking first', async () => {
    const replies = await chat.say(zaloId(), 'dang ky');
    expect(chat.texts(replies)).toMatch(/liên kết/);
  });

  it('refuses a closed program, a suspended member and a member who joined too late', async () => {
    const branch = await makeBranch(t.db);
    const closed = await makeProgram(t.db, { branchId: branch.id, opensAt: new Date(Date.now() - 10 * DAY), closesAt: new Date(Date.now() - DAY), title: 'Tham quan hè 2026' });
    const strict = await makeProgram(t.db, { branchId: branch.id, rules: { activeOnly: true, joinedBefore: '2026-12-01' } });
    const ok = await linkedMember({ branchId: branch.id, joinedAt: '2015-01-01' });
    const suspended = await linkedMember({ branchId: branch.id, status: 'suspended' });
    const late = await linkedMember({ branchId: branch.id, joinedAt: '2026-12-15' });

    expect(chat.texts(await chat.say(ok.zaloUserId, `#pl:${closed.id}`))).toMatch(/đã hết hạn đăng ký/);
    const closedApi = await api().post(`/api/miniapp/welfare/programs/${closed.id}/registrations`).set(ok.auth).send({ answers: {} });
    expect(closedApi.status).toBe(400);
    expect(closedApi.body.error.code).toBe('PROGRAM_CLOSED');

    expect(chat.texts(await chat.say(suspended.zaloUserId, `#pl:${strict.id}`))).toMatch(/chưa đủ điều kiện.*đang sinh hoạt/s);
    const lateApi = await api().post(`/api/miniapp/welfare/programs/${strict.id}/registrations`).set(late.auth).send({ answers: {} });
    expect(lateApi.status).toBe(400);
    expect(lateApi.body.error).toEqual(expect.objectContaining({ code: 'NOT_ELIGIBLE', message: expect.stringMatching(/trước 01\/12\/2026/) }));
    expect((await api().post(`/api/miniapp/welfare/programs/${strict.id}/registrations`).set(ok.auth).send({})).status).toBe(201);
  });
});

describe('registration in the mini-app', () => {
  it('lists open programs with my registration, validates answers with field paths, registers, lists and cancels', async () => {
    const root = await makeBranch(t.db);
    const mine = await makeBranch(t.db, { parentId: root.id });
    const other = await makeBranch(t.db, { parentId: root.id });
    const program = await makeProgram(t.db, { branchId: root.id, fields: TET_FIELDS });
    const foreign = await makeProgram(t.db, { branchId: other.id, title: 'Chương trình đơn vị khác' });
    const u = await linkedMember({ branchId: mine.id });

    const list = await api().get('/api/miniapp/welfare/programs').set(u.auth);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((p: { id: number }) => p.id);
    expect(ids).toContain(program.id);
    expect(ids).not.toContain(foreign.id);
    expect(list.body.items.find((p: { id: number }) => p.id === program.id).myRegistration).toBeNull();

    const invalid = await api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: { pickup: 'Ở nhà', children: 'hai' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('INVALID_ANSWERS');
    expect(invalid.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['answers.children', 'answers.pickup']);

    const outside = await api().post(`/api/miniapp/welfare/programs/${foreign.id}/registrations`).set(u.auth).send({ answers: {} });
    expect(outside.status).toBe(404);

    const ok = await api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: { pickup: 'Tại công ty', children: 1, note: 'Gọi trước khi giao' } });
    expect(ok.status).toBe(201);
    expect(ok.body.reference).toMatch(new RegExp(`^${program.code}-\\d{6}$`));
    const again = await api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: { pickup: 'Tại công ty', children: 1 } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/đã đăng ký.*Đã gửi/s);
    expect(again.body.registration.status).toBe('submitted');

    const list2 = await api().get('/api/miniapp/welfare/programs').set(u.auth);
    expect(list2.body.items.find((p: { id: number }) => p.id === program.id).myRegistration.reference).toBe(ok.body.reference);
    const regs = await api().get('/api/miniapp/welfare/registrations').set(u.auth);
    expect(regs.body.items).toEqual([expect.objectContaining({ id: ok.body.id, status: 'submitted', statusLabel: 'Đã gửi', programTitle: program.title })]);

    const stranger = await linkedMember({ branchId: mine.id });
    expect((await api().post(`/api/miniapp/welfare/registrations/${ok.body.id}/cancel`).set(stranger.auth)).status).toBe(404);
    const cancel = await api().post(`/api/miniapp/welfare/registrations/${ok.body.id}/cancel`).set(u.auth);
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    // After cancelling, registering again is allowed (the unique index ignores cancelled rows).
    expect((await api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: { pickup: '1', children: '0' } })).status).toBe(201);
  });

  it('concurrent registration from chat and mini-app gives one row', async () => {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id });
    for (let round = 0; round < 3; round++) {
      const u = await linkedMember({ branchId: branch.id });
      await chat.say(u.zaloUserId, `#pl:${program.id}`); // no fields → straight to the summary
      const [chatReplies, viaApp] = await Promise.all([
        chat.say(u.zaloUserId, 'đồng ý'),
        api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: {} }),
      ]);
      const rows = await t.db.select().from(welfareRegistrations).where(and(eq(welfareRegistrations.memberId, u.member.id), eq(welfareRegistrations.programId, program.id)));
      expect(rows).toHaveLength(1);
      const chatWon = /Mã đăng ký của bạn/.test(chat.texts(chatReplies));
      expect(chatWon ? viaApp.status : 201).toBe(chatWon ? 409 : viaApp.status);
      if (!chatWon) expect(chat.texts(chatReplies)).toMatch(/đã đăng ký/);
    }
  });

  it('capacity 10 with 30 concurrent registrations: exactly 10 succeed, 20 are told it is full', async () => {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id, capacity: 10 });
    const users = await Promise.all(Array.from({ length: 30 }, () => linkedMember({ branchId: branch.id })));
    // Warm the token cache so the race is on the registration, not on token checks.
    await Promise.all(users.map((u) => api().get('/api/miniapp/welfare/programs').set(u.auth).expect(200)));
    const results = await Promise.all(users.map((u) => api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: {} })));
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('PROGRAM_FULL');
      expect(r.body.error.message).toMatch(/đã đủ số lượng/);
    }
    expect(await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.programId, program.id))).toHaveLength(10);
  });
});

describe('registration service under concurrency', () => {
  it('the same capacity race without HTTP in between: exactly 10 of 30 get a place', async () => {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id, capacity: 10 });
    const people = await Promise.all(Array.from({ length: 30 }, () => makeMember(t.db, { branchId: branch.id })));
    const now = new Date();
    const outcomes = await Promise.all(people.map((member) => registerForProgram(t.db, { programId: program.id, member, answers: {}, channel: 'miniapp', now })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(10);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'full')).toHaveLength(20);
    expect(await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.programId, program.id))).toHaveLength(10);
  });

  it('the same member registering 10 times at once gets one row', async () => {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id });
    const member = await makeMember(t.db, { branchId: branch.id });
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => registerForProgram(t.db, { programId: program.id, member, answers: {}, channel: i % 2 ? 'chat' : 'miniapp', now })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'already')).toHaveLength(9);
    expect(await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.memberId, member.id))).toHaveLength(1);
  });
});

describe('officer review', () => {
  async function setup(capacity?: number) {
    const branch = await makeBranch(t.db);
    const program = await makeProgram(t.db, { branchId: branch.id, fields: TET_FIELDS, capacity });
    const officer = await makeOfficer(t.db, { branchId: branch.id, role: 'officer' });
    const viewer = await makeOfficer(t.db, { branchId: branch.id, role: 'viewer' });
    const register = async (fullName: string) => {
      const u = await linkedMember({ branchId: branch.id, fullName });
      const res = await api().post(`/api/miniapp/welfare/programs/${program.id}/registrations`).set(u.auth).send({ answers: { pickup: 'Tại công ty', children: 1 } });
      expect(res.status).toBe(201);
      return { ...u, registrationId: res.body.id as number };
    };
    return { branch, program, officer, viewer, register, auth: (o: { token: string }) => ({ authorization: `Bearer ${o.token}` }) };
  }

  it('approves one registration; the member gets a transaction message; the decision is audited', async () => {
    const s = await setup();
    const a = await s.register('Trần Văn An');
    expect((await api().post(`/api/admin/welfare-registrations/${a.registrationId}/approve`).set(s.auth(s.viewer)).send({})).status).toBe(403);
    const stranger = await makeOfficer(t.db, { branchId: (await makeBranch(t.db)).id, role: 'admin' });
    expect((await api().post(`/api/admin/welfare-registrations/${a.registrationId}/approve`).set(s.auth(stranger)).send({})).status).toBe(404);

    const before = fake.sentTo(a.zaloUserId).length;
    const res = await api().post(`/api/admin/welfare-registrations/${a.registrationId}/approve`).set(s.auth(s.officer)).send({ note: 'Nhận quà ngày 20/01' });
    expect(res.status).toBe(200);
    expect(res.body.notified).toEqual({ sent: 1, failed: 0, skipped: 0 });
    const got = fake.sentTo(a.zaloUserId).slice(before);
    expect(got).toHaveLength(1);
    expect(got[0].kind).toBe('transaction');
    expect(JSON.stringify(got[0].message)).toMatch(/đã được duyệt[\s\S]*Nhận quà ngày 20\/01/);

    const [row] = await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.id, a.registrationId));
    expect(row).toEqual(expect.objectContaining({ status: 'approved', reviewedByOfficerId: s.officer.officer.id, notifyStatus: 'sent', note: 'Nhận quà ngày 20/01' }));
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.target, `welfare_registration:${a.registrationId}`));
    expect(audit.map((x) => x.action)).toContain('welfare.approve');
    expect((await api().get('/api/miniapp/welfare/registrations').set(a.auth)).body.items[0].statusLabel).toBe('Đã duyệt');
  });

  it('a Zalo failure does not undo the decision and is recorded', async () => {
    const s = await setup();
    const a = await s.register('Lê Thị Bình');
    fake.faults.nextSendErrors.push(-230);
    const res = await api().post(`/api/admin/welfare-registrations/${a.registrationId}/reject`).set(s.auth(s.officer)).send({});
    expect(res.status).toBe(200);
    expect(res.body.notified.failed).toBe(1);
    const [row] = await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.id, a.registrationId));
    expect(row.status).toBe('rejected');
    expect(row.notifyStatus).toBe('failed');
    expect(row.notifyError).toMatch(/230/);
  });

  it('re-approving a rejected registration needs a free place: refused with PROGRAM_FULL when it went to someone else', async () => {
    const s = await setup(2);
    const a = await s.register('Phan Văn Một');
    await s.register('Phan Văn Hai');
    expect((await api().post(`/api/admin/welfare-registrations/${a.registrationId}/reject`).set(s.auth(s.officer)).send({})).status).toBe(200);
    const c = await s.register('Phan Văn Ba'); // the freed place is taken
    const again = await api().post(`/api/admin/welfare-registrations/${a.registrationId}/approve`).set(s.auth(s.officer)).send({});
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual(expect.objectContaining({ code: 'PROGRAM_FULL' }));
    const [row] = await t.db.select().from(welfareRegistrations).where(eq(welfareRegistrations.id, a.registrationId));
    expect(row.status).toBe('rejected');
    // Once a place is free again (Ba rejected), the re-approval goes through.
    expect((await api().post(`/api/admin/welfare-registrations/${c.registrationId}/reject`).set(s.auth(s.officer)).send({})).status).toBe(200);
    expect((await api().post(`/api/admin/welfare-registrations/${a.registrationId}/approve`).set(s.auth(s.officer)).send({})).status).toBe(200);
  });

  it('bulk rejects, lists by status with paging, and exports an inert =HYPERLINK name', async () => {
    const s = await setup();
    const a = await s.register('=HYPERLINK("http://evil.example","bấm vào")');
    const b = await s.register('Phạm Thị Cúc');
    const c = await s.register('Đỗ Văn Dũng');
    const bulk = await api()
      .post(`/api/admin/welfare-programs/${s.program.id}/registrations/bulk`)
      .set(s.auth(s.officer))
      .send({ ids: [b.registrationId, c.registrationId, 999999], action: 'reject', note: 'Hết suất' });
    expect(bulk.status).toBe(200);
    expect(bulk.body.updated.sort()).toEqual([b.registrationId, c.registrationId].sort());
    expect(bulk.body.skipped).toEqual([999999]);
    for (const u of [b, c]) expect(fake.sentTo(u.zaloUserId).some((m) => m.kind === 'transaction' && /không được duyệt/.test(JSON.stringify(m.message)))).toBe(true);
    expect((await api().post(`/api/admin/welfare-programs/${s.program.id}/registrations/bulk`).set(s.auth(s.viewer)).send({ ids: [a.registrationId], action: 'approve' })).status).toBe(403);

    const rejected = await api().get(`/api/admin/welfare-programs/${s.program.id}/registrations?status=rejected&pageSize=1`).set(s.auth(s.viewer));
    expect(rejected.status).toBe(200);
    expect(rejected.body.total).toBe(2);
    expect(rejected.body.items).toHaveLength(1);
    const byBranch = await api().get(`/api/admin/welfare-programs/${s.program.id}/registrations?branchCode=${s.branch.code}`).set(s.auth(s.officer));
    expect(byBranch.body.total).toBe(3);
    // Lists mask phone numbers.
    await t.db.update(members).set({ phone: '+84912345678' }).where(eq(members.id, byBranch.body.items[0].memberId));
    const masked = await api().get(`/api/admin/welfare-programs/${s.program.id}/registrations?branchCode=${s.branch.code}`).set(s.auth(s.officer));
    const row = masked.body.items.find((i: { memberId: number }) => i.memberId === byBranch.body.items[0].memberId);
    expect(row.phone).toMatch(/^\*+678$/);

    const xlsx = await api()
      .get(`/api/admin/welfare-programs/${s.program.id}/registrations?format=xlsx`)
      .set(s.auth(s.officer))
      .buffer(true)
      .parse(asBuffer);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Mã đăng ký', 'Họ và tên', 'Nơi nhận quà', 'Trạng thái']));
    const nameCol = header.indexOf('Họ và tên') + 1;
    const names: unknown[] = [];
    ws.eachRow((row, i) => {
      if (i > 1) names.push(row.getCell(nameCol).value);
    });
    expect(names).toContain(`'=HYPERLINK("http://evil.example","bấm vào")`);
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.formula).toBeUndefined()));

    const csv = await api().get(`/api/admin/welfare-programs/${s.program.id}/registrations?format=csv`).set(s.auth(s.officer));
    expect(csv.text).toMatch(/'=HYPERLINK/);
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect((await api().get(`/api/admin/welfare-programs/${s.program.id}/registrations?format=csv`).set(s.auth(s.viewer))).status).toBe(403);
    // The list: a viewer, who may not export, does not get the form answers either.
    const listed = async (who: Parameters<typeof s.auth>[0]) => (await api().get(`/api/admin/welfare-programs/${s.program.id}/registrations`).set(s.auth(who))).body.items as Record<string, unknown>[];
    expect((await listed(s.officer))[0].answers).toEqual(expect.any(Object));
    const seenByViewer = await listed(s.viewer);
    expect(seenByViewer.length).toBeGreaterThan(0);
    for (const item of seenByViewer) expect(item).not.toHaveProperty('answers');
    const exported = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'welfare.export'), eq(auditLog.target, `welfare_program:${s.program.id}`)));
    expect(exported.length).toBe(2);
  });
});

describe('programs API', () => {
  it('creates, lists, reads and updates programs in scope; validates the field description', async () => {
    const root = await makeBranch(t.db);
    const child = await makeBranch(t.db, { parentId: root.id });
    const officer = await makeOfficer(t.db, { branchId: root.id, role: 'officer' });
    const childViewer = await makeOfficer(t.db, { branchId: child.id, role: 'viewer' });
    const auth = { authorization: `Bearer ${officer.token}` };
    const body = {
      code: `kham${Date.now().toString(36)}`,
      title: 'Khám sức khỏe định kỳ',
      eligibility: 'Đoàn viên đang sinh hoạt',
      rules: { activeOnly: true, joinedBefore: '2026-01-01' },
      fields: [{ key: 'date', label: 'Ngày muốn khám', type: 'date', required: true }],
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + DAY).toISOString(),
      capacity: 300,
    };
    const bad = await api().post('/api/admin/welfare-programs').set(auth).send({ ...body, fields: [{ key: 'x', label: 'X', type: 'choice', required: true }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/options/);
    expect((await api().post('/api/admin/welfare-programs').set({ authorization: `Bearer ${childViewer.token}` }).send(body)).status).toBe(403);

    const created = await api().post('/api/admin/welfare-programs').set(auth).send(body);
    expect(created.status).toBe(201);
    expect(created.body.code).toBe(body.code.toUpperCase());
    expect((await api().post('/api/admin/welfare-programs').set(auth).send(body)).status).toBe(409);
    const list = await api().get('/api/admin/welfare-programs').set(auth);
    expect(list.body.items.find((p: { id: number }) => p.id === created.body.id).registered).toBe(0);
    // A viewer of a child branch does not see the parent's program.
    expect((await api().get(`/api/admin/welfare-programs/${created.body.id}`).set({ authorization: `Bearer ${childViewer.token}` })).status).toBe(404);
    const upd = await api().patch(`/api/admin/welfare-programs/${created.body.id}`).set(auth).send({ capacity: 5, title: 'Khám sức khỏe 2027' });
    expect(upd.status).toBe(200);
    expect(upd.body).toEqual(expect.objectContaining({ capacity: 5, title: 'Khám sức khỏe 2027' }));

    const u = await linkedMember({ branchId: child.id, joinedAt: '2020-01-01' });
    const wrongDate = await api().post(`/api/miniapp/welfare/programs/${created.body.id}/registrations`).set(u.auth).send({ answers: { date: '31/02/2027' } });
    expect(wrongDate.status).toBe(400);
    expect(wrongDate.body.error.fields[0].path).toBe('answers.date');
    const good = await api().post(`/api/miniapp/welfare/programs/${created.body.id}/registrations`).set(u.auth).send({ answers: { date: '15/01/2027' } });
    expect(good.status).toBe(201);
    expect(good.body.answers).toEqual({ date: '2027-01-15' });
  });
});

describe('polls', () => {
  it('sends a poll with option buttons; votes count once per member, can change before closing, refused after', async () => {
    const branch = await makeBranch(t.db);
    const officer = await makeOfficer(t.db, { branchId: branch.id, role: 'officer' });
    const auth = { authorization: `Bearer ${officer.token}` };
    const a = await linkedMember({ branchId: branch.id });
    const b = await linkedMember({ branchId: branch.id });

    const bad = await api().post('/api/admin/polls').set(auth).send({ question: 'Chọn quà?', options: ['Một'], closesAt: new Date(Date.now() + DAY) });
    expect(bad.status).toBe(400);
    const created = await api()
      .post('/api/admin/polls')
      .set(auth)
      .send({ question: 'Chọn địa điểm du lịch hè 2027?', options: ['Đà Lạt', 'Nha Trang', 'Phú Quốc'], branchCode: branch.code, closesAt: new Date(Date.now() + DAY) });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    const tooMany = await api().post('/api/admin/polls').set(auth).send({ question: 'Chọn?', options: ['1', '2', '3', '4', '5', '6'], closesAt: new Date(Date.now() + DAY) });
    expect(tooMany.status).toBe(400);

    // A poll goes out as a broadcast: the same ledger, rate limit and progress, sent by the worker.
    const workers = startTestWorkers(t);
    try {
      const sent = await api().post(`/api/admin/polls/${id}/send`).set(auth);
      expect(sent.status).toBe(202);
      expect(sent.body).toMatchObject({ total: 2, pending: 2 });
      const done = await waitForBroadcast(t.app, officer.token, sent.body.broadcastId);
      expect(done).toMatchObject({ sent: 2, failed: 0 });
      const view = await api().get(`/api/admin/polls/${id}`).set(auth);
      expect(view.body.lastSend).toMatchObject({ broadcastId: sent.body.broadcastId, status: 'done', sent: 2, failed: 0, pending: 0 });
    } finally {
      await workers.close();
    }
    expect(fake.sentTo(a.zaloUserId)).toHaveLength(1);
    const msg = fake.sentTo(a.zaloUserId).at(-1)!;
    const buttons = msg.message.attachment.payload.buttons as { title: string; type: string; payload: string }[];
    expect(buttons.map((x) => x.title)).toEqual(['Đà Lạt', 'Nha Trang', 'Phú Quốc']);
    expect(buttons[1]).toEqual(expect.objectContaining({ type: 'oa.query.hide', payload: `#poll:${id}:1` }));

    expect(chat.texts(await chat.say(a.zaloUserId, hidden(buttons, /Nha Trang/)))).toMatch(/Cảm ơn.*Nha Trang/);
    await chat.say(a.zaloUserId, hidden(buttons, /Nha Trang/));
    expect(chat.texts(await chat.say(a.zaloUserId, hidden(buttons, /Đà Lạt/)))).toMatch(/Đã đổi.*Đà Lạt/);
    const viaApp = await api().post(`/api/miniapp/polls/${id}/vote`).set(b.auth).send({ option: 2 });
    expect(viaApp.status).toBe(200);
    await api().post(`/api/miniapp/polls/${id}/vote`).set(b.auth).send({ option: 2 });

    const results = await api().get(`/api/admin/polls/${id}`).set(auth);
    expect(results.body).toEqual(
      expect.objectContaining({
        question: 'Chọn địa điểm du lịch hè 2027?',
        options: [
          { text: 'Đà Lạt', votes: 1 },
          { text: 'Nha Trang', votes: 0 },
          { text: 'Phú Quốc', votes: 1 },
        ],
        total: 2,
      }),
    );

    await t.db.update(polls).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(polls.id, id));
    expect(chat.texts(await chat.say(a.zaloUserId, `#poll:${id}:1`))).toMatch(/đã kết thúc/);
    const late = await api().post(`/api/miniapp/polls/${id}/vote`).set(b.auth).send({ option: 0 });
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe('POLL_CLOSED');
    expect((await api().get(`/api/admin/polls/${id}`).set(auth)).body.total).toBe(2);
  });

  it('lists every poll with its own votes and last send; broadcastProgress reads many broadcasts at once', async () => {
    const branch = await makeBranch(t.db);
    const officer = await makeOfficer(t.db, { branchId: branch.id, role: 'officer' });
    const auth = { authorization: `Bearer ${officer.token}` };
    const a = await linkedMember({ branchId: branch.id });
    const b = await linkedMember({ branchId: branch.id });
    const ids: number[] = [];
    for (const q of ['Bình chọn một?', 'Bình chọn hai?', 'Bình chọn ba?']) {
      const created = await api().post('/api/admin/polls').set(auth).send({ question: q, options: ['Có', 'Không'], branchCode: branch.code, closesAt: new Date(Date.now() + DAY) });
      ids.push(created.body.id as number);
    }
    // No workers here: the two sends stay in progress, each with its own broadcast.
    const sends = [];
    for (const id of ids.slice(0, 2)) sends.push((await api().post(`/api/admin/polls/${id}/send`).set(auth)).body as { broadcastId: number });
    // Votes on two of the polls: each poll in the list counts only its own.
    for (const [who, poll, option] of [[a, ids[0], 0], [b, ids[0], 0], [a, ids[1], 1]] as const) {
      expect((await api().post(`/api/miniapp/polls/${poll}/vote`).set(who.auth).send({ option })).status).toBe(200);
    }
    const list = await api().get('/api/admin/polls').set(auth);
    expect(list.status).toBe(200);
    type Item = { id: number; lastSend: unknown; total: number; options: { text: string; votes: number }[] };
    const votes = new Map((list.body.items as Item[]).map((p) => [p.id, p.options.map((o) => o.votes)]));
    expect(ids.map((id) => votes.get(id))).toEqual([[2, 0], [0, 1], [0, 0]]);
    const byId = new Map((list.body.items as Item[]).map((p) => [p.id, p.lastSend]));
    for (const [i, s] of sends.entries()) {
      expect(byId.get(ids[i])).toEqual({ broadcastId: s.broadcastId, at: expect.any(String), status: 'sending', sent: 0, failed: 0, pending: 2, skipped: 0 });
    }
    expect(byId.get(ids[2])).toBeNull();

    const draft = await createBroadcast(t.db, { branchId: branch.id, segment: {}, message: { title: 'T', text: 'x' }, scheduledAt: null, announcementId: null, createdByOfficerId: officer.officer.id, total: 7 });
    const progress = await broadcastProgress(t.db, [draft.id, sends[0].broadcastId, draft.id, 999_999_999]);
    expect([...progress.keys()].sort((x, y) => x - y)).toEqual([sends[0].broadcastId, draft.id].sort((x, y) => x - y));
    expect(progress.get(draft.id)).toMatchObject({ status: 'draft', total: 7, sent: 0, failed: 0, pending: 0, inFlight: 0, skipped: 0 });
    expect(progress.get(sends[0].broadcastId)).toMatchObject({ status: 'sending', total: 2, pending: 2 });
    expect((await broadcastProgress(t.db, [])).size).toBe(0);
  });
});
