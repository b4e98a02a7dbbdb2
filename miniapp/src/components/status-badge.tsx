import { strings } from '../lib/strings';

export function StatusBadge({ status }: { status: string }) {
  const label = strings.status[status] ?? status;
  return (
    <span className={`badge badge--${status}`} data-testid="status-badge" data-status={status}>
      {label}
    </span>
  );
}
