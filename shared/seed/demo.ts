/**
 * The demo union: a city federation → grassroots unions → teams, ~200 members (some linked to Zalo
 * simulator users), officers of each role, an event, welfare programs and announcements.
 */
import { count } from 'drizzle-orm';
import type { Db } from '../db/client';
import { announcements, events, members, welfarePrograms } from '../db/schema';
import { createBranch } from '../db/queries/branches';
import { getMemberByCode, linkMemberZalo, upsertMembers, type MemberUpsert } from '../db/queries/members';
import { createOfficer } from '../db/queries/officers';
import { FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, prng } from './names';

/** Demo Zalo ids: OA follower ids and per-app ids are different numbers, as on real Zalo. */
export const demoZaloUserId = (i: number) => `71${String(1000000000000000 + i)}`;
export const demoZaloAppUserId = (i: number) => `52${String(1000000000000000 + i)}`;
export const DEMO_MEMBER_COUNT = 200;
/** Members 1..LINKED are linked to simulator users; the rest are in the registry only. */
export const DEMO_LINKED_COUNT = 40;
export const DEMO_EVENT_CODE = 'DH2026';
export const DEMO_TET_PROGRAM_CODE = 'TET2027';

export interface DemoSeedResult {
  members: number;
  officerTokens: { name: string; role: string; branch: string; token: string }[];
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [r] = await db.select({ n: count() }).from(members);
  return Number(r.n) === 0;
}

