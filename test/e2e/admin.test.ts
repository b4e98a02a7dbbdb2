/**
 * The officer console at /admin (demo mode) in real Chromium at 1366×900: sign-in, members, broadcast,
 * hand-off, event, announcements, polls, viewer, and the webhook-silence banner.
 */
import type { Browser, Page } from 'playwright-core';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { describeE2E, ensureAdminBuilt, shot, useDemoSystem, watchErrors, type DemoSystem } from './harness';
import { demoZaloAppUserId, demoZaloUserId } from '../../shared/seed/demo';
import { getBranchByCode, getSubtreeIds } from '../../shared/db/queries/branches';
import { members } from '../../shared/db/schema';

describeE2E('officer console at /admin (demo mode) in Chromium', () => {
  let sys: DemoSystem;
  let browser: Browser;
  useDemoSystem({ build: ensureAdminBuilt }, (s) => ({ sys, browser } = s));

  async function signIn(role: 'admin' | 'officer' | 'viewer'): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60000);
    const errors = watchErrors(page);
    await page.goto(`${sys.url}/admin/`);
    await page.getByTestId(`demo-officer-${role}`).click();
    await page.getByTestId('sidebar').waitFor({ timeout: 20000 });
    expect(await page.getByTestId('current-role').getAttribute('data-role')).toBe(role);
    return { page, errors };
  }

  /** JSON call from inside the signed-in page's context (cookie + CSRF like the console itself). */
  async function apiAs(page: Page, method: 'GET' | 'POST', url: string, data?: unknown) {
    const me = await page.request.get(`${sys.url}/api/admin/auth/me`);
    const csrf = (await me.json()).csrfToken as string;
    const res = await page.request.fetch(`${sys.url}${url}`, { method, headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' }, data: data === undefined ? undefined : JSON.stringify(data) });
    return { status: res.status(), body: await res.json().catch(() => null) };
  }

  async function simMessages(userId: string) {
    const res = await fetch(`${sys.url}/simulator/api/messages?userId=${userId}`);
    return ((await res.json()) as { items: { from: string; text?: string; message?: unknown }[] }).items;
  }

  it('signs in with one click, shows the dashboard with charts, finds members without diacritics', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('page-dashboard').waitFor();
    await page.getByTestId('stat-members').waitFor();
    expect(await page.getByTestId('stat-members').innerText()).toMatch(/20\d/);
    await page.locator('[data-testid="chart-branches"] .recharts-bar-rectangle').first().waitFor({ timeout: 10000 });
    await page.mouse.move(1300, 80);
    await shot(page, 'admin-dashboard');

    await page.getByTestId('nav-members').click();
    const first = await sys.runtime.database.db.query.members.findFirst({ where: (m, { eq: e }) => e(m.memberCode, 'DV00007') });
    const folded = first!.fullName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
    await page.getByTestId('members-search').fill(folded);
    await page.getByTestId('member-row-DV00007').waitFor({ timeout: 10000 });
    // Lists mask phone numbers.
    expect(await page.getByTestId('member-row-DV00007').innerText()).toMatch(/\*{3,}\d{3}/);
    await page.getByTestId('member-row-DV00007').click();
    await page.getByTestId('member-detail').waitFor();
    expect(await page.getByTestId('member-detail-name').innerText()).toBe(first!.fullName);
    await shot(page, 'admin-member-detail');
    await page.getByTestId('modal-close').click();
    expect(errors).toEqual([]);
  }, 180000);

  it('imports a CSV with two bad rows and shows them in the report', async () => {
    const { page, errors } = await signIn('officer');
    await page.getByTestId('nav-members').click();
    await page.getByTestId('members-import-open').click();
    const csv = [
      'Mã đoàn viên,Họ và tên,Ngày sinh,Giới tính,Số điện thoại,Mã đơn vị',
      'DVN001,Trần Thị Nhập,12/05/1995,Nữ,0912000001,TO-MAY-1',
      'DVN002,,1990-01-01,Nam,0912000002,TO-MAY-1',
      'DVN003,Lê Văn Sai Ngày,31/02/1990,Nam,0912000003,TO-MAY-1',
      'DVN004,Phạm Văn Bốn,1988-08-08,Nam,0912000004,TO-MAY-2',
    ].join('\n');
    await page.getByTestId('import-file').setInputFiles({ name: 'doan-vien.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-submit').click();
    await page.locator('[data-testid="import-status"][data-status="done"]').waitFor({ timeout: 20000 });
    expect(await page.getByTestId('import-progress').getAttribute('data-pct')).toBe('100');
    expect(await page.getByTestId('import-created').innerText()).toBe('2');
    const rows = page.getByTestId('import-rejected-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-row')).toBe('3');
    expect(await rows.nth(1).getAttribute('data-row')).toBe('4');
    expect(await page.getByTestId('import-rejected').innerText()).toMatch(/họ tên|full_name/i);
    await shot(page, 'admin-import-report');
    expect(errors).toEqual([]);
  }, 180000);

  it('sends a broadcast to a branch and watches the progress reach 100%; the simulator receives it', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('nav-broadcasts').click();
    await page.getByTestId('compose').waitFor();
    const title = 'Thông báo họp tổ Lắp ráp';
    await page.getByTestId('compose-title').fill(title);
    await page.getByTestId('compose-text').fill('Kính gửi {ten}: tổ công đoàn họp lúc 16h thứ Sáu tại nhà ăn.');
    expect(await page.getByTestId('compose-preview').innerText()).toContain('Kính gửi Nguyễn Văn An');
    await page.getByTestId('segment-branch-CDCS-DIENTU').check();
    await shot(page, 'admin-broadcast-compose');
    await page.getByTestId('compose-create').click();
    await page.getByTestId('broadcast-detail').waitFor({ timeout: 15000 });

    // The draft shows its recipient count before anything is sent.
    const total = Number((await page.getByTestId('broadcast-total').innerText()).replace(/\D/g, ''));
    expect(total).toBeGreaterThan(0);
    const db = sys.runtime.database.db;
    const scope = await getSubtreeIds(db, (await getBranchByCode(db, 'CDCS-DIENTU'))!.id);
    const recipients = await db
      .select({ zaloUserId: members.zaloUserId })
      .from(members)
      .where(and(inArray(members.branchId, scope), isNotNull(members.zaloUserId), eq(members.status, 'active')));
    expect(recipients.length).toBeGreaterThan(0);

    await page.getByTestId('broadcast-send').click();
    await page.getByTestId('broadcast-send-confirm').click();
    await page.locator('[data-testid="broadcast-progress"][data-pct="100"]').waitFor({ timeout: 60000 });
    await page.locator('[data-testid="broadcast-detail"][data-status="done"]').waitFor({ timeout: 20000 });
    // Every recipient has an outcome (the simulator may refuse some, e.g. a suspended or unfollowed member → failed/skipped).
    const n = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/\D/g, ''));
    expect(await n('broadcast-sent')).toBeGreaterThan(0);
    expect(await n('broadcast-pending')).toBe(0);
    await shot(page, 'admin-broadcast-done');

    const got = await simMessages(recipients[0].zaloUserId!);
    expect(JSON.stringify(got)).toContain(title);
    expect(errors).toEqual([]);
  }, 240000);

  it('answers a hand-off: the ticket appears without reload and the reply reaches the simulator', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('nav-handoffs').click();
    await page.getByTestId('handoff-list').waitFor();
    const userId = demoZaloUserId(11);
    const sent = await fetch(`${sys.url}/simulator/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text: 'gặp cán bộ về tiền lương làm thêm giờ tháng 10' }),
    });
    expect(sent.status).toBeLessThan(300);
    const item = page.locator('[data-testid^="handoff-item-"]', { hasText: 'làm thêm giờ' });
    await item.first().waitFor({ timeout: 20000 });
    await item.first().click();
    await page.getByTestId('handoff-detail').waitFor();
    const reply = 'Chào anh/chị, tiền lương làm thêm giờ ít nhất bằng 150% vào ngày thường (Điều 98 BLLĐ 2019).';
    await page.getByTestId('handoff-reply-text').fill(reply);
    await page.getByTestId('handoff-reply-send').click();
    await page.getByTestId('handoff-msg').waitFor({ timeout: 15000 });
    await page.locator('[data-testid="handoff-thread"] .msg--officer').first().waitFor();
    await shot(page, 'admin-handoff');
    let got = '';
    for (let i = 0; i < 50 && !got.includes('150%'); i++) {
      got = JSON.stringify(await simMessages(userId));
      if (!got.includes('150%')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(got).toContain('150%');
    expect(errors).toEqual([]);
  }, 180000);

  it('creates an event and the live count rises after a check-in', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('nav-events').click();
    await page.getByTestId('event-new').click();
    await page.getByTestId('event-title').fill('Hội nghị cán bộ công đoàn quý IV');
    await page.getByTestId('event-location').fill('Hội trường tầng 3');
    await page.getByTestId('event-create-submit').click();
    await page.getByTestId('event-detail').waitFor({ timeout: 15000 });
    await page.locator('[data-testid="event-count"][data-count="0"]').waitFor();
    const eventId = Number(/\/events\/(\d+)/.exec(page.url())![1]);

    const card = await fetch(`${sys.url}/api/miniapp/card`, { headers: { authorization: `Bearer demo-${demoZaloAppUserId(4)}` } });
    expect(card.status).toBe(200);
    const { qr } = (await card.json()) as { qr: string };
    const checkin = await apiAs(page, 'POST', `/api/admin/events/${eventId}/checkins`, { memberQr: qr });
    expect(checkin.status).toBe(201);
    await page.locator('[data-testid="event-count"][data-count="1"]').waitFor({ timeout: 15000 });
    await shot(page, 'admin-event');
    await page.getByTestId('event-qr-fullscreen').click();
    await page.getByTestId('event-qr-full').waitFor();
    expect(await page.getByTestId('event-qr-full-count').innerText()).toMatch(/^1 người/);
    await shot(page, 'admin-event-qr-full');
    expect(errors).toEqual([]);
  }, 180000);

  it('a viewer sees no send or edit buttons, and the API refuses anyway', async () => {
    const { page, errors } = await signIn('viewer');
    await page.getByTestId('nav-broadcasts').click();
    await page.getByTestId('page-broadcasts').waitFor();
    await page.getByTestId('broadcast-list').waitFor();
    expect(await page.getByTestId('broadcast-new').count()).toBe(0);
    expect(await page.getByTestId('compose').count()).toBe(0);
    expect(await page.getByTestId('broadcast-send').count()).toBe(0);
    await shot(page, 'admin-viewer-broadcasts');
    const refused = await apiAs(page, 'POST', '/api/admin/broadcasts', { title: 'Thử', text: 'Thử quyền', segment: {} });
    expect(refused.status).toBe(403);
    await page.getByTestId('nav-kb').click();
    await page.getByTestId('kb-list').waitFor();
    expect(await page.getByTestId('kb-new').count()).toBe(0);
    await page.getByTestId('nav-members').click();
    await page.getByTestId('members-table').waitFor();
    expect(await page.getByTestId('members-import-open').count()).toBe(0);
    expect(await page.getByTestId('members-export-xlsx').count()).toBe(0);
    await page.getByTestId('nav-announcements').click();
    await page.getByTestId('announcement-list').waitFor();
    expect(await page.getByTestId('announcement-new').count()).toBe(0);
    expect(await page.getByTestId('announcement-editor').count()).toBe(0);
    await page.getByTestId('nav-polls').click();
    await page.getByTestId('poll-list').waitFor();
    expect(await page.getByTestId('poll-new').count()).toBe(0);
    expect(await page.getByTestId('poll-create').count()).toBe(0);
    const refusedPoll = await apiAs(page, 'POST', '/api/admin/polls', { question: 'Thử quyền?', options: ['Có', 'Không'], closesAt: new Date(Date.now() + 86400_000).toISOString() });
    expect(refusedPoll.status).toBe(403);
    expect(errors).toEqual([]);
  }, 180000);

  it('renders the knowledge base, welfare and audit pages', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('nav-kb').click();
    await page.getByTestId('kb-try-input').fill('nghi thai san duoc may thang');
    await page.getByTestId('kb-try-submit').click();
    await page.getByTestId('kb-try-result').waitFor({ timeout: 10000 });
    expect(await page.getByTestId('kb-try-hit').count()).toBeGreaterThan(0);
    await shot(page, 'admin-kb');
    await page.getByTestId('nav-welfare').click();
    await page.getByTestId('welfare-programs').waitFor();
    await page.locator('[data-testid^="welfare-program-"]').first().click();
    await page.getByTestId('welfare-registrations').waitFor();
    await shot(page, 'admin-welfare');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').waitFor();
    expect(await page.getByTestId('audit-row').count()).toBeGreaterThan(0);
    await shot(page, 'admin-audit');
    expect(errors).toEqual([]);
  }, 180000);

  it('the sign-in page loads without the dashboard chunk (charts load on demand)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.goto(`${sys.url}/admin/`);
    await page.getByTestId('demo-officer-admin').waitFor({ timeout: 20000 });
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((p) => /dashboard/.test(p))).toEqual([]);
    await page.getByTestId('demo-officer-admin').click();
    await page.locator('[data-testid="chart-branches"] .recharts-bar-rectangle').first().waitFor({ timeout: 20000 });
    expect(scripts.some((p) => /dashboard/.test(p))).toBe(true);
    await ctx.close();
  }, 120000);

  it('writes an announcement as a draft, publishes it, and the bot lists it for a member', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('nav-announcements').click();
    await page.getByTestId('announcement-editor').waitFor();
    const title = 'Lịch nghỉ Tết Nguyên đán Bính Ngọ 2026';
    await page.getByTestId('announcement-title').fill(title);
    await page.getByTestId('announcement-body').fill('Công ty cho công nhân nghỉ Tết từ 14/02 đến hết 22/02/2026.\nCông đoàn tặng quà cho mỗi đoàn viên.');
    await page.getByTestId('announcement-save').click();
    await page.getByTestId('announcement-msg').waitFor({ timeout: 15000 });
    const id = Number(/\/announcements\/(\d+)/.exec(page.url())![1]);
    expect(await page.getByTestId(`announcement-item-${id}`).getAttribute('data-published')).toBe('false');
    const visible = async () => {
      const res = await fetch(`${sys.url}/api/miniapp/announcements`, { headers: { authorization: `Bearer demo-${demoZaloAppUserId(4)}` } });
      return JSON.stringify(await res.json()).includes(title);
    };
    expect(await visible()).toBe(false);

    await page.getByTestId('announcement-published').check();
    await page.getByTestId('announcement-save').click();
    await page.locator(`[data-testid="announcement-item-${id}"][data-published="true"]`).waitFor({ timeout: 15000 });
    await page.getByTestId('announcement-status').waitFor();
    expect(await page.getByTestId('announcement-status').innerText()).toBe('Đã đăng');
    expect(await page.getByTestId('webhook-silence-banner').count()).toBe(0);
    await shot(page, 'admin-announcement');
    expect(await visible()).toBe(true);

    // In chat: "thông báo" lists the latest announcements, the new one included.
    const userId = demoZaloUserId(4);
    const sent = await fetch(`${sys.url}/simulator/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text: 'thông báo' }) });
    expect(sent.status).toBeLessThan(300);
    let got = '';
    for (let i = 0; i < 75 && !got.includes(title); i++) {
      got = JSON.stringify(await simMessages(userId));
      if (!got.includes(title)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(got).toContain(title);
    expect(errors).toEqual([]);
  }, 180000);

  it('creates a poll for one branch, sends it, and the results rise without reload; then closes it', async () => {
    const { page, errors } = await signIn('admin');
    await page.getByTestId('nav-polls').click();
    await page.getByTestId('poll-create').waitFor();
    const question = 'Chọn địa điểm tham quan hè 2026';
    await page.getByTestId('poll-question').fill(question);
    await page.getByTestId('poll-option-0').fill('Vũng Tàu');
    await page.getByTestId('poll-option-1').fill('Đà Lạt');
    await page.getByTestId('poll-option-add').click();
    await page.getByTestId('poll-option-2').fill('Phan Thiết – Mũi Né');
    await page.locator('[data-testid="poll-branch"] option[value="TO-MAY-1"]').waitFor({ state: 'attached' });
    await page.getByTestId('poll-branch').selectOption('TO-MAY-1');
    await shot(page, 'admin-poll-create');
    await page.getByTestId('poll-create-submit').click();
    await page.getByTestId('poll-detail').waitFor({ timeout: 15000 });
    const pollId = Number(/\/polls\/(\d+)/.exec(page.url())![1]);
    expect(await page.getByTestId('poll-status').innerText()).toBe('Chưa gửi');

    await page.getByTestId('poll-send').click();
    await page.getByTestId('poll-send-confirm').click();
    await page.getByTestId('poll-msg').waitFor({ timeout: 60000 });
    expect(await page.getByTestId('poll-msg').innerText()).toMatch(/Đang gửi tới \d+ đoàn viên/);
    // The poll goes out as a broadcast through the worker; the detail follows its progress to the end.
    let lastSend = '';
    for (let i = 0; i < 150 && (!/đã gửi [1-9]/.test(lastSend) || /đang chờ/.test(lastSend)); i++) {
      lastSend = await page.getByTestId('poll-last-send').innerText();
      if (!/đã gửi [1-9]/.test(lastSend) || /đang chờ/.test(lastSend)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(lastSend).toMatch(/đã gửi [1-9]/);
    expect(lastSend).not.toMatch(/đang chờ|lỗi/);

    const db = sys.runtime.database.db;
    const scope = await getSubtreeIds(db, (await getBranchByCode(db, 'TO-MAY-1'))!.id);
    const voters = await db
      .select({ zaloUserId: members.zaloUserId })
      .from(members)
      .where(and(inArray(members.branchId, scope), isNotNull(members.zaloUserId), eq(members.status, 'active')))
      .orderBy(members.id)
      .limit(3);
    expect(voters.length).toBe(3);
    expect(JSON.stringify(await simMessages(voters[0].zaloUserId!))).toContain('Vũng Tàu');

    // Members tap an option button in chat (the button's hidden payload).
    const vote = (userId: string, option: number) =>
      fetch(`${sys.url}/simulator/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text: `#poll:${pollId}:${option}` }) });
    await vote(voters[0].zaloUserId!, 1);
    await vote(voters[1].zaloUserId!, 1);
    await vote(voters[2].zaloUserId!, 0);
    await page.locator('[data-testid="poll-detail"][data-total="3"]').waitFor({ timeout: 30000 });
    expect(await page.getByTestId('poll-result-1').getAttribute('data-votes')).toBe('2');
    expect(await page.getByTestId('poll-result-1').innerText()).toContain('67%');
    expect(await page.getByTestId('poll-result-0').innerText()).toContain('33%');
    expect(await page.getByTestId('poll-status').innerText()).toBe('Đang bình chọn');
    await shot(page, 'admin-poll-results');

    await page.getByTestId('poll-close').click();
    await page.getByTestId('poll-close-confirm').click();
    await page.locator('[data-testid="poll-detail"][data-closed="true"]').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('poll-status').innerText()).toBe('Đã kết thúc');
    expect(await page.getByTestId('poll-send').count()).toBe(0);
    const late = await vote(voters[0].zaloUserId!, 2);
    expect(late.status).toBeLessThan(300);
    let reply = '';
    for (let i = 0; i < 75 && !reply.includes('đã kết thúc'); i++) {
      reply = JSON.stringify((await simMessages(voters[0].zaloUserId!)).slice(-1));
      if (!reply.includes('đã kết thúc')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(reply).toContain('Cuộc bình chọn này đã kết thúc');
    expect((await apiAs(page, 'GET', `/api/admin/polls/${pollId}`)).body.total).toBe(3);
    expect(errors).toEqual([]);
  }, 240000);
});

describeE2E('officer console: webhook-silence banner', () => {
  let sys: DemoSystem;
  let browser: Browser;
  // Demo mode runs the silence watch only when configured: 3 s of quiet raises the alarm here.
  useDemoSystem({ build: ensureAdminBuilt, env: { WEBHOOK_SILENCE_MINUTES: '0.05' } }, (s) => ({ sys, browser } = s));

  it('shows a red banner on every page while ops/status reports silence', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60000);
    const errors = watchErrors(page);
    await page.goto(`${sys.url}/admin/`);
    await page.getByTestId('demo-officer-officer').click();
    await page.getByTestId('sidebar').waitFor({ timeout: 20000 });

    // One webhook (a member writes to the OA), then quiet: the watch reports silence after 3 s.
    const sent = await fetch(`${sys.url}/simulator/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: demoZaloUserId(3), text: 'xin chào' }) });
    expect(sent.status).toBeLessThan(300);
    let status: { webhook: { silent: boolean; lastWebhookAt: string | null } | null } = { webhook: null };
    for (let i = 0; i < 120 && !status.webhook?.silent; i++) {
      status = await (await page.request.get(`${sys.url}/api/admin/ops/status`)).json();
      if (!status.webhook?.silent) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status.webhook).toMatchObject({ silent: true });
    expect(status.webhook!.lastWebhookAt).not.toBeNull();

    // The console polls ops/status every 30 s; a reload shows it at once.
    await page.reload();
    const banner = page.getByTestId('webhook-silence-banner');
    await banner.waitFor({ timeout: 20000 });
    expect(await banner.innerText()).toMatch(/Không nhận được webhook nào từ Zalo kể từ \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
    expect(await banner.innerText()).toMatch(/URL webhook/);
    expect(await banner.innerText()).toMatch(/Zalo tự tắt webhook/);
    await page.getByTestId('stat-members').waitFor();
    await shot(page, 'admin-webhook-silence-banner');
    await page.getByTestId('nav-polls').click();
    await page.getByTestId('page-polls').waitFor();
    await banner.waitFor();
    // Without Redis there is no Bull Board, so no link (and an officer would not see it anyway).
    expect(await page.getByTestId('nav-queues').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 180000);
});
