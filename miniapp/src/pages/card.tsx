// Member card: identity, status and a rotating QR that officers scan at events.
import { useEffect } from 'react';
import { Page } from 'zmp-ui';
import { SunIcon } from '../components/icons';
import { ErrorState, LoadingState } from '../components/states';
import { StatusBadge } from '../components/status-badge';
import { useCard } from '../hooks/use-card';
import { useNow } from '../hooks/use-now';
import { errorMessage } from '../lib/api';
import { formatCountdown, formatDate, initials } from '../lib/format';
import { keepScreenOn } from '../lib/zalo';

export default function CardPage() {
  const { card, qrDataUrl, expiresAt, refreshAt, loading, error, reload } = useCard();
  const now = useNow(1000);

  useEffect(() => {
    void keepScreenOn(true);
    return () => void keepScreenOn(false);
  }, []);

  const expired = expiresAt !== null && now >= expiresAt;
  const refreshFailed = error !== undefined && card !== null;

  return (
    <Page className="page" data-testid="page-card">
      <h1 className="page-title">Thẻ đoàn viên</h1>

      {!card && loading && <LoadingState label="Đang tải thẻ đoàn viên…" />}
      {!card && !loading && error !== undefined && <ErrorState error={error} onRetry={reload} />}

      {card && (
        <>
          <section className="member-card" data-testid="member-card" aria-label="Thẻ đoàn viên">
            <div className="member-card__top">
              <span className="member-card__org">Công đoàn Việt Nam</span>
              <StatusBadge status={card.status} />
            </div>
            <div className="member-card__body">
              <div className="avatar" aria-hidden="true" data-testid="card-avatar">
                {initials(card.fullName)}
              </div>
              <div className="member-card__who">
                <p className="member-card__name" data-testid="card-name">
                  {card.fullName}
                </p>
                <p className="member-card__line">
                  Mã đoàn viên: <b data-testid="card-code">{card.memberCode}</b>
                </p>
                <p className="member-card__line" data-testid="card-branch">
                  {card.branch.name}
                </p>
              </div>
            </div>
            {card.joinedAt && (
              <p className="member-card__foot">
                Ngày vào công đoàn: <span data-testid="card-joined">{formatDate(card.joinedAt)}</span>
              </p>
            )}
          </section>

          <section className="qr-box" aria-label="Mã QR điểm danh">
            <div className={`qr-box__frame ${expired ? 'is-expired' : ''}`}>
              {qrDataUrl && (
                <img src={qrDataUrl} alt="Mã QR thẻ đoàn viên" width={240} height={240} data-testid="card-qr" />
              )}
              {expired && (
                <div className="qr-box__overlay" data-testid="card-qr-expired">
                  <p>Mã đã hết hạn</p>
                  <button type="button" className="btn btn--primary" onClick={reload} data-testid="card-qr-refresh">
                    Làm mới mã
                  </button>
                </div>
              )}
            </div>
            <p className="qr-box__countdown" data-testid="card-qr-countdown" aria-live="off">
              {loading ? 'Đang đổi mã…' : refreshAt !== null && !expired ? `Mã đổi sau ${formatCountdown(refreshAt - now)}` : ''}
            </p>
            {refreshFailed && (
              <p className="qr-box__warn" role="status" data-testid="card-qr-warning">
                Không làm mới được mã: {errorMessage(error)} Đang thử lại…
              </p>
            )}
            <p className="qr-box__hint">
              <SunIcon size={18} /> Tăng độ sáng màn hình khi quét
            </p>
          </section>
        </>
      )}
    </Page>
  );
}