export async function seedDemo(db: Db, now = new Date()): Promise<DemoSeedResult> {
  const rand = prng(2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

  const root = await createBranch(db, { code: 'LDLD-HCM', name: 'Liên đoàn Lao động TP. Hồ Chí Minh', parentId: null });
  const kcn = await createBranch(db, { code: 'CD-KCX-TT', name: 'Công đoàn các KCX-KCN Tân Thuận', parentId: root.id });
  const grassroots = [
    await createBranch(db, { code: 'CDCS-MAYVIET', name: 'CĐCS Công ty May Việt Tiến', parentId: kcn.id }),
    await createBranch(db, { code: 'CDCS-DIENTU', name: 'CĐCS Công ty Điện tử Sao Mai', parentId: kcn.id }),
    await createBranch(db, { code: 'CDCS-THUCPHAM', name: 'CĐCS Công ty Thực phẩm Phương Nam', parentId: root.id }),
  ];
  const teams = [
    await createBranch(db, { code: 'TO-MAY-1', name: 'Tổ công đoàn Phân xưởng May 1', parentId: grassroots[0].id }),
    await createBranch(db, { code: 'TO-MAY-2', name: 'Tổ công đoàn Phân xưởng May 2', parentId: grassroots[0].id }),
    await createBranch(db, { code: 'TO-LAPRAP', name: 'Tổ công đoàn Lắp ráp', parentId: grassroots[1].id }),
  ];
  const leafBranches = [...teams, grassroots[1], grassroots[2]];

  const rows: MemberUpsert[] = [];
  for (let i = 1; i <= DEMO_MEMBER_COUNT; i++) {
    const female = rand() < 0.6;
    const fullName = `${pick(FAMILY)} ${pick(female ? MIDDLE_F : MIDDLE_M)} ${pick(female ? GIVEN_F : GIVEN_M)}`;
    const year = 1970 + Math.floor(rand() * 35);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const joinedYear = Math.max(year + 18, 2005) + Math.floor(rand() * 10);
    rows.push({
      memberCode: `DV${String(i).padStart(5, '0')}`,
      fullName,
      dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      gender: female ? 'Nữ' : 'Nam',
      phone: `+849${String(10000000 + i * 7919).slice(-8)}`,
      nationalId: `079${String(100000000 + i * 104729).slice(-9)}`,
      branchId: leafBranches[i % leafBranches.length].id,
      joinedAt: `${Math.min(joinedYear, 2025)}-0${1 + (i % 9)}-15`,
      status: i % 37 === 0 ? 'suspended' : 'active',
      zaloUserId: i <= DEMO_LINKED_COUNT ? demoZaloUserId(i) : null,
    });
  }
  await upsertMembers(db, rows);
  // Linked demo members also have a mini-app identity.
  for (let i = 1; i <= DEMO_LINKED_COUNT; i++) {
    const m = await getMemberByCode(db, rows[i - 1].memberCode);
    if (m) await linkMemberZalo(db, m.id, { zaloAppUserId: demoZaloAppUserId(i) });
  }

  const m1 = (await getMemberByCode(db, 'DV00001'))!;
  const m2 = (await getMemberByCode(db, 'DV00002'))!;
  const officerTokens: DemoSeedResult['officerTokens'] = [];
  const admin = await createOfficer(db, { name: 'Nguyễn Thị Quản Trị', branchId: root.id, role: 'admin', memberId: m1.id, zaloUserId: m1.zaloUserId, phone: m1.phone });
  officerTokens.push({ name: admin.officer.name, role: 'admin', branch: root.code, token: admin.token });
  const officer = await createOfficer(db, { name: 'Trần Văn Cán Bộ', branchId: grassroots[0].id, role: 'officer', memberId: m2.id, zaloUserId: m2.zaloUserId, phone: m2.phone });
  officerTokens.push({ name: officer.officer.name, role: 'officer', branch: grassroots[0].code, token: officer.token });
  const viewer = await createOfficer(db, { name: 'Lê Thị Xem', branchId: grassroots[1].id, role: 'viewer' });
  officerTokens.push({ name: viewer.officer.name, role: 'viewer', branch: grassroots[1].code, token: viewer.token });

  const day = 86400000;
  await db.insert(events).values({
    branchId: root.id,
    title: 'Đại hội Công đoàn các KCX-KCN nhiệm kỳ 2026–2031',
    startsAt: new Date(now.getTime() - 2 * 3600000),
    endsAt: new Date(now.getTime() + 30 * day),
    location: 'Hội trường Nhà Văn hóa Lao động, 55B Nguyễn Thị Minh Khai, Q.1',
    code: DEMO_EVENT_CODE,
    createdByOfficerId: admin.officer.id,
  });
  await db.insert(events).values({
    branchId: grassroots[0].id,
    title: 'Hội nghị người lao động Công ty May Việt Tiến 2027',
    startsAt: new Date(now.getTime() - 3600000),
    endsAt: new Date(now.getTime() + 7 * day),
    location: 'Nhà ăn ca, xưởng May 1',
    code: 'HNNLD27',
    createdByOfficerId: officer.officer.id,
  });

  await db.insert(welfarePrograms).values([
    {
      branchId: root.id,
      code: DEMO_TET_PROGRAM_CODE,
      title: 'Quà Tết Bính Ngọ 2027 cho đoàn viên',
      description: 'Mỗi đoàn viên đăng ký nhận 01 phần quà Tết trị giá 500.000 đồng.',
      eligibility: 'Đoàn viên đang sinh hoạt, vào công đoàn trước 01/12/2026.',
      rules: { activeOnly: true, joinedBefore: '2026-12-01' },
      fields: [
        { key: 'pickup', label: 'Nơi nhận quà', type: 'choice', required: true, options: ['Tại công ty', 'Tại Nhà Văn hóa Lao động'] },
        { key: 'note', label: 'Ghi chú', type: 'text', required: false },
      ],
      opensAt: new Date(now.getTime() - day),
      closesAt: new Date(now.getTime() + 45 * day),
      capacity: 5000,
    },
    {
      branchId: root.id,
      code: 'KHAMSK2026',
      title: 'Khám sức khỏe định kỳ miễn phí',
      description: 'Khám tổng quát tại Bệnh viện Lao động cho đoàn viên.',
      eligibility: 'Đoàn viên đang sinh hoạt.',
      rules: { activeOnly: true },
      fields: [{ key: 'date', label: 'Ngày muốn khám (dd/mm/yyyy)', type: 'date', required: true }],
      opensAt: new Date(now.getTime() - day),
      closesAt: new Date(now.getTime() + 20 * day),
      capacity: 300,
    },
    {
      branchId: grassroots[0].id,
      code: 'THAMHOI2026',
      title: 'Hỗ trợ thăm hỏi ốm đau',
      description: 'Hỗ trợ 1.000.000 đồng cho đoàn viên nằm viện từ 3 ngày trở lên.',
      eligibility: 'Đoàn viên CĐCS Công ty May Việt Tiến.',
      rules: { activeOnly: true },
      fields: [
        { key: 'days', label: 'Số ngày nằm viện', type: 'number', required: true },
        { key: 'hospital', label: 'Tên bệnh viện', type: 'text', required: true },
      ],
      opensAt: new Date(now.getTime() - 10 * day),
      closesAt: new Date(now.getTime() + 90 * day),
    },
  ]);

  await db.insert(announcements).values([
    {
      branchId: null,
      title: 'Lương tối thiểu vùng tăng từ 01/01/2026',
      body: 'Từ 01/01/2026, lương tối thiểu vùng I là 5.310.000 đồng/tháng (Nghị định 293/2025/NĐ-CP). Đoàn viên kiểm tra bảng lương tháng 1 và báo công đoàn nếu chưa được điều chỉnh.',
      publishedAt: new Date(now.getTime() - 3 * day),
      authorOfficerId: admin.officer.id,
    },
    {
      branchId: root.id,
      title: 'Đăng ký nhận quà Tết 2027',
      body: 'Công đoàn mở đăng ký nhận quà Tết cho đoàn viên. Nhắn "đăng ký" cho OA hoặc vào mục Phúc lợi trên mini-app.',
      publishedAt: new Date(now.getTime() - day),
      authorOfficerId: admin.officer.id,
    },
    {
      branchId: grassroots[0].id,
      title: 'Lịch khám sức khỏe định kỳ tháng 12',
      body: 'Phân xưởng May 1 khám ngày 10/12, Phân xưởng May 2 khám ngày 12/12 tại Bệnh viện Lao động.',
      publishedAt: new Date(now.getTime() - 2 * 3600000),
      authorOfficerId: officer.officer.id,
    },
  ]);

  return { members: rows.length, officerTokens };
}
