/** The OA bot as a worker uses it: welcome, linking, announcements, card and hand-off, through the real webhook. */
import { eq } from 'drizzle-orm';
import request from 'supertest';
import type { FakeZalo } from '../fakes/fake-zalo';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { announcements, conversations, members, handoffTickets } from '../../shared/db/schema';
import { useFakeZaloApp, type TestApp, type Chat } from '../helpers/fake-zalo-app';

let fake: FakeZalo;
let t: TestApp;
let chat: Chat;

useFakeZaloApp({}, (s) => void ({ fake, t, chat } = s));

describe('follow and menu', () => {
  it('welcomes a new follower in Vietnamese with the five menu buttons', async () => {
    const user = zaloId();
    const replies = await chat.post(fake.buildEvent.follow(user));
    expect(chat.texts(replies)).toMatch(/Chào mừng/);
    expect(chat.buttons(replies).map((b) => b.title)).toEqual(['Hỏi đáp pháp luật', 'Thông báo mới', 'Đăng ký phúc lợi', 'Thẻ đoàn viên', 'Gặp cán bộ']);
  });

  it('marks a linked member unreachable on unfollow and reachable again on follow', async () => {
    const user = zaloId();
    const m = await makeMember(t.db, { zaloUserId: user });
    await chat.post(fake.buildEvent.unfollow(user));
    expect((await t.db.select().from(members).where(eq(members.id, m.id)))[0].unfollowedAt).not.toBeNull();
    await chat.post(fake.buildEvent.follow(user));
    expect((await t.db.select().from(members).where(eq(members.id, m.id)))[0].unfollowedAt).toBeNull();
  });

  it('answers menu words typed without diacritics', async () => {
    const replies = await chat.say(zaloId(), 'MENU!');
    expect(chat.buttons(replies)).toHaveLength(5);
  });
});

describe('member linking in chat', () => {
  it('links by member code and date of birth, then knows the member', async () => {
    const user = zaloId();
    const m = await makeMember(t.db, { fullName: 'Phạm Văn Đức', dateOfBirth: '1988-09-05' });
    expect(chat.texts(await chat.say(user, 'lien ket'))).toMatch(/MÃ ĐOÀN VIÊN[\s\S]*Nghị định 13\/2023|Nghị định 13\/2023[\s\S]*MÃ ĐOÀN VIÊN/);
    expect(chat.texts(await chat.say(user, m.memberCode))).toMatch(/NGÀY SINH/);
    expect(chat.texts(await chat.say(user, '05/09/1988'))).toMatch(/Liên kết thành công.*Phạm Văn Đức/s);
    const [row] = await t.db.select().from(members).where(eq(members.id, m.id));
    expect(row.zaloUserId).toBe(user);
    expect(chat.texts(await chat.say(user, 'thẻ đoàn viên'))).toMatch(new RegExp(m.memberCode));
  });

  it('limits wrong answers per user per hour, with one generic message', async () => {
    const user = zaloId();
    const m = await makeMember(t.db, { dateOfBirth: '1990-01-01' });
    await chat.say(user, 'liên kết');
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) {
      await chat.say(user, i % 2 ? 'KHONG-CO-MA' : m.memberCode);
      texts.push(chat.texts(await chat.say(user, '02/02/1990')));
    }
    expect(texts[0]).toMatch(/chưa khớp.*còn 4 lần/s);
    expect(texts[1]).toMatch(/chưa khớp.*còn 3 lần/s); // unknown code looks the same as a wrong date
    expect(texts[4]).toMatch(/quá nhiều lần/);
    // Even the right answer is refused now.
    await chat.say(user, 'lien ket');
    const [row] = await t.db.select().from(members).where(eq(members.id, m.id));
    expect(row.zaloUserId).toBeNull();
  });

  it('links through the phone number shared with the request-user-info form', async () => {
    const user = zaloId();
    const m = await makeMember(t.db, { phone: '+84938123456' });
    const start = await chat.say(user, 'liên kết');
    expect(start.some((s) => s.message.attachment?.payload?.template_type === 'request_user_info')).toBe(true);
    const done = await chat.post(fake.buildEvent.submitInfo(user, { phone: '84938123456', name: 'A' }));
    expect(chat.texts(done)).toMatch(/Liên kết thành công/);
    const [row] = await t.db.select().from(members).where(eq(members.id, m.id));
    expect(row.zaloUserId).toBe(user);
  });

  it('does not move a member linked to another Zalo account on a code and a date of birth', async () => {
    const owner = zaloId();
    const m = await makeMember(t.db, { dateOfBirth: '1993-04-20', zaloUserId: owner });
    const stranger = zaloId();
    await chat.say(stranger, 'lien ket');
    await chat.say(stranger, m.memberCode);
    expect(chat.texts(await chat.say(stranger, '20/04/1993'))).toMatch(/đã liên kết với một tài khoản Zalo khác.*Chia sẻ thông tin/s);
    const [row] = await t.db.select().from(members).where(eq(members.id, m.id));
    expect(row.zaloUserId).toBe(owner);
    expect(chat.texts(await chat.say(owner, 'thẻ đoàn viên'))).toMatch(new RegExp(m.memberCode));

    // The member's phone, vouched for by Zalo, moves it; the account it leaves is told at once.
    await t.db.update(members).set({ phone: '+84938555111' }).where(eq(members.id, m.id));
    const before = fake.sentTo(owner).length;
    expect(chat.texts(await chat.post(fake.buildEvent.submitInfo(stranger, { phone: '84938555111', name: 'B' })))).toMatch(/Liên kết thành công/);
    const told = fake.sentTo(owner).slice(before);
    expect(told.map((x) => x.text).join('\n')).toMatch(new RegExp(`${m.memberCode}.*tài khoản Zalo khác.*gặp cán bộ`, 's'));
    const [moved] = await t.db.select().from(members).where(eq(members.id, m.id));
    expect(moved.zaloUserId).toBe(stranger);
  });

  it('cancels the flow with "huy"', async () => {
    const user = zaloId();
    await chat.say(user, 'lien ket');
    expect(chat.texts(await chat.say(user, 'hủy'))).toMatch(/Đã hủy/);
    expect(chat.texts(await chat.say(user, 'menu'))).toMatch(/Bạn cần gì/);
  });
});

