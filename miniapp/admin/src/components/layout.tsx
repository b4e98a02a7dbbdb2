// Desktop shell: sidebar navigation, top bar with the signed-in officer, and the page outlet.
import { NavLink, Outlet } from 'react-router-dom';
import { useAuth } from '../hooks/use-auth';
import { ROLE_LABEL } from '../lib/format';
import { Icon } from './icons';

const NAV = [
  { to: '/', label: 'Tổng quan', id: 'dashboard' },
  { to: '/members', label: 'Đoàn viên', id: 'members' },
  { to: '/broadcasts', label: 'Thông báo & gửi tin', id: 'broadcasts' },
  { to: '/kb', label: 'Hỏi đáp', id: 'kb' },
  { to: '/handoffs', label: 'Hỗ trợ', id: 'handoffs' },
  { to: '/events', label: 'Sự kiện', id: 'events' },
  { to: '/welfare', label: 'Phúc lợi', id: 'welfare' },
  { to: '/audit', label: 'Nhật ký', id: 'audit' },
];

export function Layout() {
  const { me, signOut } = useAuth();
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
        </nav>
        {me.demoMode && <div className="sidebar__demo">Chế độ thử nghiệm</div>}
      </aside>
      <div className="main">
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
          <Outlet />
        </main>
      </div>
    </div>
  );
}
