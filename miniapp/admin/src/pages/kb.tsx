// Hỏi đáp: knowledge-base editor, a "thử câu hỏi" box showing the matched entry and its score, and the
// questions the bot could not answer, each one click away from a new entry.
import { useMemo, useState } from 'react';
import { del, errorText, get, post, put } from '../lib/api';
import { useData } from '../hooks/use-data';
import { useAuth } from '../hooks/use-auth';
import type { KbEntry, KbTry } from '../lib/types';
import { fmtDateTime } from '../lib/format';
import { Badge, Card, Empty, ErrorBox, Loading, Notice, PageHead } from '../components/ui';

type Draft = Omit<KbEntry, 'id' | 'slug' | 'active' | 'variants' | 'keywords'> & { id?: number; variants: string; keywords: string };
const emptyDraft = (question = ''): Draft => ({ topic: '', question, variants: '', keywords: '', answer: '', citation: '', effectiveFrom: null, sourceUrl: null });
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();

export function KbPage() {
  const { can } = useAuth();
  const list = useData(() => get<{ items: KbEntry[] }>('/kb'), []);
  const stats = useData(() => get<{ top: { question: string; n: number }[]; unanswered: { id: number; question: string; score: number | null; at: string }[] }>('/kb/stats'), []);
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState<Draft | null>(null);
  const items = useMemo(() => {
    const f = fold(filter.trim());
    return (list.data?.items ?? []).filter((e) => e.active !== false && (!f || fold(`${e.topic} ${e.question} ${e.citation}`).includes(f)));
  }, [list.data, filter]);

  const edit = (e: KbEntry) =>
    setDraft({ id: e.id, topic: e.topic, question: e.question, variants: e.variants.join('\n'), keywords: e.keywords.join(', '), answer: e.answer, citation: e.citation, effectiveFrom: e.effectiveFrom, sourceUrl: e.sourceUrl });

  return (
    <div data-testid="page-kb">
      <PageHead
        title="Hỏi đáp"
        subtitle="Kho câu trả lời của trợ lý trên Zalo OA: pháp luật lao động, BHXH, chính sách công đoàn"
        actions={
          can('officer') && (
            <button className="btn btn--primary" onClick={() => setDraft(emptyDraft())} data-testid="kb-new">
              + Thêm mục mới
            </button>
          )
        }
      />
      <div className="grid grid--2-1">
        <div className="stack">
          {draft && <KbEditor draft={draft} onClose={() => setDraft(null)} onSaved={() => { setDraft(null); list.reload(); }} readOnly={!can('officer')} />}
          <Card title={`Các mục (${items.length})`} testId="kb-list">
            <input className="filters__search" placeholder="Lọc theo chủ đề, câu hỏi, điều luật…" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="kb-filter" />
            {list.loading && !list.data ? (
              <Loading />
            ) : items.length === 0 ? (
              <Empty>Không có mục nào.</Empty>
            ) : (
              <table className="table table--hover">
                <thead>
                  <tr>
                    <th>Chủ đề</th>
                    <th>Câu hỏi</th>
                    <th>Căn cứ</th>
                  </tr>
                </thead>
                <tbody>
                  {items.slice(0, 200).map((e) => (
                    <tr key={e.id} className="clickable" onClick={() => edit(e)} data-testid={`kb-row-${e.id}`}>
                      <td>
                        <Badge tone="info">{e.topic}</Badge>
                      </td>
                      <td>{e.question}</td>
                      <td className="small muted">{e.citation}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
        <div className="stack">
          <TryBox />
          <Card title="Câu hỏi chưa trả lời được (30 ngày)" testId="kb-unanswered">
            {stats.data && stats.data.unanswered.length === 0 && <Empty>Không có.</Empty>}
            <ul className="list list--actions">
              {stats.data?.unanswered.map((q) => (
                <li key={q.id}>
                  <div>
                    <div>{q.question}</div>
                    <div className="small muted">{fmtDateTime(q.at)}</div>
                  </div>
                  {can('officer') && (
                    <button className="btn btn--ghost btn--sm" onClick={() => setDraft(emptyDraft(q.question))} data-testid="kb-create-from-unanswered">
                      Tạo mục mới
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </div>
  );
}

function TryBox() {
  const [q, setQ] = useState('');
  const [res, setRes] = useState<KbTry | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setError(null);
    try {
      setRes(await post<KbTry>('/kb/try', { question: q }));
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <Card title="Thử câu hỏi" testId="kb-try">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <input className="grow" value={q} onChange={(e) => setQ(e.target.value)} placeholder="VD: nghi thai san duoc may thang" data-testid="kb-try-input" />
        <button className="btn btn--primary" disabled={!q.trim()} data-testid="kb-try-submit">
          Thử
        </button>
      </form>
      <ErrorBox>{error}</ErrorBox>
      {res && (
        <div data-testid="kb-try-result" data-kind={res.kind}>
          <p>
            <Badge tone={res.kind === 'answer' ? 'ok' : 'warn'}>{res.kind === 'answer' ? 'Trả lời được' : 'Chưa chắc chắn'}</Badge>
          </p>
          <div className="zalo-preview__bubble zalo-preview__bubble--plain">{res.text}</div>
          <h3 className="h3">Mục khớp nhất</h3>
          <ol className="list">
            {res.hits.map((h) => (
              <li key={h.id} data-testid="kb-try-hit">
                {h.question} <span className="muted small">(điểm {h.score.toFixed(2)})</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
  );
}

function KbEditor({ draft: initial, onClose, onSaved, readOnly }: { draft: Draft; onClose(): void; onSaved(): void; readOnly: boolean }) {
  const [d, setD] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });

  async function save() {
    setBusy(true);
    setError(null);
    const body = {
      topic: d.topic,
      question: d.question,
      variants: d.variants.split('\n').map((s) => s.trim()).filter(Boolean),
      keywords: d.keywords.split(',').map((s) => s.trim()).filter(Boolean),
      answer: d.answer,
      citation: d.citation,
      effectiveFrom: d.effectiveFrom || null,
      sourceUrl: d.sourceUrl || null,
    };
    try {
      if (d.id) await put(`/kb/${d.id}`, body);
      else await post('/kb', body);
      onSaved();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!d.id || !window.confirm('Ẩn mục này khỏi trợ lý?')) return;
    try {
      await del(`/kb/${d.id}`);
      onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <Card title={d.id ? 'Sửa mục hỏi đáp' : 'Mục hỏi đáp mới'} testId="kb-editor" actions={<button className="btn btn--ghost btn--sm" onClick={onClose}>Đóng</button>}>
      <fieldset className="form" disabled={readOnly}>
        <div className="grid grid--2">
          <label className="field">
            <span>Chủ đề</span>
            <input value={d.topic} onChange={set('topic')} placeholder="VD: BHXH" data-testid="kb-topic" />
          </label>
          <label className="field">
            <span>Căn cứ (luật, điều)</span>
            <input value={d.citation} onChange={set('citation')} placeholder="VD: Điều 139 Bộ luật Lao động 2019" data-testid="kb-citation" />
          </label>
        </div>
        <label className="field">
          <span>Câu hỏi</span>
          <input value={d.question} onChange={set('question')} data-testid="kb-question" />
        </label>
        <label className="field">
          <span>Cách hỏi khác (mỗi dòng một câu)</span>
          <textarea rows={3} value={d.variants} onChange={set('variants')} data-testid="kb-variants" />
        </label>
        <label className="field">
          <span>Từ khóa (cách nhau bởi dấu phẩy)</span>
          <input value={d.keywords} onChange={set('keywords')} data-testid="kb-keywords" />
        </label>
        <label className="field">
          <span>Câu trả lời</span>
          <textarea rows={6} value={d.answer} onChange={set('answer')} data-testid="kb-answer" />
        </label>
        <div className="grid grid--2">
          <label className="field">
            <span>Hiệu lực từ (YYYY-MM-DD)</span>
            <input value={d.effectiveFrom ?? ''} onChange={set('effectiveFrom')} placeholder="2021-01-01" />
          </label>
          <label className="field">
            <span>Nguồn (URL)</span>
            <input value={d.sourceUrl ?? ''} onChange={set('sourceUrl')} placeholder="https://…" />
          </label>
        </div>
        <ErrorBox testId="kb-error">{error}</ErrorBox>
        {!readOnly && (
          <div className="row">
            <button className="btn btn--primary" onClick={() => void save()} disabled={busy} data-testid="kb-save" type="button">
              Lưu
            </button>
            {d.id && (
              <button className="btn btn--danger-ghost" onClick={() => void remove()} type="button" data-testid="kb-delete">
                Ẩn mục này
              </button>
            )}
          </div>
        )}
        {readOnly && <Notice>Bạn chỉ có quyền xem.</Notice>}
      </fieldset>
    </Card>
  );
}
