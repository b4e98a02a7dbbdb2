/**
 * E2E harness: the whole system as `npm start` runs it (demo mode, in-process runtime on a free port,
 * a fresh database) and real Debian Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { startRuntime, type Runtime } from '../../bot/runtime';
import { MINIAPP_WWW } from '../../miniapp/server/static';
import { ADMIN_DIST, ADMIN_SRC } from '../../miniapp/server/admin-static';
import { createPostgresTestDatabase } from '../helpers/db';
import { TEST_DATABASE_URL } from '../helpers/tier';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
export const SHOTS = path.resolve(__dirname, 'screenshots');

/** e2e suites need Debian chromium; CI installs it (.ci/run). */
export const describeE2E = (name: string, fn: () => void) => (CHROMIUM ? describe : describe.skip)(name, fn);

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Builds a front end with vite when its output is missing (`npm run build` made it in CI). */
function viteBuildIfMissing(outIndex: string, cwd: string, extraArgs: string[] = []) {
  if (fs.existsSync(outIndex)) return;
  // vite's package exports do not include its bin: found beside its package.json instead.
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  execFileSync(process.execPath, [viteBin, 'build', ...extraArgs, '--logLevel', 'error'], { cwd, stdio: 'inherit' });
}

export const ensureMiniAppBuilt = () => viteBuildIfMissing(path.join(MINIAPP_WWW, 'index.html'), path.dirname(MINIAPP_WWW));
export const ensureAdminBuilt = () =>
  viteBuildIfMissing(path.join(ADMIN_DIST, 'index.html'), path.resolve(ADMIN_SRC, '../..'), ['--config', path.join(ADMIN_SRC, 'vite.config.mts')]);

export interface DemoSystem {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

/** `extraEnv` adds configuration variables (e.g. a short WEBHOOK_SILENCE_MINUTES). */
export async function startDemoSystem(extraEnv: Record<string, string> = {}): Promise<DemoSystem> {
  const port = await freePort();
  const env: Record<string, string> = { ...extraEnv, PORT: String(port), LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  let dropDb: (() => Promise<void>) | undefined;
  if (TEST_DATABASE_URL) {
    const pg = await createPostgresTestDatabase();
    env.DATABASE_URL = pg.url;
    dropDb = () => pg.close();
  } else {
    env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-e2e-'));
  }
  const config = parseConfig(env);
  const log = console.log;
  console.log = () => {}; // the demo seed prints tokens for humans
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, 'all', createLogger('silent'));
  } finally {
    console.log = log;
  }
  return {
    url: `http://localhost:${port}`,
    runtime,
    close: async () => {
      await runtime.close();
      await dropDb?.();
    },
  };
}

/**
 * A describe block's demo system and browser: built front ends, `startDemoSystem(env)` and Chromium
 * before all its tests, both closed after. `ready` receives them (assign them to the block's variables).
 */
export function useDemoSystem(
  opts: { env?: Record<string, string>; build?: () => void },
  ready: (s: { sys: DemoSystem; browser: Browser }) => void,
): void {
  let sys: DemoSystem | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    opts.build?.();
    sys = await startDemoSystem(opts.env);
    browser = await launchBrowser();
    ready({ sys, browser });
  }, 180000);
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Collects page errors, ignoring the known noise of zmp-sdk outside Zalo and expected non-2xx API answers. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    if (!/login|Unknown error/i.test(String(e.message))) errors.push(String(e.message));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
