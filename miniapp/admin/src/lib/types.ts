// Shapes of the /api/admin answers the console reads.
export type Role = 'admin' | 'officer' | 'viewer';

export interface OfficerInfo {
  id: number;
  name: string;
  role: Role;
  branch: { id: number; code: string; name: string; isRoot: boolean } | null;
  hasZalo: boolean;
}

export interface Me {
  officer: OfficerInfo;
  role: Role;
  csrfToken: string | null;
  expiresAt: string | null;
  demoMode: boolean;
}

export interface Branch {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  members: number;
}

export interface MemberRow {
  id: number;
  memberCode: string;
  fullName: string;
  gender: string | null;
  status: 'active' | 'suspended' | 'left';
  phone: string | null;
  nationalId: string | null;
  branch: { id: number; code: string; name: string };
  linked: boolean;
  joinedAt: string | null;
}

export interface MemberDetail extends Omit<MemberRow, 'branch'> {
  dateOfBirth: string | null;
  branch: { id: number; code: string; name: string };
  miniAppLinked: boolean;
  checkins: { event: string; at: string; method: string }[];
  welfareRegistrations: { program: string; status: string; createdAt: string }[];
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ImportReport {
  total: number;
  created: number;
  updated: number;
  rejected: { row: number; memberCode?: string; reason: string }[];
  /** All rejected rows; `rejected` lists the first 1,000. Absent in reports from before it existed. */
  rejectedCount?: number;
  duplicates: { row: number; memberCode: string; replacedByRow: number }[];
  branchesCreated: string[];
}

export interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  report: ImportReport | null;
  error: { code: string; message: string } | null;
}

export interface Dashboard {
  members: {
    total: number;
    linked: number;
    linkedPct: number;
    byStatus: { active: number; suspended: number; left: number };
    byBranch: { branchId: number; code: string; name: string; total: number; active: number; suspended: number; left: number; linked: number; linkedPct: number }[];
  };
  broadcasts: {
    total: number;
    sent: number;
    failed: number;
    deliveryRate: number;
    recent: { id: number; title: string; status: string; total: number; sent: number; failed: number; deliveryRate: number; createdAt: string }[];
  };
  events: { id: number; title: string; startsAt: string; count: number }[];
  questions: { top: { entryId: number | null; question: string; n: number }[]; unanswered: { id: number; question: string; score: number | null; at: string }[] };
  handoffs: { open: number };
}

export interface Segment {
  branchCodes?: string[];
  memberCodes?: string[];
  linkedOnly?: boolean;
}

export interface Broadcast {
  id: number;
  status: 'draft' | 'scheduled' | 'sending' | 'done' | 'cancelled';
  title: string;
  text: string;
  segment: Segment;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  total: number;
}

export interface BroadcastProgress extends Broadcast {
  sent: number;
  failed: number;
  pending: number;
  skipped: number;
  ratePerSec: number;
  etaSec: number | null;
}

export interface Delivery {
  id: number;
  memberId: number;
  memberCode?: string;
  fullName?: string;
  status: string;
  attempts: number;
  errorCode: string | null;
  reason: string | null;
  sentAt: string | null;
}

export interface KbEntry {
  id: number;
  slug: string;
  topic: string;
  question: string;
  variants: string[];
  keywords: string[];
  answer: string;
  citation: string;
  effectiveFrom: string | null;
  sourceUrl: string | null;
  active: boolean;
  updatedAt?: string;
}

export interface KbTry {
  kind: string;
  text: string;
  hits: { id: number; slug: string; question: string; score: number }[];
}

export interface Ticket {
  id: number;
  zaloUserId: string;
  memberId: number | null;
  question: string;
  status: 'open' | 'answered' | 'closed';
  createdAt: string;
  updatedAt: string;
}

export interface TicketDetail extends Ticket {
  messages: { id: number; author: string; text: string; createdAt: string; officerId?: number | null }[];
}

export interface EventSummary {
  id: number;
  title: string;
  startsAt: string;
  endsAt: string;
  location: string | null;
  code: string;
  count: number;
}

export interface EventDetail extends EventSummary {
  eventToken: string;
  qrImage: string;
}

export interface Checkin {
  memberCode: string;
  fullName: string;
  branch?: string;
  at: string;
  method: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  officerName: string | null;
}

export interface Announcement {
  id: number;
  branchId: number;
  title: string;
  body: string;
  imageUrl: string | null;
  linkUrl: string | null;
  published: boolean;
  publishedAt: string | null;
  authorOfficerId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Poll {
  id: number;
  question: string;
  options: { text: string; votes: number }[];
  total: number;
  closesAt: string;
  branchId: number;
  createdAt: string;
  closed: boolean;
  /** The latest send: a broadcast (progress like any broadcast). */
  lastSend: { broadcastId: number; at: string; status: string; sent: number; failed: number; pending: number; skipped: number } | null;
}

export interface OpsStatus {
  webhook: { silent: boolean; lastWebhookAt: string | null; silenceMs: number } | null;
  demoMode: boolean;
  queueDriver?: 'local' | 'bullmq';
}
