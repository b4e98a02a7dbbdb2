// Hỗ trợ: hand-off inbox. Open tickets first; new ones appear without reload (polling); read the history,
// reply (sent to the worker on Zalo) and close.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { errorText, get, post, qs } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { Ticket, TicketDetail } from '../lib/types';
import { fmtDateTime, TICKET_STATUS } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, PageHead } from '../components/ui';

const tone = (s: string) => (s === 'open' ? 'warn' : s === 'answered' ? 'info' : 'muted') as 'warn' | 'info' | 'muted';

export function HandoffsPage() {
  const { id } = useParams();
  const [status, setStatus] = useState<'open' | 'answered' | 'closed' | ''>('open');
  const list = useData(() => get<{ items: Ticket[] }>(`/handoffs${qs({ status })}`), [status], 4000);
  return (
    <div data-testid="page-handoffs">
      <PageHead title="Hỗ trợ" subtitle="Câu hỏi người lao động chuyển cho cán bộ; trả lời ở đây sẽ gửi tới Zalo của họ" />
      <div className="grid grid--list">
        <Card
          title="Hộp thư"
          testId="handoff-list"
          actions={
            <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="handoff-filter">
              <option value="open">Đang chờ</option>
              <option value="answered">Đã trả lời</option>
              <option value="closed">Đã đóng</option>
              <option value="">Tất cả</option>
            </select>
          }
        >
          <ErrorBox>{list.error}</ErrorBox>
          {list.data && list.data.items.length === 0 && <Empty>Không có yêu cầu nào.</Empty>}
          <ul className="side-list">
            {list.data?.items.map((t) => (
              <li key={t.id}>
                <Link to={`/handoffs/${t.id}`} className={`side-list__item ${String(t.id) === id ? 'side-list__item--active' : ''}`} data-testid={`handoff-item-${t.id}`}>
                  <div className="side-list__title">{t.question}</div>
                  <div className="side-list__meta">
                    <Badge tone={tone(t.status)}>{TICKET_STATUS[t.status]}</Badge> #{t.id} · {fmtDateTime(t.updatedAt)}
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        {id ? <TicketView id={Number(id)} onChanged={list.reload} /> : <Card><Empty>Chọn một yêu cầu để xem và trả lời.</Empty></Card>}
      </div>
    </div>
  );
}

function TicketView({ id, onChanged }: { id: number; onChanged(): void }) {
  const { can } = useAuth();
  const t = useData(() => get<TicketDetail>(`/handoffs/${id}`), [id], 5000);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(path: string, body: unknown, ok: string) {
    setBusy(true);
    setError(null);
    setMsg(null);
    try {
      await post(`/handoffs/${id}/${path}`, body);
      setMsg(ok);
      if (path === 'reply') setText('');
      t.reload();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (t.loading && !t.data) return <Loading />;
  if (!t.data) return <ErrorBox>{t.error}</ErrorBox>;
  const d = t.data;
  return (
    <Card title={`Yêu cầu #${d.id}`} testId="handoff-detail" actions={<Badge tone={tone(d.status)} testId="handoff-status">{TICKET_STATUS[d.status]}</Badge>}>
      <div className="muted small">
        Zalo: <span className="mono">{d.zaloUserId}</span> · {d.memberId ? <Link to={`/members/${d.memberId}`}>xem đoàn viên</Link> : 'chưa liên kết đoàn viên'} · tạo lúc {fmtDateTime(d.createdAt)}
      </div>
      <div className="thread" data-testid="handoff-thread">
        {d.messages.map((m) => (
          <div key={m.id} className={`msg msg--${m.author}`}>
            <div className="msg__bubble">{m.text}</div>
            <div className="msg__meta">
              {m.author === 'user' ? 'Người lao động' : m.author === 'officer' ? 'Cán bộ' : 'Trợ lý'} · {fmtDateTime(m.createdAt)}
            </div>
          </div>
        ))}
      </div>
      {can('officer') && d.status !== 'closed' && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('reply', { text }, 'Đã gửi trả lời qua Zalo.');
          }}
        >
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="Nhập câu trả lời cho người lao động…" data-testid="handoff-reply-text" />
          <div className="row">
            <button className="btn btn--primary" disabled={busy || !text.trim()} data-testid="handoff-reply-send">
              Gửi trả lời
            </button>
            <button type="button" className="btn btn--ghost" disabled={busy} onClick={() => void act('close', {}, 'Đã đóng yêu cầu.')} data-testid="handoff-close">
              Đóng yêu cầu
            </button>
          </div>
        </form>
      )}
      {msg && <Notice tone="ok" testId="handoff-msg">{msg}</Notice>}
      <ErrorBox>{error}</ErrorBox>
    </Card>
  );
}
