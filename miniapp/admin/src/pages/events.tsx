// Sự kiện: create an event, show its QR full-screen at the door, live check-in count, attendance export.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText, get, post } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { Checkin, EventDetail, EventSummary } from '../lib/types';
import { fmtDateTime, fmtNum, localInputToIso } from '../lib/format';
import { Card, Empty, ErrorBox, Loading, PageHead } from '../components/ui';

export function EventsPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useData(() => get<{ items: EventSummary[] }>('/events'), [], 5000);
  const [creating, setCreating] = useState(false);
  return (
    <div data-testid="page-events">
      <PageHead
        title="Sự kiện"
        subtitle="Hội nghị, đại hội, sinh hoạt: điểm danh bằng mã QR"
        actions={
          can('officer') && (
            <button className="btn btn--primary" onClick={() => { setCreating(true); navigate('/events'); }} data-testid="event-new">
              + Tạo sự kiện
            </button>
          )
        }
      />
      <div className="grid grid--list">
        <Card title="Danh sách" testId="event-list">
          <ErrorBox>{list.error}</ErrorBox>
          {list.data && list.data.items.length === 0 && <Empty>Chưa có sự kiện.</Empty>}
          <ul className="side-list">
            {list.data?.items.map((e) => (
              <li key={e.id}>
                <Link to={`/events/${e.id}`} onClick={() => setCreating(false)} className={`side-list__item ${String(e.id) === id ? 'side-list__item--active' : ''}`} data-testid={`event-item-${e.id}`}>
                  <div className="side-list__title">{e.title}</div>
                  <div className="side-list__meta">
                    <span>
                      {fmtDateTime(e.startsAt)} · <strong>{fmtNum(Number(e.count))}</strong> người đã điểm danh
                    </span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        {creating && !id ? (
          <CreateEvent
            onCreated={(eid) => {
              setCreating(false);
              list.reload();
              navigate(`/events/${eid}`);
            }}
          />
        ) : id ? (
          <EventView id={Number(id)} onCount={list.reload} />
        ) : (
          <Card>
            <Empty>Chọn một sự kiện để xem mã QR và số người điểm danh.</Empty>
          </Card>
        )}
      </div>
    </div>
  );
}

function CreateEvent({ onCreated }: { onCreated(id: number): void }) {
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState(() => {
    const d = new Date(Date.now() + 3600_000);
    d.setMinutes(0, 0, 0);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  });
  const [endsAt, setEndsAt] = useState('');
  const [location, setLocation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function create() {
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ id: number }>('/events', {
        title,
        startsAt: localInputToIso(startsAt),
        ...(endsAt ? { endsAt: localInputToIso(endsAt) } : {}),
        ...(location.trim() ? { location } : {}),
      });
      onCreated(r.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title="Tạo sự kiện" testId="event-create">
      <div className="form">
        <label className="field">
          <span>Tên sự kiện</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="event-title" />
        </label>
        <div className="grid grid--2">
          <label className="field">
            <span>Bắt đầu</span>
            <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} data-testid="event-starts" />
          </label>
          <label className="field">
            <span>Kết thúc (mặc định sau 4 giờ)</span>
            <input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} data-testid="event-ends" />
          </label>
        </div>
        <label className="field">
          <span>Địa điểm</span>
          <input value={location} onChange={(e) => setLocation(e.target.value)} data-testid="event-location" />
        </label>
        <ErrorBox testId="event-error">{error}</ErrorBox>
        <div className="row">
          <button className="btn btn--primary" disabled={busy || title.trim().length < 3 || !startsAt} onClick={() => void create()} data-testid="event-create-submit">
            Tạo sự kiện
          </button>
        </div>
      </div>
    </Card>
  );
}

function EventView({ id, onCount }: { id: number; onCount(): void }) {
  const ev = useData(() => get<EventDetail>(`/events/${id}`), [id], 2000);
  const count = ev.data?.count;
  useEffect(() => {
    if (count !== undefined) onCount();
  }, [count, onCount]);
  const att = useData(() => get<{ items: Checkin[]; total: number }>(`/events/${id}/checkins`), [id, ev.data?.count]);
  const [full, setFull] = useState(false);
  useEffect(() => {
    if (!full) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setFull(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [full]);
  if (ev.loading && !ev.data) return <Loading />;
  if (!ev.data) return <ErrorBox>{ev.error}</ErrorBox>;
  const e = ev.data;
  return (
    <div className="stack" data-testid="event-detail">
      <Card title={e.title}>
        <div className="event">
          <div>
            <dl className="dl">
              <dt>Thời gian</dt>
              <dd>
                {fmtDateTime(e.startsAt)} – {fmtDateTime(e.endsAt)}
              </dd>
              <dt>Địa điểm</dt>
              <dd>{e.location ?? '—'}</dd>
              <dt>Mã nhập tay</dt>
              <dd className="mono big" data-testid="event-code">
                {e.code}
              </dd>
            </dl>
            <div className="count" data-testid="event-count" data-count={e.count}>
              <div className="count__value">{fmtNum(e.count)}</div>
              <div className="count__label">người đã điểm danh</div>
            </div>
            <div className="row">
              <button className="btn btn--primary" onClick={() => setFull(true)} data-testid="event-qr-fullscreen">
                Hiện QR toàn màn hình
              </button>
              <a className="btn btn--ghost" href={`/api/admin/events/${id}/checkins?format=xlsx`} data-testid="event-export-xlsx">
                Xuất Excel
              </a>
              <a className="btn btn--ghost" href={`/api/admin/events/${id}/checkins?format=csv`} data-testid="event-export-csv">
                Xuất CSV
              </a>
            </div>
          </div>
          <img className="event__qr" src={e.qrImage} alt="Mã QR điểm danh" data-testid="event-qr" />
        </div>
      </Card>
      <Card title={`Danh sách điểm danh (${fmtNum(att.data?.total ?? e.count)})`} testId="event-checkins">
        {att.data && att.data.items.length === 0 ? (
          <Empty>Chưa có ai điểm danh.</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Mã</th>
                <th>Họ tên</th>
                <th>Đơn vị</th>
                <th>Thời gian</th>
                <th>Cách</th>
              </tr>
            </thead>
            <tbody>
              {[...(att.data?.items ?? [])].reverse().slice(0, 200).map((c) => (
                <tr key={c.memberCode}>
                  <td className="mono">{c.memberCode}</td>
                  <td>{c.fullName}</td>
                  <td className="small">{c.branch}</td>
                  <td>{fmtDateTime(c.at)}</td>
                  <td>{c.method === 'self' ? 'Tự quét' : 'Cán bộ quét'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {full && (
        <div className="qr-full" data-testid="event-qr-full" onClick={() => setFull(false)}>
          <h1>{e.title}</h1>
          <img src={e.qrImage} alt="Mã QR điểm danh" />
          <p>
            Mở mini-app Công đoàn trên Zalo → <strong>Điểm danh</strong> → quét mã này, hoặc nhập mã <strong className="mono">{e.code}</strong>
          </p>
          <div className="qr-full__count" data-testid="event-qr-full-count">
            {fmtNum(e.count)} người đã điểm danh
          </div>
          <button className="btn btn--ghost" onClick={() => setFull(false)} data-testid="event-qr-close">
            Đóng (Esc)
          </button>
        </div>
      )}
    </div>
  );
}
