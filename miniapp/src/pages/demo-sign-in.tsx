// Browser-only: pick a sample identity from the demo server (GET /api/demo/identities).
import { Page } from 'zmp-ui';
import { useAsync } from '../hooks/use-async';
import { useDemoAuth } from '../hooks/use-demo-auth';
import { ApiError, api } from '../lib/api';
import { strings } from '../lib/strings';
import { EmptyState, ErrorState, LoadingState } from '../components/states';

export default function DemoSignInPage() {
  const { signIn } = useDemoAuth();
  const { data, error, loading, reload } = useAsync(() => api.demoIdentities());

  const notDemoServer = error instanceof ApiError && (error.status === 404 || error.status === 403);

  return (
    <Page className="page" data-testid="page-demo-sign-in">
      <h1 className="page-title">{strings.demoMode}</h1>
      <p className="lead">
        Bạn đang mở ứng dụng ngoài Zalo. Chọn một người dùng mẫu để xem ứng dụng như khi người đó mở trong Zalo.
      </p>

      {loading && !data && <LoadingState />}
      {error !== undefined && !loading && (
        <ErrorState
          error={notDemoServer ? new ApiError(404, 'NO_DEMO', 'Máy chủ không chạy ở chế độ thử nghiệm. Hãy mở ứng dụng trong Zalo.') : error}
          onRetry={reload}
        />
      )}

      {data && (
        <>
          <h2 className="section-title">Đoàn viên đã liên kết</h2>
          {data.members.length === 0 ? (
            <EmptyState>Chưa có đoàn viên mẫu.</EmptyState>
          ) : (
            <ul className="pick-list">
              {data.members.map((m) => (
                <li key={m.zaloAppUserId}>
                  <button
                    type="button"
                    className="pick"
                    data-testid={`demo-identity-${m.zaloAppUserId}`}
                    onClick={() => signIn({ zaloAppUserId: m.zaloAppUserId, name: m.fullName })}
                  >
                    <span className="pick__name">
                      {m.fullName}
                      {m.isOfficer && <span className="tag tag--officer">Cán bộ</span>}
                    </span>
                    <span className="pick__sub">
                      {m.memberCode} · {m.branchName}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h2 className="section-title">Người dùng Zalo chưa liên kết</h2>
          {data.unlinked.length === 0 ? (
            <EmptyState>Không có người dùng mẫu chưa liên kết.</EmptyState>
          ) : (
            <ul className="pick-list">
              {data.unlinked.map((u) => (
                <li key={u.zaloAppUserId}>
                  <button
                    type="button"
                    className="pick"
                    data-testid={`demo-identity-${u.zaloAppUserId}`}
                    onClick={() =>
                      signIn({ zaloAppUserId: u.zaloAppUserId, name: u.name, phone: u.phone ?? null, hasPhone: u.hasPhone })
                    }
                  >
                    <span className="pick__name">{u.name}</span>
                    <span className="pick__sub">Sẽ thấy màn hình liên kết</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
