// Desktop shell: sidebar navigation, the webhook-silence banner, top bar with the signed-in officer, and
// the page outlet (pages are loaded on demand, see app.tsx).
import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { useAuth } from '../hooks/use-auth';
import { useData } from '../hooks/use-data';
import { get } from '../lib/api';
import type { OpsStatus } from '../lib/types';
import { fmtDateTime, ROLE_LABEL } from '../lib/format';
import { Icon } from './icons';
import { Loading } from './ui';

const NAV = [
  { to: '/', label: 'Tổng quan', id: 'dashboard' },
  { to: '/members', label: 'Đoàn viên', id: 'members' },
  { to: '/announcements', label: 'Thông báo', id: 'announcements' },
  { to: '/broadcasts', label: 'Gửi tin Zalo', id: 'broadcasts' },
  { to: '/polls', label: 'Bình chọn', id: 'polls' },
  { to: '/kb', label: 'Hỏi đáp', id: 'kb' },
  { to: '/handoffs', label: 'Hỗ trợ', id: 'handoffs' },
  { to: '/events', label: 'Sự kiện', id: 'events' },
  { to: '/welfare', label: 'Phúc lợi', id: 'welfare' },
  { to: '/audit', label: 'Nhật ký', id: 'audit' },
];

/** Served by the Express app beside the console, so a plain link (not a router one). */
const QUEUES_URL = '/admin/queues';
const OPS_POLL_MS = 30_000;

function quietFor(since: string | null): string {
  if (!since) return '';
  const min = Math.max(0, Math.round((Date.now() - new Date(since).getTime()) / 60_000));
  if (min < 1) return 'chưa tới 1 phút';
  if (min < 60) return `${min} phút`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} giờ ${min % 60} phút` : `${Math.floor(h / 24)} ngày`;
}

/** Red banner while the server reports that Zalo webhooks stopped arriving (GET /ops/status). */
function WebhookSilenceBanner({ webhook }: { webhook: OpsStatus['webhook'] }) {
  if (!webhook?.silent) return null;
  return (
    <div className="ops-banner" role="alert" data-testid="webhook-silence-banner">
      <span className="ops-banner__icon" aria-hidden>
        !
      </span>
      <div>
        <strong>
          Không nhận được webhook nào từ Zalo kể từ {fmtDateTime(webhook.lastWebhookAt)} ({quietFor(webhook.lastWebhookAt)}).
        </strong>
        Tin nhắn đoàn viên gửi tới OA có thể không về hệ thống. Hãy kiểm tra URL webhook của ứng dụng trong trang Zalo for Developers
        (developers.zalo.me): URL phải đúng địa chỉ máy chủ và webhook phải đang bật — Zalo tự tắt webhook khi gửi tới đó lỗi nhiều lần liên tiếp.
      </div>
    </div>
  );
}

export function Layout() {
  const { me, signOut, can } = useAuth();
  const ops = useData(() => get<OpsStatus>('/ops/status'), [], OPS_POLL_MS);
  if (!me) return null;
  const o = me.officer;
  return (
    <div className="shell">
      <aside className="sidebar" data-testid="sidebar">
        <div className="sidebar__brand">
          <div className="sidebar__logo">CĐ</div>
          <div>
            <div className="sidebar__title">Công đoàn</div>
            <div className="sidebar__sub">Bảng điều khiển cán bộ</div>
          </div>
        </div>
        <nav className="sidebar__nav">
          {NAV.map((n) => (
            <NavLink key={n.to} to={n.to} end={n.to === '/'} className={({ isActive }) => `nav-link ${isActive ? 'nav-link--active' : ''}`} data-testid={`nav-${n.id}`}>
              <span className="nav-link__icon">
                <Icon name={n.id} />
              </span>
              {n.label}
            </NavLink>
          ))}
          {can('admin') && ops.data?.queueDriver === 'bullmq' && (
            <a className="nav-link nav-link--external" href={QUEUES_URL} target="_blank" rel="noopener" data-testid="nav-queues">
              <span className="nav-link__icon">
                <Icon name="queues" />
              </span>
              Hàng đợi (Bull Board)
            </a>
          )}
        </nav>
        {me.demoMode && <div className="sidebar__demo">Chế độ thử nghiệm</div>}
      </aside>
      <div className="main">
        <WebhookSilenceBanner webhook={ops.data?.webhook ?? null} />
        <header className="topbar">
          <div className="topbar__branch" data-testid="current-branch">
            {o.branch?.name ?? '—'} <span className="muted">({o.branch?.code})</span>
          </div>
          <div className="topbar__user">
            <div className="topbar__who">
              <span data-testid="current-officer">{o.name}</span>
              <span className={`role role--${o.role}`} data-testid="current-role" data-role={o.role}>
                {ROLE_LABEL[o.role]}
              </span>
            </div>
            <button className="btn btn--ghost btn--sm" onClick={() => void signOut()} data-testid="logout">
              Đăng xuất
            </button>
          </div>
        </header>
        <main className="content">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
