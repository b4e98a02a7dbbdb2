// Nhật ký: audit log of officer actions and personal-data exports, newest first.
import { useState } from 'react';
import { get, qs } from '../lib/api';
import { useData } from '../hooks/use-data';
import type { AuditEntry, Paged } from '../lib/types';
import { fmtDateTime } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, PageHead, Pager } from '../components/ui';

const ACTIONS: Record<string, string> = {
  'auth.sign_in': 'Đăng nhập',
  'members.export': 'Xuất danh sách đoàn viên',
  'members.import': 'Nhập đoàn viên',
  'member.personal_data_export': 'Xuất dữ liệu cá nhân',
  'member.anonymize': 'Xóa dữ liệu cá nhân',
  'broadcast.create': 'Tạo đợt gửi',
  'broadcast.send': 'Gửi tin',
  'broadcast.test': 'Gửi thử',
  'broadcast.cancel': 'Hủy đợt gửi',
  'broadcast.retry_failed': 'Gửi lại tin lỗi',
  'handoff.reply': 'Trả lời hỗ trợ',
  'handoff.close': 'Đóng yêu cầu hỗ trợ',
  'event.create': 'Tạo sự kiện',
  'kb.create': 'Thêm mục hỏi đáp',
  'kb.update': 'Sửa mục hỏi đáp',
  'kb.delete': 'Ẩn mục hỏi đáp',
};

export function AuditPage() {
  const [page, setPage] = useState(1);
  const [action, setAction] = useState('');
  const list = useData(() => get<Paged<AuditEntry>>(`/audit${qs({ page, pageSize: 50, action })}`), [page, action]);
  return (
    <div data-testid="page-audit">
      <PageHead title="Nhật ký" subtitle="Thao tác của cán bộ trong phạm vi đơn vị của bạn (kể cả xuất dữ liệu cá nhân)" />
      <Card
        actions={
          <select value={action} onChange={(e) => { setAction(e.target.value); setPage(1); }} data-testid="audit-filter">
            <option value="">Mọi thao tác</option>
            <option value="auth">Đăng nhập</option>
            <option value="member">Đoàn viên</option>
            <option value="broadcast">Gửi tin</option>
            <option value="handoff">Hỗ trợ</option>
            <option value="event">Sự kiện</option>
            <option value="kb">Hỏi đáp</option>
            <option value="welfare">Phúc lợi</option>
          </select>
        }
      >
        <ErrorBox>{list.error}</ErrorBox>
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data && list.data.items.length === 0 ? (
          <Empty>Chưa có thao tác nào.</Empty>
        ) : (
          list.data && (
            <>
              <table className="table" data-testid="audit-table">
                <thead>
                  <tr>
                    <th>Thời gian</th>
                    <th>Cán bộ</th>
                    <th>Thao tác</th>
                    <th>Đối tượng</th>
                    <th>Chi tiết</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((a) => (
                    <tr key={a.id} data-testid="audit-row" data-action={a.action}>
                      <td className="nowrap">{fmtDateTime(a.at)}</td>
                      <td>{a.officerName ?? a.actor}</td>
                      <td>
                        <Badge tone={a.action.includes('export') || a.action.includes('anonymize') ? 'warn' : 'info'}>{ACTIONS[a.action] ?? a.action}</Badge>
                      </td>
                      <td className="mono small">{a.target ?? '—'}</td>
                      <td className="small muted">{Object.keys(a.details ?? {}).length ? JSON.stringify(a.details) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager page={page} pageSize={50} total={list.data.total} onPage={setPage} />
            </>
          )
        )}
      </Card>
    </div>
  );
}
