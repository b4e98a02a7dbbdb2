// First run: link this Zalo user to a member record, after explaining why the data is needed (Decree 13/2023).
import { useState, type FormEvent } from 'react';
import { Page } from 'zmp-ui';
import { useSession } from '../hooks/use-session';
import { ApiError, api, errorMessage } from '../lib/api';
import { autoSlashDate, parseDateOfBirth } from '../lib/format';
import { strings } from '../lib/strings';
import type { LinkRequest, Member } from '../lib/types';
import { PlatformError, getPhoneToken } from '../lib/zalo';

type Busy = null | 'phone' | 'code';

function linkErrorMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 429) return strings.tooManyRequests;
  return errorMessage(err);
}

export default function LinkPage() {
  const { refresh } = useSession();
  const [busy, setBusy] = useState<Busy>(null);
  // Shown next to the way the user tried (phone button or code form).
  const [error, setError] = useState<{ via: Exclude<Busy, null>; text: string } | null>(null);
  const [linked, setLinked] = useState<Member | null>(null);
  const [memberCode, setMemberCode] = useState('');
  const [dob, setDob] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ memberCode?: string; dob?: string }>({});

  async function link(body: LinkRequest, kind: Exclude<Busy, null>) {
    setBusy(kind);
    setError(null);
    try {
      const { member } = await api.link(body);
      setLinked(member);
    } catch (err) {
      setError({ via: kind, text: linkErrorMessage(err) });
    } finally {
      setBusy(null);
    }
  }

  async function sharePhone() {
    setError(null);
    let phoneToken: string;
    setBusy('phone');
    try {
      phoneToken = await getPhoneToken();
    } catch (err) {
      setBusy(null);
      if (err instanceof PlatformError && err.kind === 'cancelled') return;
      setError({
        via: 'phone',
        text:
          err instanceof PlatformError && err.kind === 'denied'
            ? 'Bạn chưa đồng ý chia sẻ số điện thoại. Bạn có thể liên kết bằng mã đoàn viên bên dưới.'
            : 'Không lấy được số điện thoại từ Zalo. Bạn có thể liên kết bằng mã đoàn viên bên dưới.',
      });
      return;
    }
    await link({ phoneToken }, 'phone');
  }

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    const code = memberCode.trim();
    const dateOfBirth = parseDateOfBirth(dob);
    const errs: typeof fieldErrors = {};
    if (!code) errs.memberCode = 'Vui lòng nhập mã đoàn viên.';
    if (!dob.trim()) errs.dob = 'Vui lòng nhập ngày sinh.';
    else if (!dateOfBirth) errs.dob = 'Ngày sinh chưa đúng, hãy nhập theo dạng ngày/tháng/năm, ví dụ 07/05/1990.';
    setFieldErrors(errs);
    setError(null);
    if (errs.memberCode || errs.dob || !dateOfBirth) return;
    await link({ memberCode: code, dateOfBirth }, 'code');
  }

  if (linked) {
    return (
      <Page className="page" data-testid="page-link">
        <div className="result result--ok" role="status" data-testid="link-success">
          <p className="result__big">✅ Liên kết thành công</p>
          <p className="result__title">{linked.fullName}</p>
          <p className="muted">
            {linked.memberCode}
            {linked.branch?.name ? ` · ${linked.branch.name}` : ''}
          </p>
          <button type="button" className="btn btn--primary btn--block" onClick={refresh} data-testid="link-continue">
            Xem thẻ đoàn viên
          </button>
        </div>
      </Page>
    );
  }

  return (
    <Page className="page" data-testid="page-link">
      <h1 className="page-title">Liên kết đoàn viên</h1>

      <section className="notice" aria-labelledby="privacy-title" data-testid="link-privacy">
        <h2 id="privacy-title" className="notice__title">
          Vì sao chúng tôi cần thông tin này?
        </h2>
        <p>
          Chúng tôi dùng số điện thoại / mã đoàn viên chỉ để xác nhận bạn là đoàn viên công đoàn và liên kết tài khoản Zalo
          của bạn với hồ sơ đoàn viên (thẻ đoàn viên, điểm danh, phúc lợi, thông báo).
        </p>
        <p>
          Dữ liệu được xử lý theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân: không dùng cho mục đích khác, không
          chia sẻ cho bên thứ ba. Bạn có quyền yêu cầu xem hoặc xoá dữ liệu của mình bất cứ lúc nào, bằng cách liên hệ cán
          bộ công đoàn cơ sở hoặc nhắn tin cho Official Account của Công đoàn.
        </p>
      </section>

      <section className="panel">
        <h2 className="panel__title">Cách 1: Dùng số điện thoại Zalo</h2>
        <p className="muted">Zalo sẽ hỏi bạn có đồng ý chia sẻ số điện thoại với ứng dụng Công đoàn không.</p>
        <button
          type="button"
          className="btn btn--primary btn--block"
          onClick={sharePhone}
          disabled={busy !== null}
          data-testid="link-phone"
        >
          {busy === 'phone' ? 'Đang xác nhận…' : 'Chia sẻ số điện thoại Zalo'}
        </button>
        {error?.via === 'phone' && <LinkError text={error.text} />}
      </section>

      <section className="panel">
        <h2 className="panel__title">Cách 2: Dùng mã đoàn viên và ngày sinh</h2>
        <form onSubmit={submitCode} noValidate>
          <label className="field-label" htmlFor="link-member-code">
            Mã đoàn viên
          </label>
          <input
            id="link-member-code"
            className={`text-input ${fieldErrors.memberCode ? 'is-invalid' : ''}`}
            value={memberCode}
            onChange={(e) => setMemberCode(e.target.value)}
            placeholder="Ví dụ: CD000123"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            aria-invalid={!!fieldErrors.memberCode}
            aria-describedby={fieldErrors.memberCode ? 'link-member-code-error' : undefined}
            data-testid="link-member-code"
          />
          {fieldErrors.memberCode && (
            <p id="link-member-code-error" className="field-error">
              {fieldErrors.memberCode}
            </p>
          )}

          <label className="field-label" htmlFor="link-dob">
            Ngày sinh
          </label>
          <input
            id="link-dob"
            className={`text-input ${fieldErrors.dob ? 'is-invalid' : ''}`}
            value={dob}
            onChange={(e) => setDob(autoSlashDate(e.target.value, dob))}
            placeholder="dd/mm/yyyy"
            inputMode="numeric"
            autoComplete="bday"
            maxLength={10}
            aria-invalid={!!fieldErrors.dob}
            aria-describedby={fieldErrors.dob ? 'link-dob-error' : 'link-dob-help'}
            data-testid="link-dob"
          />
          {fieldErrors.dob ? (
            <p id="link-dob-error" className="field-error">
              {fieldErrors.dob}
            </p>
          ) : (
            <p id="link-dob-help" className="field-help">
              Ngày/tháng/năm, ví dụ 07/05/1990
            </p>
          )}

          {error?.via === 'code' && <LinkError text={error.text} />}
          <button type="submit" className="btn btn--primary btn--block" disabled={busy !== null} data-testid="link-submit">
            {busy === 'code' ? 'Đang xác nhận…' : 'Liên kết'}
          </button>
        </form>
      </section>
    </Page>
  );
}

function LinkError({ text }: { text: string }) {
  return (
    <p className="form-error" role="alert" data-testid="link-error">
      {text}
    </p>
  );
}
