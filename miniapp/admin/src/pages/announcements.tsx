// Thông báo: the announcements members read in chat ("thông báo") and the mini-app — write, edit,
// publish or take down. Viewers read only.
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { errorText, get, post, put } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { Announcement, Branch, Paged } from '../lib/types';
import { fmtDateTime } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, PageHead, SideList } from '../components/ui';
import { BranchOptions, useBranches } from '../components/branch-select';

export function AnnouncementsPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useData(() => get<Paged<Announcement>>('/announcements?pageSize=100'), [], 15000);
  const branches = useBranches();
  const current = id ? list.data?.items.find((a) => String(a.id) === id) : undefined;
  // Shown after a save, on the saved announcement only (the editor remounts with the saved values).
  const [flash, setFlash] = useState<{ id: number; text: string } | null>(null);
  return (
    <div data-testid="page-announcements">
      <PageHead
        title="Thông báo"
        subtitle="Tin đoàn viên đọc khi nhắn “thông báo” cho OA và trong mini-app; muốn đẩy tới Zalo của từng người, dùng “Gửi tin Zalo”"
        actions={
          can('officer') && (
            <button className="btn btn--primary" onClick={() => navigate('/announcements')} data-testid="announcement-new">
              + Viết thông báo
            </button>
          )
        }
      />
      <div className="grid grid--list">
        <SideList
          title="Danh sách"
          testId="announcement-list"
          list={list}
          emptyText="Chưa có thông báo nào."
          href={(a) => `/announcements/${a.id}`}
          activeId={id}
          itemTestId={(a) => `announcement-item-${a.id}`}
          itemProps={(a) => ({ 'data-published': a.published })}
          renderTitle={(a) => a.title}
          renderMeta={(a) => (
            <>
              <Badge tone={a.published ? 'ok' : 'muted'}>{a.published ? 'Đã đăng' : 'Nháp'}</Badge>
              {a.published ? `đăng ${fmtDateTime(a.publishedAt)}` : `tạo ${fmtDateTime(a.createdAt)}`}
            </>
          )}
        />
        {id && !current ? (
          list.data ? (
            <Card>
              <Empty>Không tìm thấy thông báo này.</Empty>
            </Card>
          ) : (
            <Loading />
          )
        ) : current && !can('officer') ? (
          <AnnouncementView a={current} branches={branches.data?.items ?? []} />
        ) : can('officer') ? (
          <div className="stack">
            {flash && flash.id === current?.id && (
              <Notice tone="ok" testId="announcement-msg">
                {flash.text}
              </Notice>
            )}
            <AnnouncementEditor
              key={current ? `${current.id}-${current.updatedAt}` : 'new'}
              a={current}
              branches={branches.data?.items ?? []}
              onSaved={(saved) => {
                setFlash({ id: saved.id, text: saved.published ? 'Đã lưu. Đoàn viên đã thấy thông báo này.' : 'Đã lưu ở dạng nháp (đoàn viên chưa thấy).' });
                list.reload();
                navigate(`/announcements/${saved.id}`);
              }}
            />
          </div>
        ) : (
          <Card>
            <Empty>Chọn một thông báo để xem nội dung.</Empty>
          </Card>
        )}
      </div>
    </div>
  );
}

const branchName = (branches: Branch[], id: number) => {
  const b = branches.find((x) => x.id === id);
  return b ? `${b.name} (${b.code})` : '—';
};

function AnnouncementView({ a, branches }: { a: Announcement; branches: Branch[] }) {
  return (
    <Card title={a.title} actions={<Badge tone={a.published ? 'ok' : 'muted'}>{a.published ? 'Đã đăng' : 'Nháp'}</Badge>} testId="announcement-view">
      <dl className="dl">
        <dt>Đơn vị</dt>
        <dd>{branchName(branches, a.branchId)}</dd>
        <dt>Đăng lúc</dt>
        <dd>{fmtDateTime(a.publishedAt)}</dd>
        <dt>Sửa lần cuối</dt>
        <dd>{fmtDateTime(a.updatedAt)}</dd>
      </dl>
      <div className="zalo-preview__bubble zalo-preview__bubble--plain">{a.body}</div>
      <Notice>Bạn chỉ có quyền xem.</Notice>
    </Card>
  );
}

function AnnouncementEditor({ a, branches, onSaved }: { a?: Announcement; branches: Branch[]; onSaved(a: Announcement): void }) {
  const [title, setTitle] = useState(a?.title ?? '');
  const [body, setBody] = useState(a?.body ?? '');
  const [published, setPublished] = useState(a?.published ?? false);
  // '' = the officer's own branch (new) or unchanged (edit).
  const [branchCode, setBranchCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const currentCode = a ? branches.find((b) => b.id === a.branchId)?.code : undefined;

  async function save() {
    setBusy(true);
    setError(null);
    const payload: Record<string, unknown> = { title, body, published };
    if (branchCode) payload.branchCode = branchCode;
    try {
      onSaved(a ? await put<Announcement>(`/announcements/${a.id}`, payload) : await post<Announcement>('/announcements', payload));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={a ? 'Sửa thông báo' : 'Thông báo mới'}
      actions={a && <Badge tone={a.published ? 'ok' : 'muted'} testId="announcement-status">{a.published ? 'Đã đăng' : 'Nháp'}</Badge>}
      testId="announcement-editor"
    >
      <div className="form">
        <label className="field">
          <span>Tiêu đề (tối đa 200 ký tự)</span>
          <input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="announcement-title" />
        </label>
        <label className="field">
          <span>Nội dung</span>
          <textarea rows={9} value={body} onChange={(e) => setBody(e.target.value)} data-testid="announcement-body" />
        </label>
        <label className="field">
          <span>Đơn vị (đoàn viên của đơn vị này và các đơn vị trực thuộc sẽ thấy)</span>
          <select value={branchCode || currentCode || ''} onChange={(e) => setBranchCode(e.target.value)} data-testid="announcement-branch">
            {!a && <option value="">Đơn vị của tôi</option>}
            <BranchOptions items={branches} by="code" />
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={published} onChange={(e) => setPublished(e.target.checked)} data-testid="announcement-published" />
          Đăng (đoàn viên thấy trong chat Zalo và mini-app)
        </label>
        {a?.published && !published && <Notice tone="warn">Bỏ đăng sẽ ẩn thông báo này khỏi đoàn viên.</Notice>}
        <ErrorBox testId="announcement-error">{error}</ErrorBox>
        <div className="row">
          <button className="btn btn--primary" onClick={() => void save()} disabled={busy || !title.trim() || !body.trim()} data-testid="announcement-save">
            {a ? 'Lưu thay đổi' : published ? 'Đăng thông báo' : 'Lưu nháp'}
          </button>
        </div>
        {a && (
          <p className="muted small">
            Tạo {fmtDateTime(a.createdAt)} · sửa lần cuối {fmtDateTime(a.updatedAt)}
            {a.publishedAt ? ` · đăng ${fmtDateTime(a.publishedAt)}` : ''}
          </p>
        )}
      </div>
    </Card>
  );
}
