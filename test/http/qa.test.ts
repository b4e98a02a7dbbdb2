/** Q&A through the real webhook, the knowledge-base admin API, re-indexing across processes, and the optional LLM. */
import http from 'node:http';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import type { FakeZalo } from '../fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../helpers/app';
import { listen } from '../helpers/server';
import { chatWith } from '../helpers/chat';
import { makeBranch, makeOfficer, zaloId } from '../factories';
import { appSettings, handoffTickets, qaLog } from '../../shared/db/schema';
import { createKbIndex, seedKnowledgeBase } from '../../shared/kb/kb-index';
import { getKbVersion, KB_SEED_REVISION_KEY, listKbEntries, syncSeedKbEntries } from '../../shared/db/queries/kb';
import { SEED_REVISION } from '../../shared/qa/kb/revision';
import { loadSeedKb } from '../../shared/qa';
import { createLogger } from '../../shared/logger';
import { useFakeZaloApp, type TestApp, type Chat } from '../helpers/fake-zalo-app';

let fake: FakeZalo;
let t: TestApp;
let chat: Chat;

useFakeZaloApp({}, (s) => void ({ fake, t, chat } = s));

describe('answers in chat', () => {
  it('answers the 2026 regional minimum wage with its decree, typed without diacritics', async () => {
    const replies = await chat.say(zaloId(), 'luong toi thieu vung 1 2026 la bao nhieu');
    const text = chat.texts(replies);
    expect(text).toMatch(/5\.310\.000/);
    expect(text).toMatch(/Căn cứ: Nghị định 293\/2025\/NĐ-CP/);
    const related = chat.buttons(replies);
    expect(related.length).toBeGreaterThan(0);
    expect(related.length).toBeLessThanOrEqual(3);
    expect(related.every((b) => b.type === 'oa.query.show')).toBe(true);
  });

  it('greets small talk without legal facts, and logs questions without personal data', async () => {
    const user = zaloId();
    const hi = chat.texts(await chat.say(user, 'chào ad'));
    expect(hi).not.toMatch(/Điều \d+|\d+\.\d{3}\.\d{3}/);
    await chat.say(user, 'nghỉ phép năm được mấy ngày');
    const logged = await t.db.select().from(qaLog).where(eq(qaLog.zaloUserId, user));
    expect(logged.map((l) => l.question)).toEqual(['nghỉ phép năm được mấy ngày']);
    expect(logged[0].confident).toBe(true);
  });

  it('is honest when unsure and hands the same question to an officer on "Gặp cán bộ"', async () => {
    const user = zaloId();
    const question = 'máy chấm công của xưởng hay bị lỗi vân tay thì làm sao';
    const replies = await chat.say(user, question);
    expect(chat.texts(replies)).toMatch(/chưa chắc|chưa tìm được|chưa có/i);
    const handoff = chat.buttons(replies).find((b) => b.title === 'Gặp cán bộ');
    expect(handoff).toBeDefined();
    const ack = await chat.say(user, String(handoff!.payload));
    expect(chat.texts(ack)).toMatch(/phiếu số \d+/);
    const [ticket] = await t.db.select().from(handoffTickets).where(eq(handoffTickets.zaloUserId, user));
    expect(ticket.question).toBe(question);
  });
});

