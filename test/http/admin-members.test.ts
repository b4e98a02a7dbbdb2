/** Console member API: search, masking, import job with row errors, export (audited, formula-guarded), erasure, dashboard, audit. */
import request from 'supertest';
import ExcelJS from 'exceljs';
import { membersForExport } from '../../shared/db/queries/console';
import { makeBranch, makeMember, makeOfficer, zaloId } from '../factories';
import type { Branch } from '../../shared/db/queries/branches';
import { getMemberByCode } from '../../shared/db/queries/members';
import { createImportJob } from '../../shared/db/queries/import-jobs';
import { memberImportJobs, officers, qaLog } from '../../shared/db/schema';
import { createApp } from '../../bot/app';
import { eq, isNotNull } from 'drizzle-orm';
import { useFakeZaloApp, type TestApp } from '../helpers/fake-zalo-app';
import { asBuffer } from '../helpers/binary';

let t: TestApp;
let root: Branch, A: Branch, B: Branch;
let adminRoot: string, officerA: string;

useFakeZaloApp({}, async (s) => {
  ({ t } = s);
  root = await makeBranch(t.db, { code: 'MB-ROOT' });
  A = await makeBranch(t.db, { code: 'MB-A', parentId: root.id });
  B = await makeBranch(t.db, { code: 'MB-B', parentId: root.id });
  adminRoot = (await makeOfficer(t.db, { branchId: root.id, role: 'admin' })).token;
  officerA = (await makeOfficer(t.db, { branchId: A.id, role: 'officer' })).token;
  await makeMember(t.db, { memberCode: 'MB001', fullName: 'Nguyễn Thị Hường', branchId: A.id, phone: '+84912345678', zaloUserId: zaloId() });
  await makeMember(t.db, { memberCode: 'MB002', fullName: 'Đặng Văn Đức', branchId: B.id, phone: '+84987654321' });
  await makeMember(t.db, { memberCode: 'MB003', fullName: '=HYPERLINK("http://x")', branchId: A.id });
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const api = () => request(t.app);

async function waitJob(token: string, id: string) {
  for (let i = 0; i < 100; i++) {
    const r = await api().get(`/api/admin/members/imports/${id}`).set(as(token));
    if (r.body.status !== 'running') return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}

describe('search', () => {
  it('finds by name typed without diacritics, by code and by phone; masks phone and CCCD', async () => {
    const byName = await api().get('/api/admin/members?q=nguyen thi huong').set(as(adminRoot));
    expect(byName.body.items.map((m: { memberCode: string }) => m.memberCode)).toEqual(['MB001']);
    expect(byName.body.items[0].phone).toBe('*********678');
    expect(byName.body.items[0].linked).toBe(true);
    expect((await api().get('/api/admin/members?q=dang van duc').set(as(adminRoot))).body.total).toBe(1);
    expect((await api().get('/api/admin/members?q=mb002').set(as(adminRoot))).body.total).toBe(1);
    expect((await api().get('/api/admin/members?q=0987654321').set(as(adminRoot))).body.items[0].memberCode).toBe('MB002');
    expect((await api().get(`/api/admin/members?branchId=${A.id}`).set(as(adminRoot))).body.total).toBe(2);
  });

  it('a viewer, who sees phones masked, finds a member by the whole number only (no digit-by-digit guessing)', async () => {
    const viewer = (await makeOfficer(t.db, { branchId: A.id, role: 'viewer' })).token;
    const codes = async (q: string, token: string) => (await api().get(`/api/admin/members?q=${encodeURIComponent(q)}`).set(as(token))).body.items.map((m: { memberCode: string }) => m.memberCode);
    expect(await codes('0912', viewer)).toEqual([]);
    expect(await codes('91234567', viewer)).toEqual([]);
    expect(await codes('0912345678', viewer)).toEqual(['MB001']);
    expect(await codes('+84 912 345 678', viewer)).toEqual(['MB001']);
    // An officer, who may open the member and read the number, still searches by part of it.
    expect(await codes('345678', officerA)).toEqual(['MB001']);
  });

  it('an officer never sees another branch in lists', async () => {
    const res = await api().get('/api/admin/members?q=dang van duc').set(as(officerA));
    expect(res.body.total).toBe(0);
  });
});

describe('import', () => {
  it('runs as a job with progress and reports bad rows with their row numbers', async () => {
    const csv = ['Mã đoàn viên,Họ và tên,Ngày sinh,Mã đơn vị', 'MBI01,Trần Văn Một,01/02/1990,MB-A', ',Thiếu Mã,,MB-A', 'MBI03,Lê Thị Ba,31/02/1990,MB-A', 'MBI04,Phạm Văn Bốn,1991-03-04,'].join('\n');
    const start = await api().post('/api/admin/members/imports?filename=ds.csv').set(as(officerA)).set('content-type', 'text/csv').send(csv);
    expect(start.status).toBe(202);
    const job = await waitJob(officerA, start.body.id);
    expect(job).toMatchObject({ status: 'done', done: 4, total: 4 });
    expect(job.report.created).toBe(2);
    expect(job.report.rejected.map((r: { row: number }) => r.row)).toEqual([3, 4]);
    // A row without a branch goes to the importing officer's branch, not the root.
    expect((await getMemberByCode(t.db, 'MBI04'))!.branchId).toBe(A.id);
    // Another officer cannot read the job.
    expect((await api().get(`/api/admin/members/imports/${start.body.id}`).set(as(adminRoot))).status).toBe(404);
  });

  it('keeps a non-root officer inside their subtree', async () => {
    const csv = ['member_code,full_name,branch_code', 'MB002,Chiếm Mã Khác,MB-A', 'MBI10,Ngoài Phạm Vi,MB-B', 'MBI11,Đơn Vị Mới,NEW-BRANCH'].join('\n');
    const start = await api().post('/api/admin/members/imports?filename=x.csv').set(as(officerA)).set('content-type', 'text/csv').send(csv);
    const job = await waitJob(officerA, start.body.id);
    expect(job.report.rejected.map((r: { row: number }) => r.row)).toEqual([2, 3, 4]);
    expect((await getMemberByCode(t.db, 'MB002'))!.fullName).toBe('Đặng Văn Đức');
  });

  it('keeps progress in the database: another web process answers the poll; a silent job reads as interrupted', async () => {
    const csv = ['member_code,full_name', 'MBI20,Người Thứ Hai'].join('\n');
    const start = await api().post('/api/admin/members/imports?filename=two.csv').set(as(officerA)).set('content-type', 'text/csv').send(csv);
    await waitJob(officerA, start.body.id);
    // A second app on the same database stands for a second web process behind a load balancer.
    const other = createApp(t.deps);
    const seen = await request(other).get(`/api/admin/members/imports/${start.body.id}`).set(as(officerA));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: 'done', filename: 'two.csv', report: { created: 1 } });

    // A job left running by a process that died: after the stale window the poll says what happened.
    const officer = (await t.db.select().from(officers).where(isNotNull(officers.branchId))).find((o) => o.role === 'officer' && o.branchId === A.id)!;
    await createImportJob(t.db, { id: 'deadprocessjob1', officerId: officer.id, filename: 'lost.csv', total: 500 });
    await t.db.update(memberImportJobs).set({ updatedAt: new Date(Date.now() - 10 * 60_000) }).where(eq(memberImportJobs.id, 'deadprocessjob1'));
    const lost = await api().get('/api/admin/members/imports/deadprocessjob1').set(as(officerA));
    expect(lost.body).toMatchObject({ status: 'failed', error: { code: 'IMPORT_INTERRUPTED' } });
    expect(lost.body.error.message).toContain('tải tệp lên lại');
  });

  it('refuses a file that names one field in two columns: the scope check and the import could read different ones', async () => {
    // Branch A's officer: the first code/branch columns look harmless, the second ones aim at branch B.
    const csv = ['member_code,Mã đoàn viên,full_name,branch_code,Mã đơn vị', 'MBX01,MB002,Chiếm Quyền,MB-A,MB-B'].join('\n');
    const res = await api().post('/api/admin/members/imports?filename=hai-cot.csv').set(as(officerA)).set('content-type', 'text/csv').send(csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_HEADERS');
    expect(res.body.error.message).toMatch(/"member_code" \/ "Mã đoàn viên".*"branch_code" \/ "Mã đơn vị"/);
    const victim = (await getMemberByCode(t.db, 'MB002'))!;
    expect([victim.fullName, victim.branchId]).toEqual(['Đặng Văn Đức', B.id]);
  });

  it('counts every bad row but lists the first 1,000, and refuses an upload past 200,000 rows', async () => {
    const bad = Array.from({ length: 2500 }, (_, i) => `,Không Mã ${i}`);
    const start = await api().post('/api/admin/members/imports?filename=loi.csv').set(as(officerA)).set('content-type', 'text/csv').send(['member_code,full_name', 'MBL01,Một Dòng Đúng', ...bad].join('\n'));
    expect(start.status).toBe(202);
    const job = await waitJob(officerA, start.body.id);
    expect(job).toMatchObject({ status: 'done', report: { created: 1, rejectedCount: 2500 } });
    expect(job.report.rejected).toHaveLength(1000);
    expect(job.report.rejected[0]).toMatchObject({ row: 3, reason: expect.stringMatching(/mã đoàn viên/) });

    const huge = ['member_code,full_name', ...Array.from({ length: 200_001 }, (_, i) => `H${i},x`)].join('\n');
    const refused = await api().post('/api/admin/members/imports?filename=lon.csv').set(as(officerA)).set('content-type', 'text/csv').send(huge);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ code: 'TOO_MANY_ROWS', message: expect.stringMatching(/chia nhỏ tệp/) });
  });

  it('refuses a file without the required columns at once', async () => {
    const res = await api().post('/api/admin/members/imports?filename=x.csv').set(as(officerA)).set('content-type', 'text/csv').send('foo,bar\n1,2\n');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_HEADERS');
  });
});

