// Signed-in layout: the current tab's page and the bottom navigation.
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { BottomNavigation } from 'zmp-ui';
import { useMe } from '../hooks/use-session';
import { tabRoutes } from '../routes';
import { ErrorBoundary } from './error-boundary';

export function MainLayout() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const tabs = tabRoutes.filter((t) => !t.officerOnly || me.officer);
  const active = tabs.find((t) => t.path === location.pathname)?.path ?? '/';

  return (
    <>
      <main className="shell__main">
        <ErrorBoundary resetKey={location.pathname}>
          <Routes>
            {tabs.map(({ key, path, Page }) => (
              <Route key={key} path={path} element={<Page />} />
            ))}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </ErrorBoundary>
      </main>
      <nav className="shell__nav" aria-label="Điều hướng chính">
        <BottomNavigation activeKey={active} onChange={(key) => navigate(key)}>
          {tabs.map(({ key, path, label, icon: Icon }) => (
            <BottomNavigation.Item
              key={path}
              itemKey={path}
              id={`nav-${key}`}
              label={<span data-testid={`nav-${key}`}>{label}</span>}
              icon={<Icon size={24} />}
            />
          ))}
        </BottomNavigation>
      </nav>
    </>
  );
}