describe('announcements in chat', () => {
  it('lists announcements of the member branch and its ancestors, hides other branches, and reads one', async () => {
    const root = await makeBranch(t.db);
    const mine = await makeBranch(t.db, { parentId: root.id });
    const other = await makeBranch(t.db, { parentId: root.id });
    const user = zaloId();
    await makeMember(t.db, { branchId: mine.id, zaloUserId: user });
    const now = Date.now();
    const [a1] = await t.db.insert(announcements).values({ branchId: root.id, title: 'Họp toàn thể đoàn viên', body: 'Chiều thứ Sáu 14h tại hội trường.', publishedAt: new Date(now - 1000) }).returning();
    await t.db.insert(announcements).values({ branchId: other.id, title: 'Tin của đơn vị khác', body: 'x', publishedAt: new Date(now - 500) });
    await t.db.insert(announcements).values({ branchId: mine.id, title: 'Bản nháp chưa đăng', body: 'x', publishedAt: null });
    const list = await chat.say(user, 'thong bao');
    expect(chat.texts(list)).toMatch(/Họp toàn thể đoàn viên/);
    expect(chat.texts(list)).not.toMatch(/đơn vị khác|Bản nháp/);
    const read = chat.buttons(list).find((b) => b.title.includes('Họp toàn thể'))!;
    expect(read.type).toBe('oa.query.hide');
    expect(chat.texts(await chat.say(user, String(read.payload)))).toMatch(/Chiều thứ Sáu 14h/);
    // Guessing another branch's announcement id does not reveal it.
    const [foreign] = await t.db.select().from(announcements).where(eq(announcements.title, 'Tin của đơn vị khác'));
    expect(chat.texts(await chat.say(user, `#tb:${foreign.id}`))).toMatch(/Không tìm thấy/);
    expect(a1.id).toBeGreaterThan(0);
  });
});

