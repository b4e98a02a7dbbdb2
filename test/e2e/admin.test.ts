/** The officer console at /admin (demo mode) in real Chromium at 1366×900: sign-in, members, broadcast, hand-off, event, viewer. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { describeE2E, launchBrowser, shot, startDemoSystem, watchErrors, type DemoSystem } from './harness';
import { ADMIN_DIST, ADMIN_SRC } from '../../miniapp/server/admin-static';
import { demoZaloAppUserId, demoZaloUserId } from '../../shared/seed/demo';
import { getBranchByCode, getSubtreeIds } from '../../shared/db/queries/branches';
import { members } from '../../shared/db/schema';

function ensureAdminBuilt() {
  if (fs.existsSync(path.join(ADMIN_DIST, 'index.html'))) return;
  execFileSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', path.join(ADMIN_SRC, 'vite.config.mts'), '--logLevel', 'error'], {
    cwd: path.resolve(ADMIN_SRC, '../..'),
    stdio: 'inherit',
  });
}

describeE2E('officer console at /admin (demo mode) in Chromium', () => {
  let sys: DemoSystem;
  let browser: Browser;
  beforeAll(async () => {
    ensureAdminBuilt();
    sys = await startDemoSystem();
    browser = await launchBrowser();
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

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
});
