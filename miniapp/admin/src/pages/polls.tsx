// Bình chọn: create a poll (question + 2–5 options, one branch and its sub-branches, closing time), send
// it to the members' Zalo as option buttons, close it early, and watch the results refresh by polling.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText, get, post } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { Branch, Poll } from '../lib/types';
import { fmtDateTime, fmtNum, localInputToIso } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, PageHead, SideList } from '../components/ui';
import { BranchOptions, useBranches } from '../components/branch-select';

/** Zalo shows at most 5 buttons under one message: more options would split the poll in two messages. */
const MAX_OPTIONS = 5;

const pct = (votes: number, total: number) => (total > 0 ? Math.round((votes / total) * 100) : 0);

function PollStatus({ p, testId }: { p: Poll; testId?: string }) {
  if (p.closed) return <Badge testId={testId}>Đã kết thúc</Badge>;
  return <Badge tone={p.lastSend ? 'info' : 'warn'} testId={testId}>{p.lastSend ? 'Đang bình chọn' : 'Chưa gửi'}</Badge>;
}

export function PollsPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useData(() => get<{ items: Poll[] }>('/polls'), [], 10000);
  const branches = useBranches();
  return (
    <div data-testid="page-polls">
      <PageHead
        title="Bình chọn"
        subtitle="Hỏi ý kiến đoàn viên qua Zalo OA: mỗi người bấm một lựa chọn, có thể đổi ý đến khi kết thúc"
        actions={
          can('officer') && (
            <button className="btn btn--primary" onClick={() => navigate('/polls')} data-testid="poll-new">
              + Tạo bình chọn
            </button>
          )
        }
      />
      <div className="grid grid--list">
        <SideList
          title="Các cuộc bình chọn"
          testId="poll-list"
          list={list}
          emptyText="Chưa có cuộc bình chọn nào."
          href={(p) => `/polls/${p.id}`}
          activeId={id}
          itemTestId={(p) => `poll-item-${p.id}`}
          renderTitle={(p) => p.question}
          renderMeta={(p) => (
            <>
              <PollStatus p={p} /> {fmtNum(p.total)} phiếu · hết hạn {fmtDateTime(p.closesAt)}
            </>
          )}
        />
        {id ? (
          <PollDetail id={Number(id)} branches={branches.data?.items ?? []} onChanged={list.reload} />
        ) : can('officer') ? (
          <CreatePoll
            branches={branches.data?.items ?? []}
            onCreated={(pid) => {
              list.reload();
              navigate(`/polls/${pid}`);
            }}
          />
        ) : (
          <Card>
            <Empty>Chọn một cuộc bình chọn để xem kết quả.</Empty>
          </Card>
        )}
      </div>
    </div>
  );
}