describe('hand-off to an officer', () => {
  it('opens a ticket, the officer replies through the API, the worker receives it', async () => {
    const branch = await makeBranch(t.db);
    const user = zaloId();
    const member = await makeMember(t.db, { branchId: branch.id, zaloUserId: user });
    const officer = await makeOfficer(t.db, { branchId: branch.id, role: 'officer' });
    const viewer = await makeOfficer(t.db, { branchId: branch.id, role: 'viewer' });
    const stranger = await makeOfficer(t.db, { branchId: (await makeBranch(t.db)).id, role: 'admin' });

    expect(chat.texts(await chat.say(user, 'gặp cán bộ'))).toMatch(/điều gì/);
    expect(chat.texts(await chat.say(user, 'Công ty chưa đóng BHXH cho em 3 tháng'))).toMatch(/phiếu số \d+/);
    const [ticket] = await t.db.select().from(handoffTickets).where(eq(handoffTickets.memberId, member.id));
    expect(ticket.question).toMatch(/chưa đóng BHXH/);

    const list = await request(t.app).get('/api/admin/handoffs?status=open').set('authorization', `Bearer ${officer.token}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { id: number }) => x.id)).toContain(ticket.id);

    const forbidden = await request(t.app).post(`/api/admin/handoffs/${ticket.id}/reply`).set('authorization', `Bearer ${viewer.token}`).send({ text: 'x' });
    expect(forbidden.status).toBe(403);
    const otherBranch = await request(t.app).post(`/api/admin/handoffs/${ticket.id}/reply`).set('authorization', `Bearer ${stranger.token}`).send({ text: 'x' });
    expect(otherBranch.status).toBe(404);
    const empty = await request(t.app).post(`/api/admin/handoffs/${ticket.id}/reply`).set('authorization', `Bearer ${officer.token}`).send({ text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/text/);

    const before = fake.sentTo(user).length;
    const reply = await request(t.app)
      .post(`/api/admin/handoffs/${ticket.id}/reply`)
      .set('authorization', `Bearer ${officer.token}`)
      .send({ text: 'Chào bạn, công đoàn sẽ làm việc với công ty trong tuần này.' });
    expect(reply.status).toBe(200);
    const got = fake.sentTo(user).slice(before);
    expect(got).toHaveLength(1);
    expect(got[0].kind).toBe('cs');
    expect(got[0].text).toMatch(/Cán bộ công đoàn trả lời:\nChào bạn, công đoàn sẽ làm việc/);

    const detail = await request(t.app).get(`/api/admin/handoffs/${ticket.id}`).set('authorization', `Bearer ${officer.token}`);
    expect(detail.body.status).toBe('answered');
    expect(detail.body.messages.map((m: { author: string }) => m.author)).toEqual(['user', 'officer']);
  });

  it('refuses admin API calls without a valid officer token', async () => {
    expect((await request(t.app).get('/api/admin/handoffs')).status).toBe(401);
    const bad = await request(t.app).get('/api/admin/handoffs').set('authorization', 'Bearer cdv_wrong');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('flows let go', () => {
  it('a menu button tapped in the middle of linking is that command, not the answer the flow waits for', async () => {
    const user = zaloId();
    await chat.say(user, 'liên kết');
    expect(chat.texts(await chat.say(user, 'menu'))).toMatch(/Bạn cần gì/);
    // The menu's own "Gặp cán bộ" button: the hand-off asks its question (it was taken as a member code).
    expect(chat.texts(await chat.say(user, 'Gặp cán bộ'))).toMatch(/điều gì/);
    // Without the menu first, too: a main command mid-flow starts that command.
    const other = zaloId();
    await chat.say(other, 'liên kết');
    await chat.say(other, 'DV99999');
    expect(chat.texts(await chat.say(other, 'Thông báo mới'))).not.toMatch(/Ngày sinh/);
    expect(chat.texts(await chat.say(other, 'thôi'))).toMatch(/Đã hủy/);
  });

  it('a flow left for more than 30 minutes is over: the next question gets its answer', async () => {
    const user = zaloId();
    await chat.say(user, 'gặp cán bộ');
    await t.db.update(conversations).set({ updatedAt: new Date(Date.now() - 31 * 60_000) }).where(eq(conversations.zaloUserId, user));
    const replies = await chat.say(user, 'luong toi thieu vung 1 2026 la bao nhieu');
    expect(chat.texts(replies)).toMatch(/5\.310\.000/);
    expect(await t.db.select().from(handoffTickets).where(eq(handoffTickets.zaloUserId, user))).toEqual([]);
  });

  it('a question that starts with "cán bộ" goes to the Q&A; "gặp cán bộ về …" files only the words after the command', async () => {
    const user = zaloId();
    const replies = await chat.say(user, 'cán bộ công đoàn không chuyên trách có được bảo vệ khi công ty cho nghỉ việc không');
    expect(chat.texts(replies)).toMatch(/Căn cứ/);
    expect(await t.db.select().from(handoffTickets).where(eq(handoffTickets.zaloUserId, user))).toEqual([]);

    expect(chat.texts(await chat.say(user, 'nói chuyện với cán bộ về lương tháng 10 chưa trả'))).toMatch(/phiếu số \d+/);
    const [ticket] = await t.db.select().from(handoffTickets).where(eq(handoffTickets.zaloUserId, user));
    expect(ticket.question).toBe('lương tháng 10 chưa trả');
  });

  it('after the menu, "gặp cán bộ" asks what about instead of filing an earlier unanswered question', async () => {
    const question = 'công ty bắt làm thêm ca đêm liên tục mà không trả phụ cấp độc hại cho tổ sơn';
    // Right after the unsure answer, "gặp cán bộ" files that question...
    const right = zaloId();
    await chat.say(right, question);
    expect(chat.texts(await chat.say(right, 'gặp cán bộ'))).toMatch(/phiếu số \d+/);
    // ...but not once the worker has gone back to the menu.
    const user = zaloId();
    await chat.say(user, question);
    await chat.say(user, 'menu');
    expect(chat.texts(await chat.say(user, 'gặp cán bộ'))).toMatch(/điều gì/);
  });
});

