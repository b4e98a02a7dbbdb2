// App shell: zmp-ui providers, the router (memory router outside Zalo so a build opened at /app/ renders),
// and the gate: demo sign-in (browser) → /me → linking screen or the tabs.
import { App, SnackbarProvider, ZMPRouter } from 'zmp-ui';
import { DemoBar } from './components/demo-bar';
import { ErrorBoundary } from './components/error-boundary';
import { MainLayout } from './components/layout';
import { ErrorState, LoadingState } from './components/states';
import { OfficerSyncProvider } from './hooks/use-officer-sync';
import { DemoAuthProvider, useDemoAuth } from './hooks/use-demo-auth';
import { SessionProvider, useSession } from './hooks/use-session';
import { ApiError } from './lib/api';
import { IN_ZALO } from './lib/env';
import DemoSignInPage from './pages/demo-sign-in';
import LinkPage from './pages/link';

function Gate() {
  const { session, refresh } = useSession();
  const demo = useDemoAuth();
  switch (session.state) {
    case 'loading':
      return (
        <div className="shell__full">
          <LoadingState />
        </div>
      );
    case 'not_linked':
      return <LinkPage />;
    case 'error': {
      const unauthorized = session.error instanceof ApiError && session.error.status === 401;
      return (
        <div className="shell__full">
          <ErrorState
            error={session.error}
            onRetry={refresh}
            extra={
              unauthorized && demo.enabled ? (
                <button type="button" className="link-button" onClick={demo.signOut} data-testid="error-switch-user">
                  Chọn người dùng khác
                </button>
              ) : null
            }
          />
        </div>
      );
    }
    case 'ready':
      return session.me.officer ? (
        <OfficerSyncProvider>
          <MainLayout />
        </OfficerSyncProvider>
      ) : (
        <MainLayout />
      );
  }
}

function Root() {
  const demo = useDemoAuth();
  if (demo.enabled && !demo.token) {
    return (
      <div className="shell">
        <DemoSignInPage />
      </div>
    );
  }
  return (
    <div className="shell">
      <DemoBar />
      {/* Keyed by the demo token: switching user starts a fresh session. */}
      <SessionProvider key={demo.token ?? 'zalo'}>
        <Gate />
      </SessionProvider>
    </div>
  );
}

export default function CongDoanApp() {
  return (
    <ErrorBoundary>
      <App theme="light">
        <SnackbarProvider>
          <ZMPRouter memoryRouter={!IN_ZALO}>
            <DemoAuthProvider>
              <Root />
            </DemoAuthProvider>
          </ZMPRouter>
        </SnackbarProvider>
      </App>
    </ErrorBoundary>
  );
}
