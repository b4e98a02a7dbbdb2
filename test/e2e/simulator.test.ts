/** The Zalo simulator in real Chromium: a worker says "xin chào" and sees the OA's menu. */
import type { Browser } from 'playwright-core';
import { describeE2E, shot, useDemoSystem, watchErrors, type DemoSystem } from './harness';

describeE2E('simulator (demo mode) in Chromium', () => {
  let sys: DemoSystem;
  let browser: Browser;
  useDemoSystem({}, (s) => ({ sys, browser } = s));

  it('sends "xin chào" as a linked member and shows the menu buttons; a tap on a button asks it', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors = watchErrors(page);
    await page.goto(`${sys.url}/simulator`);
    await page.locator('[data-testid="sim-user"]').nth(1).click();
    await page.getByLabel('Tin nhắn').fill('xin chào');
    await page.getByRole('button', { name: 'Gửi' }).click();
    await page.getByRole('button', { name: 'Thông báo mới' }).first().waitFor({ timeout: 15000 });
    for (const title of ['Hỏi đáp pháp luật', 'Đăng ký phúc lợi', 'Thẻ đoàn viên', 'Gặp cán bộ']) {
      await page.getByRole('button', { name: title }).first().waitFor();
    }
    await page.getByRole('button', { name: 'Thông báo mới' }).first().click();
    await page.getByText(/thông báo mới nhất/).waitFor({ timeout: 15000 });
    await shot(page, 'simulator-menu');
    expect(errors).toEqual([]);
  }, 60000);

  it('a new worker follows the OA and gets the welcome', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${sys.url}/simulator`);
    await page.locator('[data-testid="sim-user"]').first().click();
    await page.getByTestId('follow').click();
    await page.getByText(/Chào mừng/).first().waitFor({ timeout: 15000 });
    await new Promise((r) => setTimeout(r, 1500)); // a few more polls: the welcome must be shown once
    expect(await page.getByText(/Chào mừng/).count()).toBe(1);
    await shot(page, 'simulator-follow');
  }, 60000);
});
