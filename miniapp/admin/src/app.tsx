// Console root: auth gate, router (basename /admin) and the pages table.
import { Component, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './hooks/use-auth';
import { Layout } from './components/layout';
import { LoginPage } from './pages/login';
import { DashboardPage } from './pages/dashboard';
import { MembersPage } from './pages/members';
import { BroadcastsPage } from './pages/broadcasts';
import { KbPage } from './pages/kb';
import { HandoffsPage } from './pages/handoffs';
import { EventsPage } from './pages/events';
import { WelfarePage } from './pages/welfare';
import { AuditPage } from './pages/audit';
import { Loading } from './components/ui';

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
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<DashboardPage />} />
        <Route path="members" element={<MembersPage />} />
        <Route path="members/:id" element={<MembersPage />} />
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
