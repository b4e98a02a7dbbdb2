// Phúc lợi: programs with their registration counts, a program's registrations (filter by status),
// approve/reject one or many (the member gets a Zalo notice), Excel export.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { errorText, get, post, qs } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { Paged } from '../lib/types';
import { fmtDateTime, fmtNum, localInputToIso, REG_STATUS } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, PageHead, Pager } from '../components/ui';

interface Program {
  id: number;
  code: string;
  title: string;
  description: string;
  eligibility: string;
  opensAt: string;
  closesAt: string;
  capacity: number | null;
  active: boolean;
  registered?: number;
}

interface Registration {
  id: number;
  reference: string;
  status: 'submitted' | 'approved' | 'rejected' | 'cancelled';
  memberCode: string;
  fullName: string;
  branchName: string;
  note: string | null;
  createdAt: string;
  decidedAt: string | null;
  answers: Record<string, unknown>;
}

const tone = (s: string) => (s === 'approved' ? 'ok' : s === 'rejected' ? 'err' : s === 'submitted' ? 'warn' : 'muted') as 'ok' | 'err' | 'warn' | 'muted';

export function WelfarePage() {
  const { id } = useParams();
  const { can } = useAuth();
  const list = useData(() => get<{ items: Program[] }>('/welfare-programs'), [], 10000);
  const [creating, setCreating] = useState(false);
  return (
    <div data-testid="page-welfare">
      <PageHead
        title="Phúc lợi"
        subtitle="Chương trình phúc lợi, đăng ký của đoàn viên và xét duyệt"
        actions={
          can('officer') && (
            <button className="btn btn--primary" onClick={() => setCreating(true)} data-testid="welfare-new">
              + Tạo chương trình
            </button>
          )
        }
      />
      <div className="grid grid--list">
        <Card title="Chương trình" testId="welfare-programs">
          <ErrorBox>{list.error}</ErrorBox>
          {list.data && list.data.items.length === 0 && <Empty>Chưa có chương trình.</Empty>}
          <ul className="side-list">
            {list.data?.items.map((p) => (
              <li key={p.id}>
                <Link to={`/welfare/${p.id}`} onClick={() => setCreating(false)} className={`side-list__item ${String(p.id) === id ? 'side-list__item--active' : ''}`} data-testid={`welfare-program-${p.code}`}>
                  <div className="side-list__title">{p.title}</div>
                  <div className="side-list__meta">
                    <span>
                      <span className="mono">{p.code}</span> · {fmtNum(p.registered ?? 0)} đăng ký{p.capacity ? ` / ${fmtNum(p.capacity)}` : ''} · hạn {fmtDateTime(p.closesAt)}
                    </span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        {creating ? (
          <CreateProgram onDone={() => { setCreating(false); list.reload(); }} />
        ) : id ? (
          <Registrations programId={Number(id)} program={list.data?.items.find((p) => p.id === Number(id))} onChanged={list.reload} />
        ) : (
          <Card>
            <Empty>Chọn một chương trình để xem đăng ký.</Empty>
          </Card>
        )}
      </div>
    </div>
  );
}

function CreateProgram({ onDone }: { onDone(): void }) {
  const [f, setF] = useState({ code: '', title: '', description: '', eligibility: '', opensAt: '', closesAt: '', capacity: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  async function save() {
    setError(null);
    try {
      await post('/welfare-programs', {
        code: f.code,
        title: f.title,
        description: f.description,
        eligibility: f.eligibility,
        opensAt: f.opensAt ? localInputToIso(f.opensAt) : undefined,
        closesAt: f.closesAt ? localInputToIso(f.closesAt) : undefined,
        ...(f.capacity ? { capacity: Number(f.capacity) } : {}),
      });
      onDone();
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <Card title="Chương trình phúc lợi mới" testId="welfare-create" actions={<button className="btn btn--ghost btn--sm" onClick={onDone}>Đóng</button>}>
      <div className="form">
        <div className="grid grid--2">
          <label className="field">
            <span>Mã (VD: TET2027)</span>
            <input value={f.code} onChange={set('code')} data-testid="welfare-code" />
          </label>
          <label className="field">
            <span>Số suất (để trống = không giới hạn)</span>
            <input value={f.capacity} onChange={set('capacity')} inputMode="numeric" />
          </label>
        </div>
        <label className="field">
          <span>Tên chương trình</span>
          <input value={f.title} onChange={set('title')} data-testid="welfare-title" />
        </label>
        <label className="field">
          <span>Mô tả</span>
          <textarea rows={3} value={f.description} onChange={set('description')} />
        </label>
        <label className="field">
          <span>Điều kiện</span>
          <input value={f.eligibility} onChange={set('eligibility')} />
        </label>
        <div className="grid grid--2">
          <label className="field">
            <span>Mở đăng ký</span>
            <input type="datetime-local" value={f.opensAt} onChange={set('opensAt')} data-testid="welfare-opens" />
          </label>
          <label className="field">
            <span>Hạn đăng ký</span>
            <input type="datetime-local" value={f.closesAt} onChange={set('closesAt')} data-testid="welfare-closes" />
          </label>
        </div>
        <ErrorBox>{error}</ErrorBox>
        <div className="row">
          <button className="btn btn--primary" onClick={() => void save()} data-testid="welfare-save">
            Tạo chương trình
          </button>
        </div>
      </div>
    </Card>
  );
}

function Registrations({ programId, program, onChanged }: { programId: number; program?: Program; onChanged(): void }) {
  const { can } = useAuth();
  const [status, setStatus] = useState('submitted');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const regs = useData(() => get<Paged<Registration>>(`/welfare-programs/${programId}/registrations${qs({ status, page, pageSize: 50 })}`), [programId, status, page]);
  const items = regs.data?.items ?? [];
  const selectable = items.filter((r) => r.status === 'submitted').map((r) => r.id);

  async function decide(ids: number[], action: 'approve' | 'reject') {
    setError(null);
    setMsg(null);
    try {
      const out = await post<{ updated: number[]; skipped: number[] }>(`/welfare-programs/${programId}/registrations/bulk`, { ids, action });
      setMsg(`${action === 'approve' ? 'Đã duyệt' : 'Đã từ chối'} ${out.updated.length} đăng ký${out.skipped.length ? `, bỏ qua ${out.skipped.length}` : ''}. Đoàn viên được báo qua Zalo.`);
      setSelected([]);
      regs.reload();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <Card
      title={program ? program.title : 'Đăng ký'}
      testId="welfare-registrations"
      actions={
        <>
          <select value={status} onChange={(e) => { setStatus(e.target.value); setPage(1); setSelected([]); }} data-testid="welfare-status">
            <option value="">Tất cả</option>
            {Object.entries(REG_STATUS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
          {can('officer') && (
            <a className="btn btn--ghost btn--sm" href={`/api/admin/welfare-programs/${programId}/registrations${qs({ status, format: 'xlsx' })}`} data-testid="welfare-export">
              Xuất Excel
            </a>
          )}
        </>
      }
    >
      {can('officer') && selectable.length > 0 && (
        <div className="row bulkbar">
          <span>Đã chọn {selected.length}</span>
          <button className="btn btn--primary btn--sm" disabled={!selected.length} onClick={() => void decide(selected, 'approve')} data-testid="welfare-bulk-approve">
            Duyệt đã chọn
          </button>
          <button className="btn btn--danger-ghost btn--sm" disabled={!selected.length} onClick={() => void decide(selected, 'reject')} data-testid="welfare-bulk-reject">
            Từ chối đã chọn
          </button>
        </div>
      )}
      {msg && <Notice tone="ok" testId="welfare-msg">{msg}</Notice>}
      <ErrorBox>{error ?? regs.error}</ErrorBox>
      {regs.loading && !regs.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>Không có đăng ký.</Empty>
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th>
                  {can('officer') && (
                    <input
                      type="checkbox"
                      aria-label="Chọn tất cả"
                      checked={selectable.length > 0 && selected.length === selectable.length}
                      onChange={(e) => setSelected(e.target.checked ? selectable : [])}
                      data-testid="welfare-select-all"
                    />
                  )}
                </th>
                <th>Mã đăng ký</th>
                <th>Đoàn viên</th>
                <th>Đơn vị</th>
                <th>Đăng ký lúc</th>
                <th>Trạng thái</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-testid={`welfare-reg-${r.id}`}>
                  <td>
                    {can('officer') && r.status === 'submitted' && (
                      <input type="checkbox" checked={selected.includes(r.id)} onChange={(e) => setSelected((s) => (e.target.checked ? [...s, r.id] : s.filter((x) => x !== r.id)))} />
                    )}
                  </td>
                  <td className="mono small">{r.reference}</td>
                  <td>
                    {r.fullName} <span className="muted mono small">{r.memberCode}</span>
                  </td>
                  <td className="small">{r.branchName}</td>
                  <td>{fmtDateTime(r.createdAt)}</td>
                  <td>
                    <Badge tone={tone(r.status)}>{REG_STATUS[r.status] ?? r.status}</Badge>
                  </td>
                  <td className="nowrap">
                    {can('officer') && r.status === 'submitted' && (
                      <>
                        <button className="btn btn--ghost btn--sm" onClick={() => void decide([r.id], 'approve')}>
                          Duyệt
                        </button>
                        <button className="btn btn--ghost btn--sm" onClick={() => void decide([r.id], 'reject')}>
                          Từ chối
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pageSize={50} total={regs.data?.total ?? 0} onPage={setPage} />
        </>
      )}
    </Card>
  );
}
