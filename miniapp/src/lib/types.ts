// Shapes of the server's /api/miniapp/* and /api/demo/* answers (kept in step with miniapp/server).

export type MemberStatus = 'active' | 'suspended' | 'left';

export interface Branch {
  code: string;
  name: string;
}

export interface Member {
  id: number | string;
  memberCode: string;
  fullName: string;
  branch: Branch;
  status: MemberStatus | string;
  joinedAt: string | null;
}

export interface Officer {
  role: string;
  branchCode: string;
  branchName: string;
}

export interface Me {
  member: Member;
  officer: Officer | null;
}

export type LinkRequest = { memberCode: string; dateOfBirth: string } | { phoneToken: string };

export interface Card {
  memberCode: string;
  fullName: string;
  branch: Branch;
  status: MemberStatus | string;
  joinedAt: string | null;
  qr: string;
  qrExpiresAt: string;
}

export interface EventRef {
  id: number | string;
  title: string;
}

export interface CheckinResult {
  status: 'checked_in' | 'already_checked_in';
  at: string;
  event: EventRef;
}

export interface Announcement {
  id: number | string;
  title: string;
  body: string;
  imageUrl: string | null;
  linkUrl: string | null;
  publishedAt: string;
}

export type WelfareFieldType = 'text' | 'number' | 'choice' | 'date';

export interface WelfareField {
  key: string;
  label: string;
  type: WelfareFieldType;
  required: boolean;
  options?: string[];
}

export type RegistrationStatus = 'submitted' | 'approved' | 'rejected' | 'cancelled';

export interface WelfareRegistration {
  id: number;
  reference: string;
  programId: number;
  programTitle: string;
  status: RegistrationStatus | string;
  statusLabel: string;
  answers: Record<string, unknown>;
  note: string | null;
  createdAt: string;
}

export interface WelfareProgram {
  id: number | string;
  code: string;
  title: string;
  description: string | null;
  eligibility: string | null;
  opensAt: string | null;
  closesAt: string | null;
  capacity?: number | null;
  fields: WelfareField[];
  myRegistration?: WelfareRegistration | null;
}

export interface OfficerEvent {
  id: number | string;
  title: string;
  startsAt: string;
  endsAt: string | null;
  location: string | null;
  count: number;
}

export interface OfficerEventSummary {
  id: number | string;
  title: string;
  count: number;
}

export interface OfficerCheckinResult {
  status: 'checked_in' | 'already_checked_in';
  at: string;
  member: { memberCode: string; fullName: string };
}

export interface DemoIdentities {
  members: { zaloAppUserId: string; fullName: string; memberCode: string; branchName: string; isOfficer: boolean }[];
  unlinked: { zaloAppUserId: string; name: string; phone?: string | null; hasPhone?: boolean }[];
}

export interface Items<T> {
  items: T[];
}
