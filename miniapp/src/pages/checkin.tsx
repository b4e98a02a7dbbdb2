// Member check-in: scan the event's QR (or type its code) → POST /api/miniapp/checkins.
import { useState } from 'react';
import { Page } from 'zmp-ui';
import { ScanBox } from '../components/scan-box';
import { ApiError, api, errorMessage } from '../lib/api';
import { formatDate, formatTime } from '../lib/format';
import type { CheckinResult } from '../lib/types';

type Outcome = { kind: 'ok'; result: CheckinResult } | { kind: 'error'; message: string; code?: string };

export default function CheckinPage() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(eventToken: string): Promise<boolean> {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.checkin(eventToken);
      setOutcome({ kind: 'ok', result });
      return true;
    } catch (err) {
      setOutcome({ kind: 'error', message: errorMessage(err), code: err instanceof ApiError ? err.code : undefined });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page className="page" data-testid="page-checkin">
      <h1 className="page-title">Điểm danh sự kiện</h1>
      <p className="lead">Quét mã QR của sự kiện (do ban tổ chức trình chiếu hoặc in sẵn) để ghi nhận bạn đã có mặt.</p>

      <ScanBox
        scanLabel="Quét mã QR sự kiện"
        inputLabel="Nhập mã sự kiện"
        inputPlaceholder="Ví dụ: HOP-2025"
        submitLabel="Gửi mã"
        busy={busy}
        testIdPrefix="checkin"
        onSubmit={submit}
      />

      {busy && (
        <p className="muted center" role="status">
          Đang gửi…
        </p>
      )}
      {outcome && <CheckinOutcome outcome={outcome} />}
    </Page>
  );
}

function CheckinOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'error') {
    return (
      <div className="result result--error" role="alert" data-testid="checkin-result" data-status="error" data-code={outcome.code}>
        <p className="result__big">❌ Chưa điểm danh được</p>
        <p className="result__msg">{outcome.message}</p>
      </div>
    );
  }
  const { result } = outcome;
  const fresh = result.status === 'checked_in';
  return (
    <div
      className={`result ${fresh ? 'result--ok' : 'result--info'}`}
      role="status"
      aria-live="polite"
      data-testid="checkin-result"
      data-status={result.status}
    >
      <p className="result__big">
        {fresh ? `✅ Đã điểm danh lúc ${formatTime(result.at)}` : `Bạn đã điểm danh lúc ${formatTime(result.at)}`}
      </p>
      <p className="result__title" data-testid="checkin-event-title">
        {result.event.title}
      </p>
      <p className="muted">Ngày {formatDate(result.at)}</p>
    </div>
  );
}
