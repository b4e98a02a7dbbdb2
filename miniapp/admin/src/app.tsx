// Console root: auth gate, router (basename /admin) and the pages table. Pages are split into their own
// chunks (React.lazy), so the sign-in page and the shell paint without the dashboard's chart library.
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './hooks/use-auth';
import { Layout } from './components/layout';
import { LoginPage } from './pages/login';
import { Loading } from './components/ui';

const DashboardPage = lazy(() => import('./pages/dashboard').then((m) => ({ default: m.DashboardPage })));
const MembersPage = lazy(() => import('./pages/members').then((m) => ({ default: m.MembersPage })));
const AnnouncementsPage = lazy(() => import('./pages/announcements').then((m) => ({ default: m.AnnouncementsPage })));
const BroadcastsPage = lazy(() => import('./pages/broadcasts').then((m) => ({ default: m.BroadcastsPage })));
const PollsPage = lazy(() => import('./pages/polls').then((m) => ({ default: m.PollsPage })));
const KbPage = lazy(() => import('./pages/kb').then((m) => ({ default: m.KbPage })));
const HandoffsPage = lazy(() => import('./pages/handoffs').then((m) => ({ default: m.HandoffsPage })));
const EventsPage = lazy(() => import('./pages/events').then((m) => ({ default: m.EventsPage })));
const WelfarePage = lazy(() => import('./pages/welfare').then((m) => ({ default: m.WelfarePage })));
const AuditPage = lazy(() => import('./pages/audit').then((m) => ({ default: m.AuditPage })));

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error) {
      return (
        <div className="alert alert--err" style={{ margin: 24 }} data-testid="crash">
          Đã có lỗi khi hiển thị trang: {this.state.error.message}.{' '}
          <button className="btn btn--ghost btn--sm" onClick={() => location.reload()}>
            Tải lại
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}

function Gate() {
  const { me, loading } = useAuth();
  if (loading) return <Loading />;
  if (!me) return <LoginPage />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<DashboardPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="members/:id" element={<MembersPage />} />
          <Route path="announcements" element={<AnnouncementsPage />} />
          <Route path="announcements/:id" element={<AnnouncementsPage />} />
          <Route path="polls" element={<PollsPage />} />
          <Route path="polls/:id" element={<PollsPage />} />
          <Route path="broadcasts" element={<BroadcastsPage />} />
          <Route path="broadcasts/:id" element={<BroadcastsPage />} />
          <Route path="kb" element={<KbPage />} />
          <Route path="handoffs" element={<HandoffsPage />} />
          <Route path="handoffs/:id" element={<HandoffsPage />} />
          <Route path="events" element={<EventsPage />} />
          <Route path="events/:id" element={<EventsPage />} />
          <Route path="welfare" element={<WelfarePage />} />
          <Route path="welfare/:id" element={<WelfarePage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <ErrorBoundary>
      <BrowserRouter basename="/admin">
        <AuthProvider>
          <Gate />
        </AuthProvider>
      </BrowserRouter>
    </ErrorBoundary>
  );
}
