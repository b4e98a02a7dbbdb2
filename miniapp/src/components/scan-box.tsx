// A big "scan" button (Zalo's native scanner) plus a manual code field that is always there as the fallback.
import { useRef, useState, type FormEvent } from 'react';
import { PlatformError, scanQRCode } from '../lib/zalo';
import { ScanIcon } from './icons';

interface Props {
  scanLabel: string;
  inputLabel: string;
  inputPlaceholder: string;
  submitLabel: string;
  busy: boolean;
  testIdPrefix: string;
  /** Receives the scanned or typed content (trimmed, non-empty). */
  onSubmit: (content: string) => Promise<boolean | void>;
}

function scanHint(err: unknown): string | null {
  if (!(err instanceof PlatformError)) return 'Không mở được trình quét mã. Hãy nhập mã bên dưới.';
  switch (err.kind) {
    case 'cancelled':
      return null;
    case 'denied':
      return 'Bạn chưa cho phép Zalo dùng camera. Hãy cấp quyền hoặc nhập mã bên dưới.';
    case 'unavailable':
      return 'Trình quét mã chỉ dùng được trong ứng dụng Zalo. Hãy nhập mã bên dưới.';
    default:
      return 'Không mở được trình quét mã. Hãy nhập mã bên dưới.';
  }
}

export function ScanBox({ scanLabel, inputLabel, inputPlaceholder, submitLabel, busy, testIdPrefix, onSubmit }: Props) {
  const [code, setCode] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  async function scan() {
    setHint(null);
    setScanning(true);
    try {
      const content = await scanQRCode();
      if (!content) {
        setHint('Không đọc được mã QR. Hãy thử lại hoặc nhập mã bên dưới.');
        inputRef.current?.focus();
        return;
      }
      await onSubmit(content);
    } catch (err) {
      const h = scanHint(err);
      setHint(h);
      if (h) inputRef.current?.focus();
    } finally {
      setScanning(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const content = code.trim();
    if (!content) {
      setHint('Vui lòng nhập mã.');
      inputRef.current?.focus();
      return;
    }
    setHint(null);
    const ok = await onSubmit(content);
    if (ok !== false) setCode('');
  }

  const disabled = busy || scanning;
  const inputId = `${testIdPrefix}-code`;

  return (
    <div className="scan-box">
      <button
        type="button"
        className="scan-button"
        onClick={scan}
        disabled={disabled}
        data-testid={`${testIdPrefix}-scan`}
      >
        <ScanIcon size={36} />
        <span>{scanLabel}</span>
      </button>
      {hint && (
        <p className="scan-box__hint" role="status" data-testid={`${testIdPrefix}-hint`}>
          {hint}
        </p>
      )}
      <form className="scan-box__manual" onSubmit={submit} noValidate>
        <label htmlFor={inputId} className="field-label">
          {inputLabel}
        </label>
        <div className="scan-box__row">
          <input
            id={inputId}
            ref={inputRef}
            className="text-input"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={inputPlaceholder}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            enterKeyHint="send"
            disabled={busy}
            data-testid={`${testIdPrefix}-code-input`}
          />
          <button type="submit" className="btn btn--primary" disabled={disabled} data-testid={`${testIdPrefix}-submit`}>
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
