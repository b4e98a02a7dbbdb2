/**
 * Property tests: arbitrary and mutated input at the webhook, the mini-app API, the admin API and the
 * member import. Never a 5xx other than a clean JSON 500, never a crash, never a stored event without a
 * valid signature.
 *
 * FUZZ_SCALE multiplies every property's runs for a longer campaign (`FUZZ_SCALE=20 npx jest fuzz`);
 * FUZZ_SEED replays one (fast-check prints the seed of a failing run).
 */
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { count } from 'drizzle-orm';
import type { FakeZalo } from '../fakes/fake-zalo';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import { webhookInbox } from '../../shared/db/schema';
import { computeWebhookSignature } from '../../shared/zalo';
import { parseMemberBuffer } from '../../shared/members/parse-file';
import { importMembers } from '../../shared/members/import';
import { XLSX_MAX_EXPANDED_BYTES } from '../../shared/members/xlsx-guard';
import { buildZip } from '../helpers/zip';
import { AppError } from '../../shared/errors';
import { useFakeZaloApp, type Chat, type TestApp } from '../helpers/fake-zalo-app';

const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);
const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** fast-check options of one property: its runs times FUZZ_SCALE, from FUZZ_SEED when given. */
const runs = (n: number) => ({ numRuns: n * FUZZ_SCALE, ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }) });
if (FUZZ_SCALE > 1) jest.setTimeout(30_000 * FUZZ_SCALE);

let fake: FakeZalo;
let t: TestApp;
let chat: Chat;
let officerToken: string;
let memberAuth: { authorization: string };

useFakeZaloApp({}, async (s) => {
  ({ fake, t, chat } = s);
  const branch = await makeBranch(t.db);
  officerToken = (await makeOfficer(t.db, { branchId: branch.id, role: 'admin' })).token;
  const appUser = zaloId('5');
  fake.addMiniAppToken('fuzz-token', { id: appUser });
  await makeMember(t.db, { branchId: branch.id, zaloAppUserId: appUser });
  memberAuth = { authorization: 'Bearer fuzz-token' };
});

const inboxCount = async () => Number((await t.db.select({ n: count() }).from(webhookInbox))[0].n);
const cleanStatus = (res: request.Response) => {
  if (res.status >= 500) {
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
  }
};

describe('webhook fuzzing', () => {
  it('never stores an event without a valid signature and never fails uncleanly', async () => {
    const before = await inboxCount();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'))),
        fc.oneof(fc.constant(undefined), fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 }).map((h: string) => `mac=${h}`)),
        async (body, sig) => {
          const req = request(t.app).post('/webhook/zalo').set('content-type', 'application/json');
          if (sig !== undefined) req.set('x-zevent-signature', sig);
          const res = await req.send(body);
          expect([401, 400, 413]).toContain(res.status);
        },
      ),
      runs(150),
    );
    expect(await inboxCount()).toBe(before);
  });

  it('answers 200 or 400 to correctly signed but mutated events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('event_name', 'sender', 'message', 'recipient', 'follower', 'info', 'user_id_by_app'), fc.jsonValue()), async (patch) => {
        const ev = { ...fake.buildEvent.text(zaloId(), 'menu'), ...patch, app_id: fake.appId, timestamp: String(Date.now()) };
        const raw = JSON.stringify(ev);
        const res = await request(t.app)
          .post('/webhook/zalo')
          .set('content-type', 'application/json')
          .set('x-zevent-signature', computeWebhookSignature(fake.appId, raw, ev.timestamp, fake.oaSecretKey))
          .send(raw);
        expect([200, 400]).toContain(res.status);
      }),
      runs(120),
    );
    await t.inbox.drain();
  });
});