function defaultClosing(): string {
  const d = new Date(Date.now() + 3 * 86400_000);
  d.setHours(17, 0, 0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function CreatePoll({ branches, onCreated }: { branches: Branch[]; onCreated(id: number): void }) {
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [branchCode, setBranchCode] = useState('');
  const [closesAt, setClosesAt] = useState(defaultClosing);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filled = options.map((o) => o.trim()).filter(Boolean);
  const duplicate = new Set(filled).size !== filled.length;
  const setOption = (i: number, v: string) => setOptions((o) => o.map((x, j) => (j === i ? v : x)));

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const p = await post<Poll>('/polls', { question, options: filled, closesAt: localInputToIso(closesAt), ...(branchCode ? { branchCode } : {}) });
      onCreated(p.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Tạo bình chọn" testId="poll-create">
      <div className="form">
        <label className="field">
          <span>Câu hỏi</span>
          <input value={question} maxLength={500} onChange={(e) => setQuestion(e.target.value)} placeholder="VD: Chọn địa điểm tham quan hè 2026" data-testid="poll-question" />
        </label>
        <fieldset className="field">
          <span>Các lựa chọn (2–{MAX_OPTIONS}, mỗi lựa chọn tối đa 80 ký tự)</span>
          <div className="stack stack--tight" data-testid="poll-options">
            {options.map((o, i) => (
              <div className="poll-option" key={i}>
                <span className="poll-option-no">{i + 1}.</span>
                <input className="grow" value={o} maxLength={80} onChange={(e) => setOption(i, e.target.value)} data-testid={`poll-option-${i}`} />
                {options.length > 2 && (
                  <button type="button" className="btn btn--ghost btn--sm" onClick={() => setOptions((x) => x.filter((_, j) => j !== i))} aria-label={`Xóa lựa chọn ${i + 1}`}>
                    ✕
                  </button>
                )}
              </div>
            ))}
          </div>
          {options.length < MAX_OPTIONS && (
            <div>
              <button type="button" className="btn btn--ghost btn--sm" onClick={() => setOptions((o) => [...o, ''])} data-testid="poll-option-add">
                + Thêm lựa chọn
              </button>
            </div>
          )}
        </fieldset>
        <div className="grid grid--2">
          <label className="field">
            <span>Gửi tới đơn vị (kèm các đơn vị trực thuộc)</span>
            <select value={branchCode} onChange={(e) => setBranchCode(e.target.value)} data-testid="poll-branch">
              <option value="">Toàn bộ phạm vi của tôi</option>
              <BranchOptions items={branches} by="code" />
            </select>
          </label>
          <label className="field">
            <span>Kết thúc lúc</span>
            <input type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} data-testid="poll-closes" />
          </label>
        </div>
        {duplicate && <Notice tone="warn">Các lựa chọn không được trùng nhau.</Notice>}
        <ErrorBox testId="poll-error">{error}</ErrorBox>
        <div className="row">
          <button
            className="btn btn--primary"
            onClick={() => void create()}
            disabled={busy || question.trim().length < 3 || filled.length < 2 || duplicate || !closesAt}
            data-testid="poll-create-submit"
          >
            Tạo bình chọn
          </button>
        </div>
        <p className="muted small">Bình chọn được tạo trước, chưa gửi; bạn xem lại rồi bấm “Gửi tới đoàn viên”.</p>
      </div>
    </Card>
  );
}

function PollDetail({ id, branches, onChanged }: { id: number; branches: Branch[]; onChanged(): void }) {
  const { can } = useAuth();
  const p = useData(() => get<Poll>(`/polls/${id}`), [id], 3000);
  const poll = p.data;
  const [confirm, setConfirm] = useState<'send' | 'close' | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setConfirm(null);
    setMsg(null);
    setError(null);
  }, [id]);
  const total = poll?.total;
  useEffect(() => {
    if (total !== undefined) onChanged();
  }, [total, onChanged]);

  async function act(action: 'send' | 'close') {
    setBusy(true);
    setError(null);
    setMsg(null);
    try {
      if (action === 'send') {
        const out = await post<{ broadcastId: number; total: number; pending: number }>(`/polls/${id}/send`);
        setMsg(`Đang gửi tới ${fmtNum(out.pending)} đoàn viên đã liên kết Zalo (theo tốc độ gửi của OA). Tiến độ cập nhật bên dưới.`);
      } else {
        await post(`/polls/${id}/close`);
        setMsg('Đã kết thúc bình chọn. Đoàn viên không thể bình chọn thêm.');
      }
      setConfirm(null);
      p.reload();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (p.loading && !poll) return <Loading />;
  if (!poll) return <ErrorBox>{p.error}</ErrorBox>;
  const branch = branches.find((b) => b.id === poll.branchId);
  const top = Math.max(0, ...poll.options.map((o) => o.votes));
  return (
    <div className="stack" data-testid="poll-detail" data-closed={poll.closed} data-total={poll.total}>
      <Card title={poll.question} actions={<PollStatus p={poll} testId="poll-status" />}>
        <dl className="dl">
          <dt>Đơn vị</dt>
          <dd>{branch ? `${branch.name} (${branch.code}) và các đơn vị trực thuộc` : '—'}</dd>
          <dt>{poll.closed ? 'Đã kết thúc' : 'Kết thúc lúc'}</dt>
          <dd>{fmtDateTime(poll.closesAt)}</dd>
          <dt>Gửi lần cuối</dt>
          <dd data-testid="poll-last-send">
            {poll.lastSend ? (
              <>
                {fmtDateTime(poll.lastSend.at)}: đã gửi {fmtNum(poll.lastSend.sent)}
                {poll.lastSend.pending > 0 && `, đang chờ ${fmtNum(poll.lastSend.pending)}`}
                {poll.lastSend.failed > 0 && `, lỗi ${fmtNum(poll.lastSend.failed)}`}{' '}
                <Link to={`/broadcasts/${poll.lastSend.broadcastId}`} data-testid="poll-send-progress">
                  (xem tiến độ gửi)
                </Link>
              </>
            ) : (
              'Chưa gửi'
            )}
          </dd>
        </dl>
        {can('officer') && !poll.closed && (
          <div className="row" data-testid="poll-actions">
            {confirm === 'send' ? (
              <>
                <span>{poll.lastSend ? 'Bình chọn này đã được gửi. Gửi lại cho mọi đoàn viên đã liên kết Zalo?' : 'Gửi tới mọi đoàn viên đã liên kết Zalo của đơn vị?'}</span>
                <button className="btn btn--primary" disabled={busy} onClick={() => void act('send')} data-testid="poll-send-confirm">
                  {busy ? 'Đang gửi…' : 'Xác nhận gửi'}
                </button>
                <button className="btn btn--ghost" disabled={busy} onClick={() => setConfirm(null)}>
                  Thôi
                </button>
              </>
            ) : confirm === 'close' ? (
              <>
                <span>Kết thúc ngay? Đoàn viên sẽ không bình chọn được nữa.</span>
                <button className="btn btn--danger" disabled={busy} onClick={() => void act('close')} data-testid="poll-close-confirm">
                  Kết thúc
                </button>
                <button className="btn btn--ghost" disabled={busy} onClick={() => setConfirm(null)}>
                  Thôi
                </button>
              </>
            ) : (
              <>
                <button className="btn btn--primary" onClick={() => setConfirm('send')} data-testid="poll-send">
                  {poll.lastSend ? 'Gửi lại' : 'Gửi tới đoàn viên'}
                </button>
                <button className="btn btn--danger-ghost" onClick={() => setConfirm('close')} data-testid="poll-close">
                  Kết thúc bình chọn
                </button>
              </>
            )}
          </div>
        )}
        {msg && <Notice tone="ok" testId="poll-msg">{msg}</Notice>}
        <ErrorBox testId="poll-action-error">{error}</ErrorBox>
      </Card>
      <Card title={`Kết quả · ${fmtNum(poll.total)} phiếu`} actions={!poll.closed && <span className="muted small">Tự cập nhật vài giây một lần</span>} testId="poll-results">
        <ul className="poll-bars">
          {poll.options.map((o, i) => (
            <li key={i} className={`poll-bar ${o.votes > 0 && o.votes === top ? 'poll-bar--top' : ''}`} data-testid={`poll-result-${i}`} data-votes={o.votes}>
              <div className="poll-bar__head">
                <span className="poll-bar__label">{o.text}</span>
                <span className="poll-bar__count">
                  {fmtNum(o.votes)} phiếu · {pct(o.votes, poll.total)}%
                </span>
              </div>
              <div className="poll-bar__track" role="img" aria-label={`${o.text}: ${pct(o.votes, poll.total)}%`}>
                <div className="poll-bar__fill" style={{ width: `${pct(o.votes, poll.total)}%` }} />
              </div>
            </li>
          ))}
        </ul>
        {poll.total === 0 && <p className="muted small">Chưa có phiếu nào.</p>}
      </Card>
    </div>
  );
}
