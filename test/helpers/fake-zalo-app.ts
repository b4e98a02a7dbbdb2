/**
 * The usual HTTP-test setup in one call: a fake Zalo server on a real port, the real app built on it,
 * listening on a port (webhooks go over HTTP as Zalo sends them) with a chat helper, all closed after
 * the file. `ready` receives them (assign them to the file's variables) and may seed data.
 */
import { startFakeZalo, type FakeZalo } from '../fakes/fake-zalo';
import type { Logger } from '../../shared/logger';
import { createTestApp, fakeZaloEnv } from './app';
import { listen } from './server';
import { chatWith } from './chat';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
export type Listening = Awaited<ReturnType<typeof listen>>;
export type Chat = ReturnType<typeof chatWith>;

export interface FakeZaloApp {
  fake: FakeZalo;
  t: TestApp;
  srv: Listening;
  chat: Chat;
}

export function useFakeZaloApp(
  opts: { env?: Record<string, string>; logger?: Logger },
  ready: (s: FakeZaloApp) => void | Promise<void>,
): void {
  let s: Partial<FakeZaloApp> = {};
  beforeAll(async () => {
    const fake = await startFakeZalo();
    s.fake = fake;
    const t = await createTestApp({ env: fakeZaloEnv(fake, opts.env), logger: opts.logger });
    s.t = t;
    const srv = await listen(t.app);
    s.srv = srv;
    await ready({ fake, t, srv, chat: chatWith(fake, () => `${srv.url}/webhook/zalo`, t.inbox) });
  });
  afterAll(async () => {
    await s.srv?.close();
    await s.t?.close();
    await s.fake?.close();
    s = {};
  });
}
