/**
 * Personal data and secrets never reach the logs: the whole app runs at log level "trace" into memory
 * while phone numbers, CCCDs and tokens flow through linking, sign-in, import, check-in and chat; then
 * the captured log is searched for each of them.
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { isNotNull, sql } from 'drizzle-orm';
import { webhookInbox } from '../../shared/db/schema';
import type { FakeZalo } from '../fakes/fake-zalo';
import { chatWith } from '../helpers/chat';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { createLogger } from '../../shared/logger';
import { createOfficer } from '../../shared/db/queries/officers';
import { useFakeZaloApp, type TestApp, type Listening } from '../helpers/fake-zalo-app';

let captured = '';
const sink = new Writable({
  write(chunk, _enc, cb) {
    captured += chunk.toString();
    cb();
  },
});

let fake: FakeZalo;
let t: TestApp;
let srv: Listening;

useFakeZaloApp({ env: { LOG_LEVEL: 'trace' }, logger: createLogger('trace', sink) }, (s) => void ({ fake, t, srv } = s));

it('no phone number, CCCD or token used in a run appears in its logs', async () => {
  const secrets: string[] = [];
  const branch = await makeBranch(t.db);
  const { token: adminToken } = await makeOfficer(t.db, { branchId: branch.id, role: 'admin' });
  secrets.push(adminToken);

  // Import with phones and CCCDs.
  const csv = 'member_code,full_name,phone,national_id,date_of_birth\nPII1,Ngô Thị Lụa,0912777001,079190012345,1990-01-01\nPII2,Đinh Văn Sang,0912777002,079190054321,1991-02-02\n';
  secrets.push('0912777001', '912777001', '079190012345', '079190054321');
  const imp = await request(t.app).post('/api/admin/members/imports?filename=pii.csv').set('authorization', `Bearer ${adminToken}`).set('content-type', 'text/csv').send(csv);
  expect(imp.status).toBe(202);
  for (let i = 0; i < 50; i++) {
    const s = await request(t.app).get(`/api/admin/members/imports/${imp.body.id}`).set('authorization', `Bearer ${adminToken}`);
    if (s.body.status === 'done') break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // Mini-app linking by phone token (the phone crosses the server) and by date of birth.
  const appUser = zaloId('5');
  fake.addMiniAppToken('pii-miniapp-token-abcdef', { id: appUser });
  fake.addPhoneToken('pii-phone-code-123456', '84912777001');
  secrets.push('pii-miniapp-token-abcdef', 'pii-phone-code-123456', '84912777001');
  const linked = await request(t.app).post('/api/miniapp/link').set('authorization', 'Bearer pii-miniapp-token-abcdef').send({ phoneToken: 'pii-phone-code-123456' });
  expect(linked.status).toBe(200);
  await request(t.app).get('/api/miniapp/card').set('authorization', 'Bearer pii-miniapp-token-abcdef').expect(200);

  // Chat linking through a shared phone number.
  const chat = chatWith(fake, () => `${srv.url}/webhook/zalo`, t.inbox);
  const follower = zaloId();
  await makeMember(t.db, { phone: '+84912777003', dateOfBirth: '1985-07-07' });
  secrets.push('912777003');
  await chat.say(follower, 'liên kết');
  await chat.post(fake.buildEvent.submitInfo(follower, { phone: '84912777003', name: 'A' }));

  // Console sign-in by one-time code.
  const officerZalo = zaloId();
  await createOfficer(t.db, { name: 'Cán bộ PII', branchId: branch.id, role: 'officer', phone: '+84912777004', zaloUserId: officerZalo });
  secrets.push('912777004');
  const before = fake.sentTo(officerZalo).length;
  await request(t.app).post('/api/admin/auth/otp').send({ phone: '0912777004' }).expect(200);
  const msgs = await fake.waitForSent(before + 1, { userId: officerZalo, timeoutMs: 5000 });
  const code = /(\d{6})/.exec(msgs[msgs.length - 1].text ?? '')![1];
  const verified = await request(t.app).post('/api/admin/auth/verify').send({ phone: '0912777004', code });
  expect(verified.status).toBe(200);
  const cookie = String(verified.headers['set-cookie']).split(';')[0].split('=')[1];
  secrets.push(cookie, verified.body.csrfToken);

  // OA tokens (including a refresh) and webhook signatures.
  fake.expireAccessToken();
  await chat.say(zaloId(), 'menu');
  const { accessToken, refreshToken } = fake.currentTokens();
  secrets.push(accessToken, refreshToken, fake.oaSecretKey, fake.appSecret);

  expect(captured.length).toBeGreaterThan(1000); // the run did log, at trace level
  const leaks = secrets.filter((s) => s && captured.includes(s));
  expect(leaks).toEqual([]);
}, 60000);

it('a database failure while a chat message is handled logs and stores the error without the message’s personal data', async () => {
  const chat = chatWith(fake, () => `${srv.url}/webhook/zalo`, t.inbox);
  const user = zaloId();
  // Stands for an outage at the worst moment: the hand-off ticket carrying the worker's words fails.
  await t.db.execute(sql`create function pii_test_outage() returns trigger language plpgsql as $$ begin raise exception 'simulated outage'; end $$`);
  await t.db.execute(sql`create trigger pii_test_outage before insert on handoff_tickets for each row execute function pii_test_outage()`);
  try {
    await chat.say(user, 'gặp cán bộ');
    const before = captured.length;
    await chat.say(user, 'Em tên Lan, CCCD 079190067890, sđt 0912777999, công ty nợ lương 2 tháng');
    const log = captured.slice(before);
    expect(log).toMatch(/simulated outage/); // the failure itself is logged
    expect(log).not.toMatch(/079190067890|912777999/);
    const stored = await t.db.select({ error: webhookInbox.error }).from(webhookInbox).where(isNotNull(webhookInbox.error));
    const reasons = stored.map((r) => r.error ?? '').join('\n');
    expect(reasons).toMatch(/simulated outage/);
    expect(reasons).not.toMatch(/079190067890|912777999/);
  } finally {
    await t.db.execute(sql`drop trigger pii_test_outage on handoff_tickets`);
    await t.db.execute(sql`drop function pii_test_outage()`);
  }
});
