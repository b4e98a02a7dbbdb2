// Officer scan: pick an event, then scan members' card QRs (manual paste as fallback).
// Scans made offline are queued by OfficerSyncProvider and resent with the same scanId.
import { useEffect, useState } from 'react';
import { Page } from 'zmp-ui';
import { ScanBox } from '../components/scan-box';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useAsync } from '../hooks/use-async';
import { useMe } from '../hooks/use-session';
import { useOfficerSync, type ScanOutcome } from '../hooks/use-officer-sync';
import { api } from '../lib/api';
import { formatDate, formatTime } from '../lib/format';
import type { OfficerEvent } from '../lib/types';

const SELECTED_KEY = 'congdoan.officer.eventId';

interface Picked {
  id: string;
  title: string;
}

export default function OfficerPage() {
  const [picked, setPicked] = useState<Picked | null>(() => {
    try {
      const raw = window.sessionStorage.getItem(SELECTED_KEY);
      return raw ? (JSON.parse(raw) as Picked) : null;
    } catch {
      return null;
    }
  });

  function choose(p: Picked | null) {
    setPicked(p);
    try {
      if (p) window.sessionStorage.setItem(SELECTED_KEY, JSON.stringify(p));
      else window.sessionStorage.removeItem(SELECTED_KEY);
    } catch {
      // private mode: selection just is not remembered
    }
  }

  return (
    <Page className="page" data-testid="page-officer">
      <PendingBanner />
      {picked ? <ScanScreen event={picked} onChangeEvent={() => choose(null)} /> : <EventPicker onPick={choose} />}
    </Page>
  );
}

function PendingBanner() {
  const { pending, syncing, flush, lastNotice } = useOfficerSync();
  return (
    <>
      {pending.length > 0 && (
        <div className="pending" role="status" data-testid="officer-pending">
          <span>
            <b data-testid="officer-pending-count">{pending.length}</b> lượt quét chờ đồng bộ
          </span>
          <button
            type="button"
            className="link-button"
            onClick={() => void flush()}
            disabled={syncing}
            data-testid="officer-sync-now"
          >
            {syncing ? 'Đang đồng bộ…' : 'Đồng bộ ngay'}
          </button>
        </div>
      )}
      {lastNotice && (
        <p className={`sync-notice sync-notice--${lastNotice.kind}`} data-testid="officer-sync-notice">
          {lastNotice.text}
        </p>
      )}
    </>
  );
}

