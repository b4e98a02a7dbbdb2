// Open welfare programs for the member's branch (registration comes in a later issue).
import { Page } from 'zmp-ui';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useAsync } from '../hooks/use-async';
import { api } from '../lib/api';
import { formatDate } from '../lib/format';

export default function WelfarePage() {
  const { data, error, loading, reload } = useAsync(() => api.welfarePrograms());
  const items = data?.items ?? [];

  return (
    <Page className="page" data-testid="page-welfare">
      <h1 className="page-title">Phúc lợi</h1>
      {loading && !data && <LoadingState />}
      {!loading && error !== undefined && <ErrorState error={error} onRetry={reload} />}
      {data && items.length === 0 && (
        <EmptyState testId="welfare-empty">Chưa có chương trình phúc lợi nào đang mở</EmptyState>
      )}
      {items.length > 0 && (
        <ul className="cards" data-testid="welfare-list">
          {items.map((p) => (
            <li key={p.id} className="item-card" data-testid={`welfare-item-${p.id}`}>
              <h2 className="item-card__title">{p.title}</h2>
              {p.description && <p className="item-card__body">{p.description}</p>}
              {p.eligibility && (
                <p className="item-card__meta">
                  <b>Đối tượng:</b> {p.eligibility}
                </p>
              )}
              {p.closesAt && (
                <p className="item-card__meta">
                  <b>Hạn đăng ký:</b> {formatDate(p.closesAt)}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
