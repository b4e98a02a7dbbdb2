// Gửi tin Zalo (broadcasts): compose with a Zalo-style preview, segment picker, recipient count before sending,
// schedule, test send, live progress (sent/failed/pending + ETA) by polling, failed list, retry failed.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText, get, post, qs } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { Broadcast, BroadcastProgress, Delivery, Paged, Segment } from '../lib/types';
import { BROADCAST_STATUS, DELIVERY_STATUS, fmtDateTime, fmtEta, fmtNum, localInputToIso } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, PageHead, Progress } from '../components/ui';
import { branchTree, useBranches } from '../components/branch-select';

const statusTone = (s: string) => (s === 'done' ? 'ok' : s === 'sending' ? 'info' : s === 'scheduled' ? 'warn' : 'muted') as 'ok' | 'info' | 'warn' | 'muted';

export function BroadcastsPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useData(() => get<Paged<Broadcast>>('/broadcasts?pageSize=50'), [], 5000);
  return (
    <div data-testid="page-broadcasts">
      <PageHead
        title="Gửi tin Zalo"
        subtitle="Gửi thông báo qua Zalo OA tới đoàn viên đã liên kết, theo dõi tiến độ trực tiếp"
        actions={
          can('officer') && (
            <button className="btn btn--primary" onClick={() => navigate('/broadcasts')} data-testid="broadcast-new">
              + Soạn tin mới
            </button>
          )
        }
      />
      <div className="grid grid--list">
        <Card title="Các đợt gửi" testId="broadcast-list">
          <ErrorBox>{list.error}</ErrorBox>
          {list.data && list.data.items.length === 0 && <Empty>Chưa có đợt gửi nào.</Empty>}
          <ul className="side-list">
            {list.data?.items.map((b) => (
              <li key={b.id}>
                <Link to={`/broadcasts/${b.id}`} className={`side-list__item ${String(b.id) === id ? 'side-list__item--active' : ''}`} data-testid={`broadcast-item-${b.id}`}>
                  <div className="side-list__title">{b.title}</div>
                  <div className="side-list__meta">
                    <Badge tone={statusTone(b.status)}>{BROADCAST_STATUS[b.status]}</Badge> {fmtNum(b.total)} người · {fmtDateTime(b.createdAt)}
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        {id ? <BroadcastDetail id={Number(id)} onChanged={list.reload} /> : can('officer') ? <Compose onCreated={(bid) => { list.reload(); navigate(`/broadcasts/${bid}`); }} /> : <Card><Empty>Chọn một đợt gửi để xem tiến độ.</Empty></Card>}
      </div>
    </div>
  );
}

function ZaloPreview({ title, text }: { title: string; text: string }) {
  const sample = (s: string) => s.replace(/\{ten\}/g, 'Nguyễn Văn An').replace(/\{ma_doan_vien\}/g, 'DV00001');
  return (
    <div className="zalo-preview" data-testid="compose-preview">
      <div className="zalo-preview__bar">
        <span className="zalo-preview__avatar">CĐ</span> Công đoàn (Zalo OA)
      </div>
      <div className="zalo-preview__chat">
        <div className="zalo-preview__bubble">
          <div className="zalo-preview__title">{sample(title) || 'Tiêu đề thông báo'}</div>
          <div className="zalo-preview__text">{sample(text) || 'Nội dung thông báo sẽ hiển thị ở đây.'}</div>
        </div>
      </div>
      <div className="muted small">Xem trước với đoàn viên mẫu “Nguyễn Văn An”. Dùng {'{ten}'} và {'{ma_doan_vien}'} để cá nhân hóa.</div>
    </div>
  );
}

function Compose({ onCreated }: { onCreated(id: number): void }) {
  const branches = useBranches();
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [memberCodes, setMemberCodes] = useState('');
  const [linkedOnly, setLinkedOnly] = useState(true);
  const [scheduled, setScheduled] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tree = branches.data ? branchTree(branches.data.items) : [];

  async function create() {
    setBusy(true);
    setError(null);
    const segment: Segment = { linkedOnly };
    if (codes.length) segment.branchCodes = codes;
    const mc = memberCodes.split(/[\s,;]+/).filter(Boolean);
    if (mc.length) segment.memberCodes = mc;
    try {
      const b = await post<Broadcast>('/broadcasts', { title, text, segment, ...(scheduled ? { scheduledAt: localInputToIso(scheduled) } : {}) });
      onCreated(b.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Soạn tin mới" testId="compose">
      <div className="compose">
        <div className="form">
          <label className="field">
            <span>Tiêu đề (tối đa 100 ký tự)</span>
            <input value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} data-testid="compose-title" />
          </label>
          <label className="field">
            <span>Nội dung</span>
            <textarea rows={7} value={text} onChange={(e) => setText(e.target.value)} data-testid="compose-text" />
          </label>
          <fieldset className="field">
            <span>Gửi tới đơn vị (để trống = toàn bộ phạm vi của bạn)</span>
            <div className="checklist" data-testid="segment-branches">
              {tree.map(({ branch, depth }) => (
                <label key={branch.id} style={{ paddingLeft: depth * 16 }} className="check">
                  <input
                    type="checkbox"
                    checked={codes.includes(branch.code)}
                    onChange={(e) => setCodes((c) => (e.target.checked ? [...c, branch.code] : c.filter((x) => x !== branch.code)))}
                    data-testid={`segment-branch-${branch.code}`}
                  />
                  {branch.name} <span className="muted">({branch.code})</span>
                </label>
              ))}
            </div>
          </fieldset>
          <label className="field">
            <span>Hoặc danh sách mã đoàn viên (cách nhau bởi dấu phẩy / xuống dòng)</span>
            <textarea rows={2} value={memberCodes} onChange={(e) => setMemberCodes(e.target.value)} data-testid="segment-members" />
          </label>
          <label className="check">
            <input type="checkbox" checked={linkedOnly} onChange={(e) => setLinkedOnly(e.target.checked)} data-testid="segment-linked" /> Chỉ đoàn viên đã liên kết Zalo
          </label>
          <label className="field">
            <span>Hẹn giờ gửi (không bắt buộc)</span>
            <input type="datetime-local" value={scheduled} onChange={(e) => setScheduled(e.target.value)} data-testid="compose-schedule" />
          </label>
          <ErrorBox testId="compose-error">{error}</ErrorBox>
          <div className="row">
            <button className="btn btn--primary" onClick={() => void create()} disabled={busy || !title.trim() || !text.trim()} data-testid="compose-create">
              Tạo đợt gửi & đếm người nhận
            </button>
          </div>
          <p className="muted small">Đợt gửi được tạo ở dạng nháp; bạn sẽ thấy số người nhận và có thể gửi thử trước khi gửi thật.</p>
        </div>
        <ZaloPreview title={title} text={text} />
      </div>
    </Card>
  );
}

function BroadcastDetail({ id, onChanged }: { id: number; onChanged(): void }) {
  const { can, me } = useAuth();
  const p = useData(() => get<BroadcastProgress>(`/broadcasts/${id}`), [id], 1000);
  const b = p.data;
  const failed = useData(b && b.failed > 0 ? () => get<Paged<Delivery>>(`/broadcasts/${id}/deliveries${qs({ status: 'failed', pageSize: 100 })}`) : null, [id, b?.failed]);
  const [confirm, setConfirm] = useState(false);
  const status = b?.status;
  useEffect(() => {
    if (status) onChanged();
  }, [status, onChanged]);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(path: string, ok: string) {
    setError(null);
    setMsg(null);
    try {
      await post(`/broadcasts/${id}/${path}`);
      setMsg(ok);
      setConfirm(false);
      p.reload();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }

  if (p.loading && !b) return <Loading />;
  if (!b) return <ErrorBox>{p.error}</ErrorBox>;
  const done = b.sent + b.failed + b.skipped;
  const seg = b.segment;
  return (
    <div className="stack" data-testid="broadcast-detail" data-status={b.status}>
      <Card
        title={b.title}
        actions={<Badge tone={statusTone(b.status)} testId="broadcast-status">{BROADCAST_STATUS[b.status]}</Badge>}
      >
        <div className="compose">
          <div>
            <dl className="dl">
              <dt>Người nhận</dt>
              <dd data-testid="broadcast-total">{fmtNum(b.total)}</dd>
              <dt>Phạm vi</dt>
              <dd>
                {seg.branchCodes?.length ? `Đơn vị: ${seg.branchCodes.join(', ')}` : 'Toàn bộ phạm vi'}
                {seg.memberCodes?.length ? ` · ${seg.memberCodes.length} mã đoàn viên` : ''}
                {seg.linkedOnly ? ' · chỉ đã liên kết Zalo' : ''}
              </dd>
              <dt>Tạo lúc</dt>
              <dd>{fmtDateTime(b.createdAt)}</dd>
              {b.scheduledAt && (
                <>
                  <dt>Hẹn giờ</dt>
                  <dd>{fmtDateTime(b.scheduledAt)}</dd>
                </>
              )}
              {b.finishedAt && (
                <>
                  <dt>Hoàn tất</dt>
                  <dd>{fmtDateTime(b.finishedAt)}</dd>
                </>
              )}
            </dl>
            {can('officer') && (
              <div className="row" data-testid="broadcast-actions">
                {(b.status === 'draft' || b.status === 'scheduled') &&
                  (confirm ? (
                    <>
                      <span>Gửi tới {fmtNum(b.total)} người ngay bây giờ?</span>
                      <button className="btn btn--primary" onClick={() => void act('send', 'Đã bắt đầu gửi.')} data-testid="broadcast-send-confirm">
                        Xác nhận gửi
                      </button>
                      <button className="btn btn--ghost" onClick={() => setConfirm(false)}>
                        Thôi
                      </button>
                    </>
                  ) : (
                    <button className="btn btn--primary" onClick={() => setConfirm(true)} disabled={b.total === 0} data-testid="broadcast-send">
                      Gửi ngay
                    </button>
                  ))}
                {(b.status === 'draft' || b.status === 'scheduled') && (
                  <button
                    className="btn btn--ghost"
                    onClick={() => void act('test', 'Đã gửi thử tới Zalo của bạn.')}
                    disabled={!me?.officer.hasZalo}
                    title={me?.officer.hasZalo ? '' : 'Tài khoản của bạn chưa gắn Zalo'}
                    data-testid="broadcast-test"
                  >
                    Gửi thử cho tôi
                  </button>
                )}
                {(b.status === 'sending' || b.status === 'scheduled' || b.status === 'draft') && (
                  <button className="btn btn--danger-ghost" onClick={() => void act('cancel', 'Đã hủy đợt gửi.')} data-testid="broadcast-cancel">
                    Hủy
                  </button>
                )}
                {(b.status === 'done' || b.status === 'sending') && b.failed > 0 && (
                  <button className="btn btn--ghost" onClick={() => void act('retry-failed', 'Đang gửi lại các tin lỗi.')} data-testid="broadcast-retry">
                    Gửi lại {fmtNum(b.failed)} tin lỗi
                  </button>
                )}
              </div>
            )}
            {msg && <Notice tone="ok" testId="broadcast-msg">{msg}</Notice>}
            <ErrorBox testId="broadcast-error">{error}</ErrorBox>
          </div>
          <ZaloPreview title={b.title} text={b.text} />
        </div>
      </Card>
      {b.status !== 'draft' && (
        <Card title="Tiến độ" testId="broadcast-progress-card">
          <Progress
            value={done}
            max={b.total || 1}
            testId="broadcast-progress"
            parts={[
              { value: b.sent, tone: 'ok' },
              { value: b.failed, tone: 'err' },
              { value: b.skipped, tone: 'muted' },
            ]}
          />
          <div className="stats stats--compact">
            <div className="stat stat--ok">
              <div className="stat__label">Đã gửi</div>
              <div className="stat__value" data-testid="broadcast-sent">{fmtNum(b.sent)}</div>
            </div>
            <div className="stat stat--err">
              <div className="stat__label">Lỗi</div>
              <div className="stat__value" data-testid="broadcast-failed">{fmtNum(b.failed)}</div>
            </div>
            <div className="stat">
              <div className="stat__label">Đang chờ</div>
              <div className="stat__value" data-testid="broadcast-pending">{fmtNum(b.pending)}</div>
            </div>
            <div className="stat">
              <div className="stat__label">Bỏ qua</div>
              <div className="stat__value">{fmtNum(b.skipped)}</div>
            </div>
            <div className="stat stat--info">
              <div className="stat__label">Tốc độ · còn lại</div>
              <div className="stat__value stat__value--sm" data-testid="broadcast-eta">
                {b.ratePerSec ? `${b.ratePerSec}/giây` : '—'} · {fmtEta(b.etaSec)}
              </div>
            </div>
          </div>
        </Card>
      )}
      {b.failed > 0 && (
        <Card title={`Tin gửi lỗi (${fmtNum(b.failed)})`} testId="broadcast-failed-list">
          {failed.data ? (
            <table className="table">
              <thead>
                <tr>
                  <th>Mã</th>
                  <th>Họ tên</th>
                  <th>Lần thử</th>
                  <th>Lý do</th>
                </tr>
              </thead>
              <tbody>
                {failed.data.items.map((d) => (
                  <tr key={d.id}>
                    <td className="mono">{d.memberCode}</td>
                    <td>{d.fullName}</td>
                    <td className="num">{d.attempts}</td>
                    <td>
                      {DELIVERY_STATUS[d.status]}: {d.reason ?? '—'} {d.errorCode && <span className="muted">(mã {d.errorCode})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Loading />
          )}
        </Card>
      )}
    </div>
  );
}
