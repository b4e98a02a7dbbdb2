// Welfare: open programs for the member's branch, a registration form rendered from each program's
// field description, and "Đăng ký của tôi" with statuses (cancel while still submitted).
import { useState, type FormEvent } from 'react';
import { Page } from 'zmp-ui';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useAsync } from '../hooks/use-async';
import { ApiError, api, errorMessage } from '../lib/api';
import { formatDate } from '../lib/format';
import type { WelfareField, WelfareProgram, WelfareRegistration } from '../lib/types';

const STATUS_LABELS: Record<string, string> = { submitted: 'Đã gửi', approved: 'Đã duyệt', rejected: 'Không duyệt', cancelled: 'Đã hủy' };

function RegistrationStatus({ status }: { status: string }) {
  return (
    <span className={`badge badge--reg-${status}`} data-testid="welfare-status" data-status={status}>
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

/** Client-side check mirroring the server's zod schema (the server stays the authority). */
function checkField(f: WelfareField, raw: string): string | undefined {
  const v = raw.trim();
  if (!v) return f.required ? `Vui lòng nhập ${f.label.toLowerCase()}.` : undefined;
  if (f.type === 'number' && !/^\d+([.,]\d+)?$/.test(v)) return 'Vui lòng nhập một số, ví dụ 3.';
  if (f.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'Vui lòng chọn ngày.';
  if (f.type === 'choice' && !(f.options ?? []).includes(v)) return 'Vui lòng chọn một mục.';
  return undefined;
}

function FieldInput({ field, value, error, onChange }: { field: WelfareField; value: string; error?: string; onChange: (v: string) => void }) {
  const id = `welfare-field-${field.key}`;
  const common = {
    id,
    'aria-invalid': !!error,
    'aria-describedby': error ? `${id}-error` : undefined,
    'data-testid': id,
  };
  return (
    <div className="welfare-field">
      <label className="field-label" htmlFor={field.type === 'choice' ? undefined : id}>
        {field.label}
        {field.required ? ' *' : ' (không bắt buộc)'}
      </label>
      {field.type === 'choice' ? (
        <div className="choice-group" role="radiogroup" aria-label={field.label} {...common}>
          {(field.options ?? []).map((o, i) => (
            <label key={o} className={`choice ${value === o ? 'is-selected' : ''}`}>
              <input type="radio" name={id} value={o} checked={value === o} onChange={() => onChange(o)} data-testid={`${id}-option-${i}`} />
              <span>{o}</span>
            </label>
          ))}
        </div>
      ) : field.type === 'text' ? (
        <textarea className={`text-input ${error ? 'is-invalid' : ''}`} rows={2} maxLength={500} value={value} onChange={(e) => onChange(e.target.value)} {...common} />
      ) : (
        <input
          className={`text-input ${error ? 'is-invalid' : ''}`}
          type={field.type === 'date' ? 'date' : 'text'}
          inputMode={field.type === 'number' ? 'decimal' : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...common}
        />
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function RegisterForm({ program, onDone, onClose }: { program: WelfareProgram; onDone: (r: WelfareRegistration) => void; onClose: () => void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    for (const f of program.fields) {
      const err = checkField(f, values[f.key] ?? '');
      if (err) errs[f.key] = err;
    }
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) return;
    const answers: Record<string, unknown> = {};
    for (const f of program.fields) {
      const v = (values[f.key] ?? '').trim();
      if (v) answers[f.key] = f.type === 'number' ? Number(v.replace(',', '.')) : v;
    }
    setBusy(true);
    try {
      onDone(await api.welfareRegister(program.id, answers));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const byKey: Record<string, string> = {};
        for (const f of err.fields) byKey[f.path.replace(/^answers\./, '')] = f.message;
        setErrors(byKey);
      }
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="welfare-form" onSubmit={submit} noValidate data-testid="welfare-form">
      {program.fields.map((f) => (
        <FieldInput key={f.key} field={f} value={values[f.key] ?? ''} error={errors[f.key]} onChange={(v) => setValues((s) => ({ ...s, [f.key]: v }))} />
      ))}
      {formError && (
        <p className="form-error" role="alert" data-testid="welfare-form-error">
          {formError}
        </p>
      )}
      <div className="item-card__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="welfare-submit">
          {busy ? 'Đang gửi…' : 'Gửi đăng ký'}
        </button>
        <button type="button" className="btn btn--secondary" onClick={onClose} disabled={busy} data-testid="welfare-form-close">
          Đóng
        </button>
      </div>
    </form>
  );
}

export default function WelfarePage() {
  const programs = useAsync(() => api.welfarePrograms());
  const mine = useAsync(() => api.welfareRegistrations());
  const [openId, setOpenId] = useState<number | string | null>(null);
  const [done, setDone] = useState<WelfareRegistration | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<number | null>(null);
  const items = programs.data?.items ?? [];
  const regs = mine.data?.items ?? [];

  const reloadAll = () => {
    programs.reload();
    mine.reload();
  };

  async function cancel(r: WelfareRegistration) {
    setCancelError(null);
    setCancelling(r.id);
    try {
      await api.welfareCancel(r.id);
      reloadAll();
    } catch (err) {
      setCancelError(errorMessage(err));
    } finally {
      setCancelling(null);
    }
  }

  return (
    <Page className="page" data-testid="page-welfare">
      <h1 className="page-title">Phúc lợi</h1>
      {done && (
        <div className="result result--ok" role="status" data-testid="welfare-success">
          <p className="result__title">✅ Đã gửi đăng ký</p>
          <p>
            {done.programTitle} — mã đăng ký <b data-testid="welfare-reference">{done.reference}</b>
          </p>
          <p className="muted">Cán bộ công đoàn sẽ xét duyệt và báo kết quả qua Zalo.</p>
        </div>
      )}
      {programs.loading && !programs.data && <LoadingState />}
      {!programs.loading && programs.error !== undefined && <ErrorState error={programs.error} onRetry={programs.reload} />}
      {programs.data && items.length === 0 && <EmptyState testId="welfare-empty">Chưa có chương trình phúc lợi nào đang mở</EmptyState>}
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
              {p.myRegistration ? (
                <p className="item-card__meta" data-testid={`welfare-registered-${p.id}`}>
                  Bạn đã đăng ký ({p.myRegistration.reference}) <RegistrationStatus status={p.myRegistration.status} />
                </p>
              ) : openId === p.id ? (
                <RegisterForm
                  program={p}
                  onClose={() => setOpenId(null)}
                  onDone={(r) => {
                    setDone(r);
                    setOpenId(null);
                    reloadAll();
                  }}
                />
              ) : (
                <div className="item-card__actions">
                  <button
                    type="button"
                    className="btn btn--primary"
                    onClick={() => {
                      setDone(null);
                      setOpenId(p.id);
                    }}
                    data-testid={`welfare-register-${p.id}`}
                  >
                    Đăng ký
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      <h2 className="section-title">Đăng ký của tôi</h2>
      {mine.loading && !mine.data && <LoadingState />}
      {!mine.loading && mine.error !== undefined && <ErrorState error={mine.error} onRetry={mine.reload} />}
      {mine.data && regs.length === 0 && <EmptyState testId="welfare-mine-empty">Bạn chưa đăng ký chương trình nào</EmptyState>}
      {cancelError && (
        <p className="form-error" role="alert" data-testid="welfare-cancel-error">
          {cancelError}
        </p>
      )}
      {regs.length > 0 && (
        <ul className="cards" data-testid="welfare-mine">
          {regs.map((r) => (
            <li key={r.id} className="item-card" data-testid={`welfare-reg-${r.id}`}>
              <h3 className="item-card__title">{r.programTitle}</h3>
              <p className="item-card__meta">
                Mã đăng ký: <b>{r.reference}</b> · {formatDate(r.createdAt)}
              </p>
              <p className="item-card__meta">
                Trạng thái: <RegistrationStatus status={r.status} />
              </p>
              {r.note && <p className="item-card__meta">Ghi chú của cán bộ: {r.note}</p>}
              {r.status === 'submitted' && (
                <div className="item-card__actions">
                  <button type="button" className="btn btn--secondary" disabled={cancelling === r.id} onClick={() => cancel(r)} data-testid={`welfare-cancel-${r.id}`}>
                    {cancelling === r.id ? 'Đang hủy…' : 'Hủy đăng ký'}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