function EventPicker({ onPick }: { onPick: (p: Picked) => void }) {
  const me = useMe();
  const { data, error, loading, reload } = useAsync(() => api.officerEvents());
  const items = data?.items ?? [];

  return (
    <>
      <h1 className="page-title">Điểm danh đoàn viên</h1>
      <p className="lead">
        {me.officer?.branchName ? `${me.officer.branchName}. ` : ''}Chọn sự kiện để bắt đầu quét thẻ đoàn viên.
      </p>
      {loading && !data && <LoadingState />}
      {!loading && error !== undefined && <ErrorState error={error} onRetry={reload} />}
      {data && items.length === 0 && <EmptyState testId="officer-events-empty">Chưa có sự kiện nào để điểm danh</EmptyState>}
      {items.length > 0 && (
        <ul className="pick-list" data-testid="officer-event-list">
          {items.map((ev) => (
            <li key={ev.id}>
              <button
                type="button"
                className="pick"
                onClick={() => onPick({ id: String(ev.id), title: ev.title })}
                data-testid={`officer-event-${ev.id}`}
              >
                <span className="pick__name">{ev.title}</span>
                <span className="pick__sub">{eventWhen(ev)}</span>
                {ev.location && <span className="pick__sub">{ev.location}</span>}
                <span className="pick__count">{ev.count} người đã điểm danh</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function eventWhen(ev: OfficerEvent): string {
  const start = `${formatTime(ev.startsAt)} ${formatDate(ev.startsAt)}`;
  return ev.endsAt ? `${start} – ${formatTime(ev.endsAt)}` : start;
}

interface HistoryItem {
  key: number;
  outcome: ScanOutcome;
}

function ScanScreen({ event, onChangeEvent }: { event: Picked; onChangeEvent: () => void }) {
  const { submitScan, syncedVersion, pending, resolved } = useOfficerSync();
  const summary = useAsync(() => api.officerEvent(event.id), [event.id, syncedVersion]);
  const [localAdds, setLocalAdds] = useState(0);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<HistoryItem[]>([]);

  // A fresh server count replaces the local +1s.
  useEffect(() => setLocalAdds(0), [summary.data]);

  const count = summary.data ? summary.data.count + localAdds : null;
  const waitingHere = pending.filter((p) => p.eventId === event.id).length;
  const last = history[0];

  async function submit(memberQr: string): Promise<boolean> {
    setBusy(true);
    try {
      const outcome = await submitScan(event.id, memberQr);
      if (outcome.kind === 'checked_in') setLocalAdds((n) => n + 1);
      if (outcome.kind === 'checked_in' || outcome.kind === 'already_checked_in') summary.reload(); // server truth
      setHistory((h) => [{ key: Date.now() + Math.random(), outcome }, ...h].slice(0, 6));
      return outcome.kind !== 'rejected';
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="event-head">
        <div>
          <p className="muted">Sự kiện</p>
          <h1 className="event-head__title" data-testid="officer-event-title">
            {summary.data?.title ?? event.title}
          </h1>
        </div>
        <button type="button" className="link-button" onClick={onChangeEvent} data-testid="officer-change-event">
          Đổi sự kiện
        </button>
      </div>

      <div className="counter" aria-live="polite">
        <span className="counter__num" data-testid="officer-count">
          {count ?? '…'}
        </span>
        <span className="counter__label">người đã điểm danh</span>
        {waitingHere > 0 && <span className="counter__pending">+{waitingHere} chờ đồng bộ</span>}
      </div>
      {summary.error !== undefined && !summary.data && (
        <p className="qr-box__warn">Chưa tải được số lượng, vẫn có thể quét.</p>
      )}

      <ScanBox
        scanLabel="Quét thẻ đoàn viên"
        inputLabel="Dán mã QR thẻ đoàn viên"
        inputPlaceholder="Dán nội dung mã QR"
        submitLabel="Ghi nhận"
        busy={busy}
        testIdPrefix="officer"
        onSubmit={submit}
      />

      {last && <OutcomeView outcome={last.outcome} resolved={resolved} big testId="officer-last-result" />}

      {history.length > 1 && (
        <>
          <h2 className="section-title">Lượt quét trước</h2>
          <ul className="history" data-testid="officer-history">
            {history.slice(1).map((h) => (
              <li key={h.key}>
                <OutcomeView outcome={h.outcome} resolved={resolved} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function OutcomeView({
  outcome: raw,
  resolved,
  big,
  testId,
}: {
  outcome: ScanOutcome;
  resolved: Record<string, ScanOutcome>;
  big?: boolean;
  testId?: string;
}) {
  // A queued scan shows what the server said once it was synced.
  const later = raw.kind === 'queued' ? resolved[raw.scanId] : undefined;
  const outcome = later ?? raw;
  const cls = big ? 'result' : 'result result--small';
  const syncedNote = later ? <p className="muted">(gửi lại sau khi có mạng)</p> : null;
  switch (outcome.kind) {
    case 'checked_in':
      return (
        <div className={`${cls} result--ok`} role={big ? 'status' : undefined} data-testid={testId} data-status="checked_in">
          <p className="result__big">✅ {outcome.result.member.fullName}</p>
          <p className="muted">
            {outcome.result.member.memberCode} · điểm danh lúc {formatTime(outcome.result.at)}
          </p>
          {syncedNote}
        </div>
      );
    case 'already_checked_in':
      return (
        <div className={`${cls} result--info`} role={big ? 'status' : undefined} data-testid={testId} data-status="already_checked_in">
          <p className="result__big">{outcome.result.member.fullName}</p>
          <p>đã điểm danh lúc {formatTime(outcome.result.at)}</p>
          {syncedNote}
        </div>
      );
    case 'queued':
      return (
        <div className={`${cls} result--warn`} role={big ? 'status' : undefined} data-testid={testId} data-status="queued">
          <p className="result__big">Mất kết nối</p>
          <p>Đã lưu lượt quét này, sẽ tự gửi lại khi có mạng.</p>
        </div>
      );
    default:
      return (
        <div className={`${cls} result--error`} role={big ? 'alert' : undefined} data-testid={testId} data-status="rejected">
          <p className="result__big">❌ Không ghi nhận</p>
          <p>{outcome.message}</p>
          {syncedNote}
        </div>
      );
  }
}