describe('export and personal data', () => {
  it('exports CSV with formula guarding and writes an audit row', async () => {
    const res = await api().get(`/api/admin/members/export?format=csv&branchId=${A.id}`).set(as(adminRoot));
    expect(res.status).toBe(200);
    expect(res.text).toContain('MB001');
    expect(res.text).not.toContain('MB002');
    expect(res.text).toContain(`'=HYPERLINK`);
    const audit = await api().get('/api/admin/audit?action=members.export').set(as(adminRoot));
    expect(audit.body.items[0]).toMatchObject({ action: 'members.export', details: { format: 'csv' } });
  });

  it('streams the XLSX export page by page: every member of the subtree once, audited with the count', async () => {
    const extra = [];
    for (let i = 1; i <= 5; i++) extra.push(await makeMember(t.db, { memberCode: `MBS${i}`, fullName: `Đoàn Viên Số ${i}`, branchId: A.id }));
    // The pages themselves: a keyset walk gives each member once whatever the page size.
    const walked: string[] = [];
    for await (const page of membersForExport(t.db, { branchIds: [A.id] }, 2)) walked.push(...page.map((p) => p.member.memberCode));
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked).toEqual(expect.arrayContaining(extra.map((m) => m.memberCode)));

    const res = await api()
      .get(`/api/admin/members/export?format=xlsx&branchId=${A.id}`)
      .set(as(adminRoot))
      .buffer(true)
      .parse(asBuffer);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('doan-vien.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['Mã đoàn viên', 'Họ và tên']);
    const codes: string[] = [];
    ws.eachRow((row, n) => void (n > 1 && codes.push(String(row.getCell(1).value))));
    expect(codes).toEqual(walked);
    const audit = await api().get('/api/admin/audit?action=members.export').set(as(adminRoot));
    expect(audit.body.items[0]).toMatchObject({ details: { format: 'xlsx', rows: walked.length } });
  });

  it('exports one member’s data as JSON and anonymizes on request, both audited', async () => {
    const m = await makeMember(t.db, { memberCode: 'MBDEL', fullName: 'Hoàng Văn Xóa', branchId: A.id, phone: '+84911111111', zaloUserId: zaloId(), zaloAppUserId: zaloId('5') });
    const pd = await api().get(`/api/admin/members/${m.id}/personal-data`).set(as(adminRoot));
    expect(pd.status).toBe(200);
    expect(pd.body.member).toMatchObject({ memberCode: 'MBDEL', phone: '+84911111111' });
    // A member code outside ASCII still downloads, its file name encoded.
    const d = await makeMember(t.db, { memberCode: 'ĐV-PD1', branchId: A.id });
    const pdD = await api().get(`/api/admin/members/${d.id}/personal-data`).set(as(adminRoot));
    expect(pdD.status).toBe(200);
    expect(pdD.headers['content-disposition']).toContain(`filename*=UTF-8''du-lieu-ca-nhan-%C4%90V-PD1.json`);
    const del = await api().post(`/api/admin/members/${m.id}/anonymize`).set(as(adminRoot));
    expect(del.status).toBe(200);
    const after = (await getMemberByCode(t.db, 'MBDEL'))!;
    expect(after).toMatchObject({ fullName: 'Đã xóa', phone: null, nationalId: null, dateOfBirth: null, zaloUserId: null, zaloAppUserId: null });
    const audit = await api().get('/api/admin/audit?action=member.').set(as(adminRoot));
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['member.personal_data_export', 'member.anonymize']));
  });
});

