// Vietnamese display helpers.
const TZ = 'Asia/Ho_Chi_Minh';

export function fmtDateTime(v: string | Date | null | undefined): string {
  if (!v) return '—';
  const d = typeof v === 'string' ? new Date(v) : v;
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('vi-VN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function fmtDate(v: string | null | undefined): string {
  if (!v) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  return fmtDateTime(v);
}

export const fmtNum = (n: number | null | undefined) => (n == null ? '—' : n.toLocaleString('vi-VN'));

export function fmtEta(sec: number | null | undefined): string {
  if (sec == null) return '—';
  if (sec <= 0) return 'xong';
  if (sec < 60) return `${sec} giây`;
  const m = Math.floor(sec / 60);
  return m < 60 ? `${m} phút ${sec % 60} giây` : `${Math.floor(m / 60)} giờ ${m % 60} phút`;
}

export const ROLE_LABEL: Record<string, string> = { admin: 'Quản trị', officer: 'Cán bộ', viewer: 'Chỉ xem' };
export const MEMBER_STATUS: Record<string, string> = { active: 'Đang sinh hoạt', suspended: 'Tạm ngưng', left: 'Đã ra' };
export const BROADCAST_STATUS: Record<string, string> = { draft: 'Nháp', scheduled: 'Đã hẹn giờ', sending: 'Đang gửi', done: 'Hoàn tất', cancelled: 'Đã hủy' };
export const TICKET_STATUS: Record<string, string> = { open: 'Đang chờ', answered: 'Đã trả lời', closed: 'Đã đóng' };
export const REG_STATUS: Record<string, string> = { submitted: 'Chờ duyệt', approved: 'Đã duyệt', rejected: 'Từ chối', cancelled: 'Đã hủy' };
export const DELIVERY_STATUS: Record<string, string> = { pending: 'Chờ gửi', sending: 'Đang gửi', sent: 'Đã gửi', failed: 'Lỗi', skipped: 'Bỏ qua' };

/** Local datetime-input value (YYYY-MM-DDTHH:mm) → ISO with the +07:00 offset the API expects. */
export function localInputToIso(v: string): string {
  return new Date(v).toISOString();
}