describe('knowledge base admin API', () => {
  it('lets viewers read and officers edit; edits answer at once and on other processes within a refresh', async () => {
    const branch = await makeBranch(t.db);
    const viewer = await makeOfficer(t.db, { branchId: branch.id, role: 'viewer' });
    const officer = await makeOfficer(t.db, { branchId: branch.id, role: 'officer' });
    const V = { authorization: `Bearer ${viewer.token}` };
    const O = { authorization: `Bearer ${officer.token}` };
    const list = await request(t.app).get('/api/admin/kb').set(V);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(80);

    const entry = {
      topic: 'Công đoàn cơ sở',
      question: 'Phòng y tế công đoàn mở cửa giờ nào?',
      variants: ['phong y te cong doan mo cua may gio', 'gio mo cua phong y te'],
      keywords: ['phòng y tế', 'giờ mở cửa'],
      answer: 'Phòng y tế của công đoàn cơ sở mở cửa từ 7 giờ 30 đến 16 giờ 30 các ngày làm việc.',
      citation: 'Thông báo số 12/TB-CĐCS',
    };
    expect((await request(t.app).post('/api/admin/kb').set(V).send(entry)).status).toBe(403);
    const bad = await request(t.app).post('/api/admin/kb').set(O).send({ ...entry, answer: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toContain('answer');

    const other = await createKbIndex(t.db, createLogger('silent'), { pollMs: 0 }); // a second process's index
    const created = await request(t.app).post('/api/admin/kb').set(O).send(entry);
    expect(created.status).toBe(201);
    expect(chat.texts(await chat.say(zaloId(), 'phong y te cong doan mo cua may gio'))).toMatch(/7 giờ 30 đến 16 giờ 30/);
    expect(await other.refreshIfChanged()).toBe(true);
    expect((await other.ask('phòng y tế công đoàn mở cửa giờ nào', null)).kind).toBe('answer');

    const tried = await request(t.app).post('/api/admin/kb/try').set(V).send({ question: 'giờ mở cửa phòng y tế' });
    expect(tried.body.hits[0]).toEqual(expect.objectContaining({ id: created.body.id, score: expect.any(Number) }));

    await request(t.app).put(`/api/admin/kb/${created.body.id}`).set(O).send({ answer: 'Phòng y tế mở cửa từ 8 giờ đến 17 giờ các ngày làm việc.' }).expect(200);
    expect(chat.texts(await chat.say(zaloId(), 'phong y te cong doan mo cua may gio'))).toMatch(/8 giờ đến 17 giờ/);
    await request(t.app).delete(`/api/admin/kb/${created.body.id}`).set(O).expect(200);
    expect(chat.texts(await chat.say(zaloId(), 'phong y te cong doan mo cua may gio'))).not.toMatch(/8 giờ đến 17 giờ/);
    other.close();
  });

  it('a seed file edit reaches entries no officer touched, never one an officer edited', async () => {
    const seed = loadSeedKb();
    const [a, b] = seed.slice(-2);
    const row = (e: (typeof seed)[number], answer = e.answer) => ({ slug: e.slug, topic: e.topic, question: e.question, variants: e.variants, keywords: e.keywords, answer, citation: e.citation, effectiveFrom: e.effectiveFrom, sourceUrl: e.sourceUrl });
    const officer = await makeOfficer(t.db, { branchId: (await makeBranch(t.db)).id, role: 'officer' });
    const bRow = (await request(t.app).get('/api/admin/kb').set({ authorization: `Bearer ${officer.token}` })).body.items.find((i: { slug: string }) => i.slug === b.slug);
    await request(t.app).put(`/api/admin/kb/${bRow.id}`).set({ authorization: `Bearer ${officer.token}` }).send({ answer: `${b.answer} (cán bộ bổ sung)` }).expect(200);

    const versionBefore = await getKbVersion(t.db);
    expect(await syncSeedKbEntries(t.db, [row(a, `${a.answer} (bản sửa trong tệp)`), row(b, `${b.answer} (bản sửa trong tệp)`)])).toEqual({ added: 0, updated: 1 });
    expect(await getKbVersion(t.db)).not.toBe(versionBefore);
    const answers = new Map((await listKbEntries(t.db)).map((r) => [r.slug, r.answer]));
    expect(answers.get(a.slug)).toBe(`${a.answer} (bản sửa trong tệp)`);
    expect(answers.get(b.slug)).toBe(`${b.answer} (cán bộ bổ sung)`);

    // Unchanged seed: nothing written, no re-index. Then the real seed puts the untouched entry back.
    const same = await getKbVersion(t.db);
    expect(await syncSeedKbEntries(t.db, [row(a, `${a.answer} (bản sửa trong tệp)`)])).toEqual({ added: 0, updated: 0 });
    expect(await getKbVersion(t.db)).toBe(same);
    expect(await seedKnowledgeBase(t.db)).toEqual({ added: 0, updated: 1 });
    expect((await listKbEntries(t.db)).find((r) => r.slug === a.slug)!.answer).toBe(a.answer);
  });

  it('a process with an older seed leaves a newer seed revision in place, even when both start at once', async () => {
    const seed = loadSeedKb();
    const last = seed.at(-3)!; // no officer has edited it (the test above edits the last one)
    const withAnswer = (answer: string) => seed.map((e) => (e.slug === last.slug ? { ...e, answer } : e));
    const answerNow = async () => (await listKbEntries(t.db)).find((r) => r.slug === last.slug)!.answer;
    const rev = SEED_REVISION.number;
    try {
      // A newer checkout (revision + 2) and an older one (revision + 1) start together, in either order.
      const newer = { entries: withAnswer(`${last.answer} (bản mới)`), revision: rev + 2 };
      const older = { entries: withAnswer(`${last.answer} (bản cũ)`), revision: rev + 1 };
      const outcomes = await Promise.all([seedKnowledgeBase(t.db, older), seedKnowledgeBase(t.db, newer)]);
      expect(await answerNow()).toBe(`${last.answer} (bản mới)`);
      expect(outcomes[1].newerInDatabase).toBeUndefined();
      // The process built from this checkout restarts: older than the database, it writes nothing.
      const versionBefore = await getKbVersion(t.db);
      expect(await seedKnowledgeBase(t.db)).toEqual({ added: 0, updated: 0, newerInDatabase: rev + 2 });
      expect(await answerNow()).toBe(`${last.answer} (bản mới)`);
      expect(await getKbVersion(t.db)).toBe(versionBefore);
    } finally {
      await t.db.update(appSettings).set({ value: String(rev) }).where(eq(appSettings.key, KB_SEED_REVISION_KEY));
      await seedKnowledgeBase(t.db);
    }
    expect(await answerNow()).toBe(last.answer);
  });
});

describe('optional LLM rephrasing', () => {
  it('uses the model text but always the KB citation, and falls back when the model fails', async () => {
    let mode: 'ok' | 'fail' = 'ok';
    const llm = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (mode === 'fail') return void res.writeHead(500).end('boom');
        const content = 'Mức lương tối thiểu vùng I năm 2026 là 5.310.000 đồng mỗi tháng, bạn nhé.';
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    const port = (llm.address() as { port: number }).port;
    const withLlm = await createTestApp({ env: fakeZaloEnv(fake, { LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: 'test-model' }), database: t.database });
    const s2 = await listen(withLlm.app);
    const c2 = chatWith(fake, () => `${s2.url}/webhook/zalo`, withLlm.inbox);
    const text = c2.texts(await c2.say(zaloId(), 'lương tối thiểu vùng 1 năm 2026'));
    expect(text).toMatch(/bạn nhé/);
    expect(text).toMatch(/Căn cứ: Nghị định 293\/2025/);
    mode = 'fail';
    const fallback = c2.texts(await c2.say(zaloId(), 'lương tối thiểu vùng 1 năm 2026'));
    expect(fallback).not.toMatch(/bạn nhé/);
    expect(fallback).toMatch(/5\.310\.000/);
    await s2.close();
    withLlm.kb.close();
    await withLlm.inbox.close();
    llm.close();
  });
});