describe('API fuzzing', () => {
  const adminPosts = ['/api/admin/events', '/api/admin/kb', '/api/admin/broadcasts', '/api/admin/announcements', '/api/admin/welfare-programs', '/api/admin/polls', '/api/admin/kb/try'];
  it('admin endpoints answer arbitrary JSON with 4xx (or a clean 500), never crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...adminPosts), fc.jsonValue(), async (path, body) => {
        const res = await request(t.app).post(path).set('authorization', `Bearer ${officerToken}`).set('content-type', 'application/json').send(JSON.stringify(body));
        cleanStatus(res);
        if (res.status >= 400) expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
      }),
      runs(150),
    );
  });

  it('mini-app endpoints answer arbitrary JSON and ids cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/miniapp/link', '/api/miniapp/checkins', '/api/miniapp/officer/events/1/checkins', '/api/miniapp/welfare/programs/1/registrations'),
        fc.jsonValue(),
        async (path, body) => {
          const res = await request(t.app).post(path).set(memberAuth).set('content-type', 'application/json').send(JSON.stringify(body));
          cleanStatus(res);
        },
      ),
      runs(120),
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && s !== '.' && s !== '..'), async (id) => {
        const res = await request(t.app).get(`/api/admin/events/${encodeURIComponent(id)}`).set('authorization', `Bearer ${officerToken}`);
        cleanStatus(res);
        expect(res.status).not.toBe(200);
      }),
      runs(80),
    );
  });

  it('any number as a row id is answered without a 500; one past PostgreSQL integer is a 4xx', async () => {
    const paths = [
      ['/api/admin/members/', true],
      ['/api/admin/events/', true],
      ['/api/admin/polls/', true],
      ['/api/admin/broadcasts/', true],
      ['/api/admin/handoffs/', true],
      ['/api/admin/kb/', true],
      ['/api/admin/welfare-programs/', true],
      ['/api/miniapp/polls/', false],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.constantFrom(2 ** 31 - 1, 2 ** 31, 3_000_000_000, Number.MAX_SAFE_INTEGER, 1e21), fc.integer({ min: -5, max: 2 ** 31 + 10 }), fc.bigInt({ min: 0n, max: 10n ** 30n })),
        async ([path, asAdmin], id) => {
          const res = await request(t.app).get(`${path}${String(id)}`).set(asAdmin ? { authorization: `Bearer ${officerToken}` } : memberAuth);
          expect(res.status).toBeLessThan(500);
          // Past the integer range nothing can exist: a 4xx (a small id may name a real row).
          if (BigInt(id) > 2n ** 31n - 1n || BigInt(id) < 1n) expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      runs(60),
    );
    // In chat, a button payload with an id past the range gets a reply, not a failing event.
    expect(chat.texts(await chat.say(zaloId(), '#poll:3000000000:0')).length).toBeGreaterThan(0);
  });
});

describe('member import fuzzing', () => {
  it('broken encodings, huge cells and formulas are reported or rejected, never crash', async () => {
    const header = 'member_code,full_name,date_of_birth,phone,national_id,branch_code\n';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constant('=HYPERLINK("http://x")'), fc.constant('x'.repeat(5000)), fc.constant('"')), { minLength: 6, maxLength: 6 }), { maxLength: 8 }),
        fc.boolean(),
        async (rows, latin1) => {
          const text = header + rows.map((r) => r.join(',')).join('\n');
          const buf = latin1 ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
          try {
            const report = await importMembers(t.db, await parseMemberBuffer(buf, 'fuzz.csv'));
            expect(report.created + report.updated + report.rejected.length).toBeLessThanOrEqual(report.total);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
          }
        },
      ),
      runs(60),
    );
  });

  it('mutated and cut XLSX workbooks are read or refused with a 400 error, never crash or stall', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Đoàn viên');
    ws.addRow(['member_code', 'full_name', 'phone']);
    for (let i = 1; i <= 20; i++) ws.addRow([`FZ${i}`, `Nguyễn Văn ${i}`, `09${String(10_000_000 + i).slice(-8)}`]);
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.option(fc.nat({ max: good.length }), { nil: undefined }),
        async (flips, cut) => {
          const buf = Buffer.from(good.subarray(0, cut ?? good.length));
          for (const [at, byte] of flips) if (at < buf.length) buf[at] = byte;
          try {
            const table = await parseMemberBuffer(buf, 'fuzz.xlsx');
            expect(table.rows.length).toBeLessThanOrEqual(20);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            expect((err as AppError).status).toBe(400);
          }
        },
      ),
      runs(60),
    );
  });

  it('an uploaded zip bomb is refused with 400 XLSX_TOO_LARGE and the server goes on', async () => {
    const bomb = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(XLSX_MAX_EXPANDED_BYTES + 1, 0x20) }]);
    const upload = (body: Buffer | string, filename: string) =>
      request(t.app).post(`/api/admin/members/imports?filename=${filename}`).set('authorization', `Bearer ${officerToken}`).set('content-type', 'application/octet-stream').send(body);
    const res = await upload(bomb, 'bom.xlsx');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'XLSX_TOO_LARGE', message: expect.stringMatching(/quá lớn/) });
    const next = await upload('member_code,full_name\nFZB1,Lê Văn Một\n', 'sau.csv');
    expect(next.status).toBe(202);
  });
});
