/** Spreadsheet exports: values and headers that a spreadsheet would run as formulas go out as text. */
import { toCsv } from '../../shared/export/table';

describe('CSV export', () => {
  it('guards header cells as well as values (welfare field labels are set by officers)', () => {
    const csv = toCsv({
      sheet: 'x',
      columns: [
        { header: 'Họ và tên', key: 'name' },
        { header: '=HYPERLINK("http://evil.example","Lý do")', key: 'reason' },
      ],
      rows: [{ name: '@SUM(1+1)', reason: 'ốm' }],
    });
    const [header, row] = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(header).toMatch(/^Họ và tên,"?'=HYPERLINK/);
    expect(row).toMatch(/^"?'@SUM/);
  });
});
