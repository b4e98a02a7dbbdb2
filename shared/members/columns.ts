/** Member file columns: English or Vietnamese header names, matched without case or diacritics. */
import { foldVietnamese } from '../text';

export const MEMBER_COLUMNS = {
  memberCode: ['member_code', 'Mã đoàn viên'],
  fullName: ['full_name', 'Họ và tên'],
  dateOfBirth: ['date_of_birth', 'Ngày sinh'],
  gender: ['gender', 'Giới tính'],
  phone: ['phone', 'Số điện thoại'],
  nationalId: ['national_id', 'CCCD'],
  branchCode: ['branch_code', 'Mã đơn vị'],
  joinedAt: ['joined_at', 'Ngày vào công đoàn'],
  zaloUserId: ['zalo_user_id'],
} as const;

export type MemberColumn = keyof typeof MEMBER_COLUMNS;
export const REQUIRED_COLUMNS: MemberColumn[] = ['memberCode', 'fullName'];

const headerKey = (h: string) => foldVietnamese(h).replace(/[\s_\-.]+/g, '');

const LOOKUP = new Map<string, MemberColumn>();
for (const [col, names] of Object.entries(MEMBER_COLUMNS) as [MemberColumn, readonly string[]][]) {
  for (const n of names) LOOKUP.set(headerKey(n), col);
}
// Common extra spellings seen in union spreadsheets.
LOOKUP.set(headerKey('Họ tên'), 'fullName');
LOOKUP.set(headerKey('SĐT'), 'phone');
LOOKUP.set(headerKey('Điện thoại'), 'phone');
LOOKUP.set(headerKey('Mã ĐV'), 'memberCode');
LOOKUP.set(headerKey('CMND/CCCD'), 'nationalId');

export function expectedHeadersText(): string {
  return Object.values(MEMBER_COLUMNS)
    .map((names) => names.join(' | '))
    .join(', ');
}

/**
 * Which field each header names, the required fields no header names, and the fields two or more
 * headers name (e.g. `member_code` and `Mã đoàn viên`): a file must say each field once, or two
 * readers of it could take different values.
 */
export function mapHeaders(headers: string[]): { map: (MemberColumn | null)[]; missing: MemberColumn[]; repeated: MemberColumn[] } {
  const map = headers.map((h) => LOOKUP.get(headerKey(String(h ?? ''))) ?? null);
  const missing = REQUIRED_COLUMNS.filter((c) => !map.includes(c));
  const repeated = [...new Set(map.filter((c, i): c is MemberColumn => c !== null && map.indexOf(c) !== i))];
  return { map, missing, repeated };
}
