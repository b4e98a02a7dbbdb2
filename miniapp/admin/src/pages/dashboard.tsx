// Tổng quan: members by branch and status, Zalo linking, broadcast delivery, check-ins, questions, hand-offs.
import { Link } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { get } from '../lib/api';
import { useData } from '../hooks/use-data';
import type { Dashboard } from '../lib/types';
import { BROADCAST_STATUS, fmtNum } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, PageHead, Stat } from '../components/ui';

const COLORS = { active: '#0f7b3f', suspended: '#d99a00', left: '#9aa1ab', linked: '#0b5cad', unlinked: '#c9d3df' };

export function DashboardPage() {
  const { data, error, loading } = useData(() => get<Dashboard>('/dashboard'), [], 15000);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorBox>{error}</ErrorBox>;
  const m = data.members;
  const status = [
    { name: 'Đang sinh hoạt', value: m.byStatus.active, color: COLORS.active },
    { name: 'Tạm ngưng', value: m.byStatus.suspended, color: COLORS.suspended },
    { name: 'Đã ra', value: m.byStatus.left, color: COLORS.left },
  ].filter((s) => s.value > 0);
  const branches = m.byBranch.map((b) => ({ name: b.code, fullName: b.name, linked: b.linked, unlinked: b.total - b.linked }));
  const events = data.events.map((e) => ({ name: e.title.length > 28 ? e.title.slice(0, 27) + '…' : e.title, count: e.count }));

  return (
    <div data-testid="page-dashboard">
      <PageHead title="Tổng quan" subtitle="Số liệu trong phạm vi đơn vị của bạn, cập nhật mỗi 15 giây" />
      <div className="stats">
        <Stat label="Đoàn viên" value={fmtNum(m.total)} hint={`${fmtNum(m.byStatus.active)} đang sinh hoạt`} testId="stat-members" />
        <Stat label="Đã liên kết Zalo" value={`${m.linkedPct}%`} hint={`${fmtNum(m.linked)} / ${fmtNum(m.total)} đoàn viên`} testId="stat-linked" tone="info" />
        <Stat label="Tỷ lệ gửi tin thành công" value={`${data.broadcasts.deliveryRate}%`} hint={`${fmtNum(data.broadcasts.sent)} đã gửi · ${fmtNum(data.broadcasts.failed)} lỗi`} testId="stat-delivery" tone="ok" />
        <Stat
          label="Yêu cầu hỗ trợ đang chờ"
          value={fmtNum(data.handoffs.open)}
          hint={<Link to="/handoffs">Mở hộp thư hỗ trợ →</Link>}
          testId="stat-handoffs"
          tone={data.handoffs.open > 0 ? 'warn' : undefined}
        />
      </div>

      <div className="grid grid--2-1">
        <Card title="Đoàn viên theo đơn vị" testId="chart-branches">
          {branches.length === 0 ? (
            <Empty>Chưa có đoàn viên.</Empty>
          ) : (
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={branches} margin={{ top: 8, right: 8, left: -10, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
                <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
                <Tooltip labelFormatter={(_l, p) => (p?.[0]?.payload as { fullName?: string } | undefined)?.fullName ?? ''} />
                <Legend />
                <Bar isAnimationActive={false} dataKey="linked" name="Đã liên kết Zalo" stackId="a" fill={COLORS.linked} />
                <Bar isAnimationActive={false} dataKey="unlinked" name="Chưa liên kết" stackId="a" fill={COLORS.unlinked} radius={[4, 4, 0, 0]} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </Card>
        <Card title="Trạng thái đoàn viên" testId="chart-status">
          <ResponsiveContainer width="100%" height={280}>
            <PieChart>
              <Pie isAnimationActive={false} data={status} dataKey="value" nameKey="name" innerRadius={55} outerRadius={95} paddingAngle={2}>
                {status.map((s) => (
                  <Cell key={s.name} fill={s.color} />
                ))}
              </Pie>
              <Tooltip />
              <Legend />
            </PieChart>
          </ResponsiveContainer>
        </Card>
      </div>

      <div className="grid grid--2">
        <Card title="Điểm danh theo sự kiện" testId="chart-events">
          {events.length === 0 ? (
            <Empty>Chưa có sự kiện.</Empty>
          ) : (
            <ResponsiveContainer width="100%" height={Math.max(160, events.length * 44)}>
              <BarChart data={events} layout="vertical" margin={{ top: 4, right: 16, left: 8, bottom: 4 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
                <YAxis type="category" dataKey="name" width={190} tick={{ fontSize: 11 }} />
                <Tooltip />
                <Bar isAnimationActive={false} dataKey="count" name="Lượt điểm danh" fill="#0b5cad" radius={[0, 4, 4, 0]} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </Card>
        <Card title="Đợt gửi tin gần đây" testId="recent-broadcasts">
          {data.broadcasts.recent.length === 0 ? (
            <Empty>Chưa có đợt gửi tin.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Tiêu đề</th>
                  <th>Trạng thái</th>
                  <th className="num">Đã gửi</th>
                  <th className="num">Lỗi</th>
                  <th className="num">Thành công</th>
                </tr>
              </thead>
              <tbody>
                {data.broadcasts.recent.map((b) => (
                  <tr key={b.id}>
                    <td>
                      <Link to={`/broadcasts/${b.id}`}>{b.title}</Link>
                    </td>
                    <td>
                      <Badge tone={b.status === 'done' ? 'ok' : b.status === 'sending' ? 'info' : 'muted'}>{BROADCAST_STATUS[b.status] ?? b.status}</Badge>
                    </td>
                    <td className="num">{fmtNum(b.sent)}</td>
                    <td className="num">{fmtNum(b.failed)}</td>
                    <td className="num">{b.sent + b.failed > 0 ? `${b.deliveryRate}%` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>

      <div className="grid grid--2">
        <Card title="Câu hỏi được hỏi nhiều (30 ngày)" testId="top-questions">
          {data.questions.top.length === 0 ? (
            <Empty>Chưa có câu hỏi nào được trả lời.</Empty>
          ) : (
            <ol className="list">
              {data.questions.top.map((q) => (
                <li key={q.entryId ?? q.question}>
                  <span>{q.question}</span> <Badge tone="info">{q.n} lượt</Badge>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card title="Câu hỏi chưa trả lời được" testId="unanswered-questions" actions={<Link to="/kb">Bổ sung vào hỏi đáp →</Link>}>
          {data.questions.unanswered.length === 0 ? (
            <Empty>Không có câu hỏi nào bị bỏ lỡ.</Empty>
          ) : (
            <ul className="list">
              {data.questions.unanswered.map((q) => (
                <li key={q.id}>{q.question}</li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
