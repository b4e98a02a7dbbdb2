// Đoàn viên: search without diacritics, branch/status filters, detail, CSV/Excel import with progress and
// a row-error report, export (admins), personal-data export and erasure on request (admins).
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, errorText, get, post, qs } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { ImportJob, MemberDetail, MemberRow, Paged } from '../lib/types';
import { fmtDate, fmtDateTime, MEMBER_STATUS, REG_STATUS } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Modal, Notice, PageHead, Pager, Progress } from '../components/ui';
import { BranchSelect } from '../components/branch-select';

const statusTone = (s: string) => (s === 'active' ? 'ok' : s === 'suspended' ? 'warn' : 'muted') as 'ok' | 'warn' | 'muted';

function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function MembersPage() {
  const { can } = useAuth();
  const { id } = useParams();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [branchId, setBranchId] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [showImport, setShowImport] = useState(false);
  const dq = useDebounced(q);
  useEffect(() => setPage(1), [dq, branchId, status]);
  const filters = { q: dq, branchId, status };
  const list = useData(() => get<Paged<MemberRow>>(`/members${qs({ ...filters, page, pageSize: 25 })}`), [dq, branchId, status, page]);

  return (
    <div data-testid="page-members">
      <PageHead
        title="Đoàn viên"
        subtitle="Tìm theo tên (gõ không dấu cũng được), mã đoàn viên hoặc số điện thoại"
        actions={
          <>
            {can('officer') && (
              <button className="btn btn--primary" onClick={() => setShowImport(true)} data-testid="members-import-open">
                Nhập từ CSV/Excel
              </button>
            )}
            {can('admin') && (
              <>
                <a className="btn btn--ghost" href={`/api/admin/members/export${qs({ ...filters, format: 'xlsx' })}`} data-testid="members-export-xlsx">
                  Xuất Excel
                </a>
                <a className="btn btn--ghost" href={`/api/admin/members/export${qs({ ...filters, format: 'csv' })}`} data-testid="members-export-csv">
                  Xuất CSV
                </a>
              </>
            )}
          </>
        }
      />
      <Card>
        <div className="filters">
          <input className="filters__search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="VD: nguyen van an, DV00012, 0912…" data-testid="members-search" />
          <BranchSelect value={branchId} onChange={setBranchId} testId="members-branch" />
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="members-status">
            <option value="">Mọi trạng thái</option>
            {Object.entries(MEMBER_STATUS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <ErrorBox>{list.error}</ErrorBox>
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data && list.data.items.length === 0 ? (
          <Empty>Không tìm thấy đoàn viên phù hợp.</Empty>
        ) : (
          list.data && (
            <>
              <table className="table table--hover" data-testid="members-table" data-total={list.data.total}>
                <thead>
                  <tr>
                    <th>Mã</th>
                    <th>Họ và tên</th>
                    <th>Đơn vị</th>
                    <th>Điện thoại</th>
                    <th>CCCD</th>
                    <th>Zalo</th>
                    <th>Trạng thái</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((m) => (
                    <tr key={m.id} onClick={() => navigate(`/members/${m.id}`)} data-testid={`member-row-${m.memberCode}`} className="clickable">
                      <td className="mono">{m.memberCode}</td>
                      <td>{m.fullName}</td>
                      <td title={m.branch.name}>{m.branch.code}</td>
                      <td className="mono">{m.phone ?? '—'}</td>
                      <td className="mono">{m.nationalId ?? '—'}</td>
                      <td>{m.linked ? <Badge tone="info">Đã liên kết</Badge> : <span className="muted">—</span>}</td>
                      <td>
                        <Badge tone={statusTone(m.status)}>{MEMBER_STATUS[m.status]}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager page={page} pageSize={25} total={list.data.total} onPage={setPage} />
            </>
          )
        )}
      </Card>
      {id && <MemberDetailModal id={Number(id)} onClose={() => navigate('/members')} onChanged={list.reload} />}
      {showImport && (
        <ImportModal
          onClose={() => {
            setShowImport(false);
            list.reload();
          }}
        />
      )}
    </div>
  );
}

function MemberDetailModal({ id, onClose, onChanged }: { id: number; onClose(): void; onChanged(): void }) {
  const { can } = useAuth();
  const d = useData(() => get<MemberDetail>(`/members/${id}`), [id]);
  const [msg, setMsg] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);

  async function exportData() {
    setErr(null);
    try {
      const data = await get<unknown>(`/members/${id}/personal-data`);
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `du-lieu-ca-nhan-${d.data?.memberCode ?? id}.json`;
      a.click();
      setMsg('Đã xuất dữ liệu cá nhân (đã ghi nhật ký).');
    } catch (e) {
      setErr(errorText(e));
    }
  }

  async function anonymize() {
    if (!window.confirm('Xóa dữ liệu cá nhân của đoàn viên này theo yêu cầu? Thao tác không hoàn tác được.')) return;
    setErr(null);
    try {
      await post(`/members/${id}/anonymize`);
      setMsg('Đã xóa dữ liệu cá nhân (đã ghi nhật ký).');
      d.reload();
      onChanged();
    } catch (e) {
      setErr(errorText(e));
    }
  }

  return (
    <Modal title="Thông tin đoàn viên" onClose={onClose} testId="member-detail" wide>
      {d.loading && !d.data ? (
        <Loading />
      ) : d.error ? (
        <ErrorBox>{d.error}</ErrorBox>
      ) : (
        d.data && (
          <>
            <dl className="dl">
              <dt>Mã đoàn viên</dt>
              <dd className="mono" data-testid="member-detail-code">
                {d.data.memberCode}
              </dd>
              <dt>Họ và tên</dt>
              <dd data-testid="member-detail-name">{d.data.fullName}</dd>
              <dt>Ngày sinh</dt>
              <dd>{fmtDate(d.data.dateOfBirth)}</dd>
              <dt>Giới tính</dt>
              <dd>{d.data.gender ?? '—'}</dd>
              <dt>Điện thoại</dt>
              <dd className="mono">{d.data.phone ?? '—'}</dd>
              <dt>CCCD</dt>
              <dd className="mono">{d.data.nationalId ?? '—'}</dd>
              <dt>Đơn vị</dt>
              <dd>
                {d.data.branch.name} ({d.data.branch.code})
              </dd>
              <dt>Ngày vào công đoàn</dt>
              <dd>{fmtDate(d.data.joinedAt)}</dd>
              <dt>Trạng thái</dt>
              <dd>
                <Badge tone={statusTone(d.data.status)}>{MEMBER_STATUS[d.data.status]}</Badge>
              </dd>
              <dt>Zalo</dt>
              <dd>{d.data.linked ? 'Đã liên kết OA' : 'Chưa liên kết'}{d.data.miniAppLinked ? ' · đã dùng mini-app' : ''}</dd>
            </dl>
            <h3 className="h3">Điểm danh gần đây</h3>
            {d.data.checkins.length === 0 ? (
              <p className="muted">Chưa có.</p>
            ) : (
              <ul className="list">
                {d.data.checkins.map((c, i) => (
                  <li key={i}>
                    {c.event} — {fmtDateTime(c.at)}
                  </li>
                ))}
              </ul>
            )}
            <h3 className="h3">Đăng ký phúc lợi</h3>
            {d.data.welfareRegistrations.length === 0 ? (
              <p className="muted">Chưa có.</p>
            ) : (
              <ul className="list">
                {d.data.welfareRegistrations.map((r, i) => (
                  <li key={i}>
                    {r.program} — {REG_STATUS[r.status] ?? r.status}
                  </li>
                ))}
              </ul>
            )}
            {msg && <Notice tone="ok">{msg}</Notice>}
            <ErrorBox>{err}</ErrorBox>
            {can('admin') && (
              <div className="row row--end">
                <button className="btn btn--ghost" onClick={() => void exportData()} data-testid="member-personal-data">
                  Xuất dữ liệu cá nhân (JSON)
                </button>
                <button className="btn btn--danger" onClick={() => void anonymize()} data-testid="member-anonymize">
                  Xóa dữ liệu theo yêu cầu
                </button>
              </div>
            )}
          </>
        )
      )}
    </Modal>
  );
}

function ImportModal({ onClose }: { onClose(): void }) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const t = setTimeout(() => {
      get<ImportJob>(`/members/imports/${job.id}`)
        .then(setJob)
        .catch((e) => setError(errorText(e)));
    }, 400);
    return () => clearTimeout(t);
  }, [job]);

  async function upload() {
    const file = fileRef.current?.files?.[0];
    if (!file) return setError('Hãy chọn tệp CSV hoặc Excel (.xlsx).');
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const started = await api<{ id: string; total: number }>(`/members/imports${qs({ filename: file.name })}`, {
        method: 'POST',
        raw: file,
        headers: { 'content-type': 'application/octet-stream' },
      });
      setJob({ id: started.id, status: 'running', done: 0, total: started.total, report: null, error: null });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const r = job?.report;
  const rejectedCount = r ? (r.rejectedCount ?? r.rejected.length) : 0;
  return (
    <Modal title="Nhập đoàn viên từ CSV/Excel" onClose={onClose} testId="import-modal" wide>
      <p className="muted">
        Cột (tiếng Việt hoặc tiếng Anh): Mã đoàn viên, Họ và tên, Ngày sinh (YYYY-MM-DD hoặc DD/MM/YYYY), Giới tính, Số điện thoại, CCCD, Mã đơn vị, Ngày vào công đoàn. Trùng mã đoàn viên thì cập nhật;
        dòng lỗi được bỏ qua và liệt kê bên dưới.
      </p>
      <div className="row">
        <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ref={fileRef} data-testid="import-file" />
        <button className="btn btn--primary" onClick={() => void upload()} disabled={busy || job?.status === 'running'} data-testid="import-submit">
          Tải lên và nhập
        </button>
      </div>
      <ErrorBox testId="import-error">{error ?? job?.error?.message}</ErrorBox>
      {job && (
        <div className="import-progress">
          <Progress value={job.done} max={job.total || 1} testId="import-progress" />
          <div className="muted" data-testid="import-status" data-status={job.status}>
            {job.status === 'running' ? `Đang nhập… ${job.done}/${job.total}` : job.status === 'done' ? 'Đã nhập xong.' : 'Nhập thất bại.'}
          </div>
        </div>
      )}
      {r && (
        <div data-testid="import-report">
          <div className="stats stats--compact">
            <div className="stat stat--ok">
              <div className="stat__label">Thêm mới</div>
              <div className="stat__value" data-testid="import-created">
                {r.created}
              </div>
            </div>
            <div className="stat stat--info">
              <div className="stat__label">Cập nhật</div>
              <div className="stat__value" data-testid="import-updated">
                {r.updated}
              </div>
            </div>
            <div className={`stat ${rejectedCount ? 'stat--err' : ''}`}>
              <div className="stat__label">Dòng lỗi</div>
              <div className="stat__value" data-testid="import-rejected-count">
                {rejectedCount}
              </div>
            </div>
          </div>
          {rejectedCount > r.rejected.length && (
            <Notice tone="warn">
              Có {rejectedCount.toLocaleString('vi-VN')} dòng lỗi; bảng dưới liệt kê {r.rejected.length.toLocaleString('vi-VN')} dòng đầu. Bạn sửa các lỗi này rồi tải tệp lên lại để xem tiếp.
            </Notice>
          )}
          {r.branchesCreated.length > 0 && <Notice tone="warn">Đã tạo đơn vị mới: {r.branchesCreated.join(', ')}</Notice>}
          {r.rejected.length > 0 && (
            <table className="table" data-testid="import-rejected">
              <thead>
                <tr>
                  <th>Dòng</th>
                  <th>Mã đoàn viên</th>
                  <th>Lý do</th>
                </tr>
              </thead>
              <tbody>
                {r.rejected.map((x) => (
                  <tr key={x.row} data-testid="import-rejected-row" data-row={x.row}>
                    <td className="num">{x.row}</td>
                    <td className="mono">{x.memberCode ?? '—'}</td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.duplicates.length > 0 && (
            <p className="muted">
              {r.duplicates.length} dòng trùng mã trong tệp (dòng sau được dùng): {r.duplicates.map((x) => `dòng ${x.row} → ${x.replacedByRow}`).join(', ')}
            </p>
          )}
        </div>
      )}
    </Modal>
  );
}