describe('dashboard and audit scope', () => {
  it('dashboard counts only the subtree', async () => {
    const all = await api().get('/api/admin/dashboard').set(as(adminRoot));
    const mine = await api().get('/api/admin/dashboard').set(as(officerA));
    expect(all.status).toBe(200);
    expect(mine.body.members.total).toBeLessThan(all.body.members.total);
    expect(mine.body.members.byBranch.every((b: { code: string }) => b.code === 'MB-A')).toBe(true);
    expect(mine.body).toHaveProperty('handoffs.open');
    expect(mine.body).toHaveProperty('questions.unanswered');
  });

  it('unanswered questions (workers’ own words) reach only officers of the asker’s branch; non-members’ only the root', async () => {
    const inA = zaloId();
    const inB = zaloId();
    const stranger = zaloId();
    await makeMember(t.db, { branchId: A.id, zaloUserId: inA });
    await makeMember(t.db, { branchId: B.id, zaloUserId: inB });
    await t.db.insert(qaLog).values([
      { zaloUserId: inA, question: 'câu hỏi của tổ A chưa trả lời được', confident: false },
      { zaloUserId: inB, question: 'câu hỏi của tổ B, sđt 0912000999', confident: false },
      { zaloUserId: stranger, question: 'người chưa liên kết hỏi', confident: false },
    ]);
    const questions = async (token: string) => {
      const stats = (await api().get('/api/admin/kb/stats').set(as(token))).body.unanswered as { question: string }[];
      const dash = (await api().get('/api/admin/dashboard').set(as(token))).body.questions.unanswered as { question: string }[];
      const ours = (list: { question: string }[]) => list.map((q) => q.question).filter((q) => /tổ A|tổ B|chưa liên kết/.test(q)).sort();
      expect(ours(dash)).toEqual(ours(stats));
      return ours(stats);
    };
    expect(await questions(officerA)).toEqual(['câu hỏi của tổ A chưa trả lời được']);
    expect(await questions(adminRoot)).toEqual(['câu hỏi của tổ A chưa trả lời được', 'câu hỏi của tổ B, sđt 0912000999', 'người chưa liên kết hỏi'].sort());
  });

  it("an officer's audit view excludes actions of officers outside the subtree", async () => {
    const res = await api().get('/api/admin/audit').set(as(officerA));
    expect(res.status).toBe(200);
    expect(res.body.items.some((a: { action: string }) => a.action === 'members.export')).toBe(false);
    expect(res.body.items.some((a: { action: string }) => a.action === 'members.import')).toBe(true);
  });
});
