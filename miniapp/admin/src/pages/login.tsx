// Đăng nhập: phone → one-time code sent via the Zalo OA; in demo mode, one click as a seeded officer.
import { useEffect, useState, type FormEvent } from 'react';
import { errorText, get, post } from '../lib/api';
import { useAuth } from '../hooks/use-auth';
import { ROLE_LABEL } from '../lib/format';
import type { OfficerInfo } from '../lib/types';
import { ErrorBox, Notice } from '../components/ui';

interface DemoOfficer {
  id: number;
  name: string;
  role: string;
  branchCode: string;
  branchName: string;
}

type SignInAnswer = { officer: OfficerInfo; csrfToken: string };

export function LoginPage() {
  const { signedIn } = useAuth();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [demo, setDemo] = useState<DemoOfficer[] | null>(null);

  useEffect(() => {
    get<{ items: DemoOfficer[] }>('/auth/demo-officers')
      .then((r) => setDemo(r.items))
      .catch(() => setDemo(null));
  }, []);

  async function sendCode(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ message: string }>('/auth/otp', { phone });
      setInfo(r.message);
      setStep('code');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<SignInAnswer>('/auth/verify', { phone, code });
      signedIn(r.officer, r.csrfToken);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function demoSignIn(id: number) {
    setBusy(true);
    setError(null);
    try {
      const r = await post<SignInAnswer>('/auth/demo', { officerId: id });
      signedIn(r.officer, r.csrfToken);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login" data-testid="page-login">
      <div className="login__box">
        <div className="login__brand">
          <div className="sidebar__logo">CĐ</div>
          <div>
            <h1>Bảng điều khiển cán bộ</h1>
            <p className="muted">Công đoàn trên Zalo</p>
          </div>
        </div>
        {step === 'phone' ? (
          <form onSubmit={sendCode} className="form">
            <label className="field">
              <span>Số điện thoại cán bộ</span>
              <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="VD: 0912 345 678" inputMode="tel" autoFocus data-testid="login-phone" />
            </label>
            <button className="btn btn--primary" disabled={busy || phone.trim().length < 9} data-testid="login-send-otp">
              Gửi mã qua Zalo
            </button>
          </form>
        ) : (
          <form onSubmit={verify} className="form">
            {info && <Notice testId="login-info">{info}</Notice>}
            <label className="field">
              <span>Mã 6 số</span>
              <input value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))} inputMode="numeric" autoFocus data-testid="login-code" />
            </label>
            <div className="row">
              <button className="btn btn--primary" disabled={busy || code.length !== 6} data-testid="login-verify">
                Đăng nhập
              </button>
              <button type="button" className="btn btn--ghost" onClick={() => setStep('phone')}>
                Đổi số điện thoại
              </button>
            </div>
          </form>
        )}
        <ErrorBox testId="login-error">{error}</ErrorBox>
        {demo && demo.length > 0 && (
          <div className="login__demo" data-testid="demo-officers">
            <h3>Chế độ thử nghiệm – đăng nhập nhanh</h3>
            {demo.map((o) => (
              <button key={o.id} className="demo-officer" disabled={busy} onClick={() => void demoSignIn(o.id)} data-testid={`demo-officer-${o.role}`} data-officer-id={o.id}>
                <strong>{o.name}</strong>
                <span className={`role role--${o.role}`}>{ROLE_LABEL[o.role] ?? o.role}</span>
                <span className="muted">{o.branchName}</span>
              </button>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
