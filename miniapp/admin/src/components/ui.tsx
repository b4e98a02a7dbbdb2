// Shared building blocks: cards, stats, badges, progress bar, pager, messages, the side list of list + detail pages.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

export function Card({ title, actions, children, testId, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; testId?: string; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card__head">
          {title && <h2 className="card__title">{title}</h2>}
          {actions && <div className="card__actions">{actions}</div>}
        </header>
      )}
      <div className="card__body">{children}</div>
    </section>
  );
}

export function PageHead({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1 className="page-head__title">{title}</h1>
        {subtitle && <p className="page-head__sub">{subtitle}</p>}
      </div>
      {actions && <div className="page-head__actions">{actions}</div>}
    </div>
  );
}

export function Stat({ label, value, hint, testId, tone }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string; tone?: 'ok' | 'warn' | 'err' | 'info' }) {
  return (
    <div className={`stat ${tone ? `stat--${tone}` : ''}`} data-testid={testId}>
      <div className="stat__label">{label}</div>
      <div className="stat__value">{value}</div>
      {hint && <div className="stat__hint">{hint}</div>}
    </div>
  );
}

export function Badge({ tone = 'muted', children, testId }: { tone?: 'ok' | 'warn' | 'err' | 'info' | 'muted'; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge--${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function Progress({ value, max, testId, parts }: { value: number; max: number; testId?: string; parts?: { value: number; tone: 'ok' | 'err' | 'muted' }[] }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="progress" data-testid={testId} data-pct={pct} role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
      {parts ? (
        parts.map((p, i) => <div key={i} className={`progress__bar progress__bar--${p.tone}`} style={{ width: `${max > 0 ? (p.value / max) * 100 : 0}%` }} />)
      ) : (
        <div className="progress__bar progress__bar--ok" style={{ width: `${pct}%` }} />
      )}
      <span className="progress__label">{pct}%</span>
    </div>
  );
}

export function ErrorBox({ children, testId }: { children: ReactNode; testId?: string }) {
  if (!children) return null;
  return (
    <div className="alert alert--err" role="alert" data-testid={testId ?? 'error'}>
      {children}
    </div>
  );
}

export function Notice({ children, tone = 'info', testId }: { children: ReactNode; tone?: 'info' | 'ok' | 'warn'; testId?: string }) {
  return (
    <div className={`alert alert--${tone}`} data-testid={testId}>
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Loading() {
  return <div className="loading">Đang tải…</div>;
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage(p: number): void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="pager" data-testid="pager">
      <button className="btn btn--ghost btn--sm" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="pager-prev">
        ‹ Trước
      </button>
      <span>
        Trang {page}/{pages} · {total.toLocaleString('vi-VN')} dòng
      </span>
      <button className="btn btn--ghost btn--sm" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="pager-next">
        Sau ›
      </button>
    </div>
  );
}

export function Modal({ title, onClose, children, testId, wide }: { title: string; onClose(): void; children: ReactNode; testId?: string; wide?: boolean }) {
  return (
    <div className="modal" role="dialog" aria-modal="true" data-testid={testId} onClick={onClose}>
      <div className={`modal__box ${wide ? 'modal__box--wide' : ''}`} onClick={(e) => e.stopPropagation()}>
        <header className="modal__head">
          <h2>{title}</h2>
          <button className="btn btn--ghost btn--sm" onClick={onClose} aria-label="Đóng" data-testid="modal-close">
            ✕
          </button>
        </header>
        <div className="modal__body">{children}</div>
      </div>
    </div>
  );
}

/**
 * The list column of a list + detail page: a card of links, one per item, the open one highlighted,
 * with the load error, a first-load spinner and an empty text.
 */
export function SideList<T extends { id: number }>(props: {
  title: string;
  testId: string;
  list: { data?: { items: T[] } | null; loading: boolean; error: string | null };
  emptyText: string;
  href: (item: T) => string;
  activeId?: string;
  itemTestId: (item: T) => string;
  itemProps?: (item: T) => Record<string, string | boolean>;
  renderTitle: (item: T) => ReactNode;
  renderMeta: (item: T) => ReactNode;
}) {
  const { list } = props;
  return (
    <Card title={props.title} testId={props.testId}>
      <ErrorBox>{list.error}</ErrorBox>
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <Empty>{props.emptyText}</Empty>}
      <ul className="side-list">
        {list.data?.items.map((item) => (
          <li key={item.id}>
            <Link
              to={props.href(item)}
              className={`side-list__item ${String(item.id) === props.activeId ? 'side-list__item--active' : ''}`}
              data-testid={props.itemTestId(item)}
              {...(props.itemProps?.(item) ?? {})}
            >
              <div className="side-list__title">{props.renderTitle(item)}</div>
              <div className="side-list__meta">{props.renderMeta(item)}</div>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
