// Loading, empty and error blocks shared by every screen.
import type { ReactNode } from 'react';
import { Spinner } from 'zmp-ui';
import { ApiError, errorMessage } from '../lib/api';
import { strings } from '../lib/strings';

export function LoadingState({ label = strings.loading }: { label?: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite" data-testid="state-loading">
      <Spinner visible />
      <p>{label}</p>
    </div>
  );
}

export function EmptyState({ children, testId = 'state-empty' }: { children: ReactNode; testId?: string }) {
  return (
    <div className="state state--empty" data-testid={testId}>
      <p>{children}</p>
    </div>
  );
}

export function ErrorState({ error, onRetry, extra }: { error: unknown; onRetry?: () => void; extra?: ReactNode }) {
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <div className="state state--error" role="alert" data-testid="state-error" data-status={status}>
      <p className="state__title">Không tải được dữ liệu</p>
      <p>{errorMessage(error)}</p>
      <div className="state__actions">
        {onRetry && (
          <button type="button" className="btn btn--secondary" onClick={onRetry} data-testid="state-retry">
            {strings.retry}
          </button>
        )}
        {extra}
      </div>
    </div>
  );
}
