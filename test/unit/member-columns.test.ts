import { mapHeaders } from '../../shared/members/columns';
import { normalizeGender, parseVnDate, validateRow } from '../../shared/members/import';

describe('member file headers', () => {
  it('maps English and Vietnamese headers, with or without diacritics and case', () => {
    const { map, missing } = mapHeaders(['Mã đoàn viên', 'HO VA TEN', 'ngay sinh', 'Giới tính', 'Số điện thoại', 'CCCD', 'Mã đơn vị', 'Ngày vào công đoàn', 'ghi chú']);
    expect(missing).toEqual([]);
    expect(map).toEqual(['memberCode', 'fullName', 'dateOfBirth', 'gender', 'phone', 'nationalId', 'branchCode', 'joinedAt', null]);
    expect(mapHeaders(['member_code', 'full_name', 'branch_code']).map).toEqual(['memberCode', 'fullName', 'branchCode']);
  });

  it('reports missing required columns', () => {
    expect(mapHeaders(['name', 'phone']).missing).toEqual(['memberCode', 'fullName']);
  });
});

describe('member row validation', () => {
  it('parses both date formats and rejects impossible dates', () => {
    expect(parseVnDate('1990-05-17')).toBe('1990-05-17');
    expect(parseVnDate('17/05/1990')).toBe('1990-05-17');
    expect(parseVnDate('7/5/1990')).toBe('1990-05-07');
    expect(parseVnDate('31/02/1990')).toBeNull();
    expect(parseVnDate('1990/05/17')).toBeNull();
    expect(parseVnDate('hôm qua')).toBeNull();
  });

  it('normalizes gender words', () => {
    expect(normalizeGender('nữ')).toBe('Nữ');
    expect(normalizeGender('Nam')).toBe('Nam');
    expect(normalizeGender('F')).toBe('Nữ');
  });

  it('accepts a good row and normalizes phone and dates', () => {
    const r = validateRow({ memberCode: 'DV1', fullName: '  Nguyễn  Văn An ', phone: '0912 345 678', dateOfBirth: '01/02/1990', nationalId: '079090001234' });
    expect(r).toEqual(expect.objectContaining({ memberCode: 'DV1', fullName: 'Nguyễn Văn An', phone: '+84912345678', dateOfBirth: '1990-02-01', nationalId: '079090001234' }));
  });

  it.each([
    [{ memberCode: '', fullName: 'A' }, /mã đoàn viên/],
    [{ memberCode: 'DV1', fullName: '' }, /họ tên/],
    [{ memberCode: 'DV1', fullName: 'A', phone: '12345' }, /điện thoại/],
    [{ memberCode: 'DV1', fullName: 'A', dateOfBirth: '32/01/1990' }, /ngày sinh/],
    [{ memberCode: 'DV1', fullName: 'A', nationalId: '12AB' }, /CCCD/],
  ])('rejects %o with a reason', (cells, reason) => {
    const r = validateRow(cells);
    expect('error' in r && r.error).toMatch(reason);
  });
});
