import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { count, eq } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/db';
import type { Database } from '../../shared/db/client';
import { importMembers } from '../../shared/members/import';
import { parseMemberBuffer, readMemberFile } from '../../shared/members/parse-file';
import { branches, members } from '../../shared/db/schema';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

function makeCsv(n: number, badRows: Set<number>): string {
  const lines = ['member_code,full_name,date_of_birth,gender,phone,national_id,branch_code,joined_at'];
  for (let i = 1; i <= n; i++) {
    const bad = badRows.has(i);
    const dob = bad ? '31/02/1990' : `${String((i % 28) + 1).padStart(2, '0')}/05/1990`;
    lines.push(`BIG${i},Nguyễn Văn ${i},${dob},Nam,09${String(10000000 + i).slice(-8)},,CDCS-${i % 5},2015-01-01`);
  }
  return lines.join('\n');
}

describe('members import', () => {
  it('imports 10,000 rows with 20 bad ones: 9,980 created, the 20 reported by row number', async () => {
    const bad = new Set(Array.from({ length: 20 }, (_, k) => 37 + k * 499));
    const table = await parseMemberBuffer(Buffer.from(makeCsv(10000, bad)), 'big.csv');
    const progress: number[] = [];
    const report = await importMembers(database.db, table, { onProgress: (d) => progress.push(d) });
    expect(report.total).toBe(10000);
    expect(report.created).toBe(9980);
    expect(report.updated).toBe(0);
    expect(report.rejected.map((r) => r.row)).toEqual([...bad].map((i) => i + 1));
    expect(report.rejected[0].reason).toMatch(/ngày sinh/);
    expect(progress[progress.length - 1]).toBe(9980);
    const [n] = await database.db.select({ n: count() }).from(members).where(eq(members.memberCode, 'BIG1'));
    expect(Number(n.n)).toBe(1);
    expect(report.branchesCreated.sort()).toEqual(['CDCS-0', 'CDCS-1', 'CDCS-2', 'CDCS-3', 'CDCS-4']);

    // Running it again updates instead of duplicating.
    const again = await importMembers(database.db, table);
    expect(again.created).toBe(0);
    expect(again.updated).toBe(9980);
  }, 120000);

  it('reads Vietnamese headers with a UTF-8 BOM, semicolons, and reports duplicate codes (last row wins)', async () => {
    const csv = '\uFEFFMã đoàn viên;Họ và tên;Số điện thoại;Mã đơn vị\nVN1;Trần Thị Bình;0987654321;TO-A\nVN2;Lê Văn Cường;;TO-A\nVN1;Trần Thị Bình Mới;;TO-A\n';
    const report = await importMembers(database.db, await parseMemberBuffer(Buffer.from(csv), 'vn.csv'));
    expect(report.created).toBe(2);
    expect(report.duplicates).toEqual([{ row: 2, memberCode: 'VN1', replacedByRow: 4 }]);
    const [m] = await database.db.select().from(members).where(eq(members.memberCode, 'VN1'));
    expect(m.fullName).toBe('Trần Thị Bình Mới');
    expect(m.searchName).toBe('tran thi binh moi');
    const [b] = await database.db.select().from(branches).where(eq(branches.code, 'TO-A'));
    expect(b.parentId).not.toBeNull();
  });

  it('reads an Excel file with date cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Đoàn viên');
    ws.addRow(['Mã đoàn viên', 'Họ và tên', 'Ngày sinh', 'CCCD']);
    ws.addRow(['XL1', 'Phạm Thị Dung', new Date(Date.UTC(1988, 2, 9)), '079188000111']);
    ws.addRow(['XL2', 'Hoàng Văn Em', '09/03/1990', '123']);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cd-')), 'members.xlsx');
    await wb.xlsx.writeFile(file);
    const report = await importMembers(database.db, await readMemberFile(file));
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([{ row: 3, memberCode: 'XL2', reason: expect.stringMatching(/CCCD/) }]);
    const [m] = await database.db.select().from(members).where(eq(members.memberCode, 'XL1'));
    expect(m.dateOfBirth).toBe('1988-03-09');
  });

  it('refuses wrong headers with the list of expected headers, and files that are not CSV/XLSX', async () => {
    await expect(importMembers(database.db, await parseMemberBuffer(Buffer.from('name,phone\nA,1\n'), 'x.csv'))).rejects.toThrow(
      /member_code \| Mã đoàn viên/,
    );
    await expect(parseMemberBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'photo.png')).rejects.toThrow(/không phải CSV/);
    await expect(parseMemberBuffer(Buffer.from('a,b\u0000c'), 'x.csv')).rejects.toThrow(/không phải CSV/);
    await expect(parseMemberBuffer(Buffer.from([0x4d, 0xe3, 0x20, 0xc4]), 'latin.csv')).rejects.toThrow(/UTF-8/);
  });
});
