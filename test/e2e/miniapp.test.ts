/** The member mini-app served at /app in demo mode, in real Chromium on a phone-sized viewport. */
import type { Browser, Page } from 'playwright-core';
import { describeE2E, ensureMiniAppBuilt, shot, useDemoSystem, watchErrors, type DemoSystem } from './harness';
import { demoZaloAppUserId, DEMO_EVENT_CODE } from '../../shared/seed/demo';

describeE2E('mini-app at /app (demo mode) in Chromium', () => {
  let sys: DemoSystem;
  let browser: Browser;
  useDemoSystem({ build: ensureMiniAppBuilt }, (s) => ({ sys, browser } = s));

  async function phone(): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    return { page, errors: watchErrors(page) };
  }

  it('signs in as a demo member, shows the card with a QR, and checks in to the demo event by typing its code', async () => {
    const { page, errors } = await phone();
    await page.goto(`${sys.url}/app/`);
    await page.getByTestId(`demo-identity-${demoZaloAppUserId(3)}`).click();
    await page.getByTestId('member-card').waitFor({ timeout: 20000 });
    await expectVisibleText(page, 'card-code', 'DV00003');
    const qr = page.getByTestId('card-qr');
    await qr.waitFor();
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(150);
    await shot(page, 'miniapp-card');

    await page.getByTestId('nav-checkin').click();
    await page.getByTestId('checkin-code-input').fill(DEMO_EVENT_CODE);
    await page.getByTestId('checkin-submit').click();
    const result = page.getByTestId('checkin-result');
    await result.waitFor({ timeout: 15000 });
    expect(await result.getAttribute('data-status')).toBe('checked_in');
    expect(await result.innerText()).toMatch(/Đã điểm danh lúc \d{2}:\d{2}/);
    await shot(page, 'miniapp-checkin');

    await page.getByTestId('checkin-code-input').fill(DEMO_EVENT_CODE);
    await page.getByTestId('checkin-submit').click();
    await page.locator('[data-testid="checkin-result"][data-status="already_checked_in"]').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('checkin-result').innerText()).toMatch(/Bạn đã điểm danh lúc/);

    await page.getByTestId('checkin-code-input').fill('SAIMA1');
    await page.getByTestId('checkin-submit').click();
    await page.locator('[data-testid="checkin-result"][data-status="error"]').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('checkin-result').innerText()).toMatch(/Không tìm thấy sự kiện/);
    expect(errors).toEqual([]);
  }, 90000);

  it('links a new Zalo user with member code + date of birth and then shows the card', async () => {
    const { page } = await phone();
    await page.goto(`${sys.url}/app/`);
    await page.getByTestId('demo-identity-5390000000000000042').click();
    await page.getByTestId('page-link').waitFor({ timeout: 20000 });
    await expectVisibleText(page, 'link-privacy', /13\/2023/);
    const dob = await sys.runtime.database.db.query.members.findFirst({ where: (m, { eq }) => eq(m.memberCode, 'DV00042') });
    await page.getByTestId('link-member-code').fill('DV00042');
    await page.getByTestId('link-dob').fill('01/01/1900');
    await page.getByTestId('link-submit').click();
    await page.getByTestId('link-error').waitFor({ timeout: 15000 });
    await shot(page, 'miniapp-link-error');
    const [y, m, d] = dob!.dateOfBirth!.split('-');
    await page.getByTestId('link-dob').fill(`${d}/${m}/${y}`);
    await page.getByTestId('link-submit').click();
    await page.getByTestId('link-success').waitFor({ timeout: 15000 });
    await page.getByTestId('link-continue').click();
    await expectVisibleText(page, 'card-code', 'DV00042');
    await shot(page, 'miniapp-linked-card');
  }, 90000);

  it('shows announcements and the officer tab only to officers', async () => {
    const { page } = await phone();
    await page.goto(`${sys.url}/app/`);
    await page.getByTestId(`demo-identity-${demoZaloAppUserId(2)}`).click(); // DV00002 is a demo officer
    await page.getByTestId('member-card').waitFor({ timeout: 20000 });
    await page.getByTestId('nav-announcements').click();
    await page.getByText('Lương tối thiểu vùng tăng từ 01/01/2026').waitFor({ timeout: 15000 });
    await page.getByTestId('nav-officer').click();
    await page.getByTestId('officer-event-list').waitFor({ timeout: 15000 });
    await page.getByText('Hội nghị người lao động Công ty May Việt Tiến 2027').click();
    await page.getByTestId('officer-count').waitFor({ timeout: 15000 });
    await shot(page, 'miniapp-officer');
  }, 90000);
});

async function expectVisibleText(page: Page, testId: string, text: string | RegExp) {
  const el = page.getByTestId(testId);
  await el.waitFor({ timeout: 20000 });
  const got = await el.innerText();
  if (typeof text === 'string') expect(got).toContain(text);
  else expect(got).toMatch(text);
}
