// Latest announcements from the union: title, date, expandable body, image, link.
import { useState } from 'react';
import { Page } from 'zmp-ui';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useAsync } from '../hooks/use-async';
import { api } from '../lib/api';
import { formatDate } from '../lib/format';
import type { Announcement } from '../lib/types';
import { openExternalUrl } from '../lib/zalo';

const LONG_BODY = 180;

function isSafeUrl(url: string | null): url is string {
  if (!url) return false;
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export default function AnnouncementsPage() {
  const { data, error, loading, reload } = useAsync(() => api.announcements());
  const items = data?.items ?? [];

  return (
    <Page className="page" data-testid="page-announcements">
      <h1 className="page-title">Thông báo</h1>
      {loading && !data && <LoadingState />}
      {!loading && error !== undefined && <ErrorState error={error} onRetry={reload} />}
      {data && items.length === 0 && <EmptyState testId="announcements-empty">Chưa có thông báo nào</EmptyState>}
      {items.length > 0 && (
        <ul className="cards" data-testid="announcement-list">
          {items.map((a) => (
            <AnnouncementItem key={a.id} item={a} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function AnnouncementItem({ item }: { item: Announcement }) {
  const [open, setOpen] = useState(false);
  const long = item.body.length > LONG_BODY || item.body.split('\n').length > 4;
  const bodyId = `announcement-body-${item.id}`;

  return (
    <li className="item-card" data-testid={`announcement-${item.id}`}>
      {isSafeUrl(item.imageUrl) && (
        <img className="item-card__image" src={item.imageUrl} alt="" loading="lazy" />
      )}
      <h2 className="item-card__title">{item.title}</h2>
      <p className="item-card__meta">{formatDate(item.publishedAt)}</p>
      <p id={bodyId} className={`item-card__body prewrap ${long && !open ? 'clamp' : ''}`}>
        {item.body}
      </p>
      <div className="item-card__actions">
        {long && (
          <button
            type="button"
            className="link-button"
            aria-expanded={open}
            aria-controls={bodyId}
            onClick={() => setOpen((o) => !o)}
            data-testid={`announcement-toggle-${item.id}`}
          >
            {open ? 'Thu gọn' : 'Xem thêm'}
          </button>
        )}
        {isSafeUrl(item.linkUrl) && (
          <button
            type="button"
            className="link-button"
            onClick={() => void openExternalUrl(item.linkUrl as string)}
            data-testid={`announcement-link-${item.id}`}
          >
            Xem chi tiết ↗
          </button>
        )}
      </div>
    </li>
  );
}
