/** Reading member XLSX files that are odd or hostile: far-away stray cells, gaps, zip bombs, lying archives. */
import ExcelJS from 'exceljs';
import { parseMemberBuffer } from '../../shared/members/parse-file';
import { checkXlsxExpansion, XLSX_MAX_EXPANDED_BYTES } from '../../shared/members/xlsx-guard';
import { AppError } from '../../shared/errors';
import { buildZip } from '../helpers/zip';

async function workbook(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Đoàn viên');
  ws.getRow(1).values = ['Mã đoàn viên', 'Họ và tên'];
  fill(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('member XLSX files', () => {
  it('reads the header’s columns and the rows that exist, whatever a stray far-away cell says about the sheet', async () => {
    // A value at XFD1048576 makes the sheet 16,384 columns × 1,048,576 rows; reading every cell of
    // that froze the web process for good on a 6 kB upload.
    const buf = await workbook((ws) => {
      ws.getRow(2).values = ['CD001', 'Nguyễn Văn An'];
      ws.getCell(1_048_576, 16_384).value = 'lạc chỗ';
    });
    const started = Date.now();
    const table = await parseMemberBuffer(buf, 'doan-vien.xlsx');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(table.headers).toEqual(['Mã đoàn viên', 'Họ và tên']);
    expect(table.rows).toEqual([['CD001', 'Nguyễn Văn An']]);
  });

  it('keeps each row at its spreadsheet row number across empty rows', async () => {
    const buf = await workbook((ws) => {
      ws.getRow(2).values = ['CD001', 'Nguyễn Văn An'];
      ws.getRow(5).values = ['CD004', 'Trần Thị Bốn'];
    });
    const { rows } = await parseMemberBuffer(buf, 'doan-vien.xlsx');
    // rows[i] is spreadsheet row i + 2: row 5 is rows[3], the rows between are empty.
    expect(rows).toHaveLength(4);
    expect(rows[3]).toEqual(['CD004', 'Trần Thị Bốn']);
    expect(rows[1]).toEqual([]);
  });

  it('refuses a workbook that would inflate past the limit, before inflating it, with a message for the officer', async () => {
    const bomb = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(XLSX_MAX_EXPANDED_BYTES + 1, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await refusal(parseMemberBuffer(bomb, 'bom.xlsx'));
    expect(err).toMatchObject({ code: 'XLSX_TOO_LARGE', status: 400 });
    expect(err.message).toMatch(/quá lớn.*CSV/);
  });

  it('refuses an archive whose part inflates past the size it declares (the directory lies)', async () => {
    const liar = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(4 * 1024 * 1024, 0x20), declaredSize: 100 }]);
    expect(await refusal(checkXlsxExpansion(liar))).toMatchObject({ code: 'BAD_XLSX', status: 400 });
    // Honest parts whose declared sizes add up past a (small) limit are refused too.
    const honest = buildZip([
      { name: 'a.xml', data: Buffer.alloc(600 * 1024, 0x20) },
      { name: 'b.xml', data: Buffer.alloc(600 * 1024, 0x20) },
    ]);
    await expect(checkXlsxExpansion(honest, 2 * 1024 * 1024)).resolves.toBeUndefined();
    expect(await refusal(checkXlsxExpansion(honest, 1024 * 1024))).toMatchObject({ code: 'XLSX_TOO_LARGE' });
  });

  it('answers a truncated or non-ZIP .xlsx with BAD_XLSX', async () => {
    const good = await workbook((ws) => void (ws.getRow(2).values = ['CD001', 'Nguyễn Văn An']));
    expect(await refusal(parseMemberBuffer(good.subarray(0, good.length - 40), 'cut.xlsx'))).toMatchObject({ code: 'BAD_XLSX' });
    expect(await refusal(parseMemberBuffer(Buffer.from('PK\u0003\u0004 not really a zip'), 'fake.xlsx'))).toMatchObject({ code: 'BAD_XLSX' });
  });
});
