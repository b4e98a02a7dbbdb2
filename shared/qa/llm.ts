/**
 * Optional LLM rephrasing of a KB answer through an OpenAI-compatible `POST {baseUrl}/chat/completions`.
 * Grounded only in the retrieved entries; any error, timeout or empty reply returns null so the caller
 * falls back to the KB text. The citation is never taken from the model: the caller appends it from the KB.
 */
import { formatAnswerText, type QaAnswer } from './engine';
import type { KbEntry, KbSeedEntry } from './kb-schema';

export interface LlmConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Whole-request timeout (default 8000 ms). */
  timeoutMs?: number;
  /** Max tokens of the reply (default 400). */
  maxTokens?: number;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface LlmRephraser {
  rephrase(question: string, entries: ReadonlyArray<KbEntry | KbSeedEntry>): Promise<string | null>;
}

export const LLM_SYSTEM_PROMPT = [
  'Bạn là trợ lý hỏi đáp của Công đoàn Việt Nam trên Zalo, trả lời người lao động bằng tiếng Việt ngắn gọn, dễ hiểu, lịch sự.',
  'CHỈ được dùng thông tin có trong phần "TÀI LIỆU" bên dưới. Tuyệt đối không thêm con số, mức tiền, tỷ lệ, thời hạn, điều luật, tên văn bản hay bất kỳ sự kiện nào không có trong tài liệu.',
  'Nếu tài liệu không đủ để trả lời, hãy nói rõ là chưa có thông tin và gợi ý người hỏi gõ "Gặp cán bộ".',
  'Giữ nguyên mọi con số đúng như tài liệu. Không ghi phần căn cứ pháp lý (hệ thống sẽ tự thêm). Không quá 120 từ.',
].join('\n');

const MAX_ANSWER_CHARS = 1200;

function buildUserPrompt(question: string, entries: ReadonlyArray<KbEntry | KbSeedEntry>): string {
  const docs = entries
    .map((e, i) => `[${i + 1}] Câu hỏi: ${e.question}\nTrả lời: ${e.answer}`)
    .join('\n\n');
  return `TÀI LIỆU:\n${docs}\n\nCÂU HỎI CỦA NGƯỜI LAO ĐỘNG: ${question}`;
}

const DIGITS = /\d+(?:[.,]\d+)*/g;

/** Digits groups normalized (5.310.000 → 5310000) to compare numbers between texts. */
function numbersIn(text: string): Set<string> {
  return new Set((text.match(DIGITS) ?? []).map((n) => n.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '')));
}

/**
 * Rejects a reply that mentions a number absent from the grounding entries (a cheap guard against
 * invented figures on top of the prompt's instruction).
 */
export function hasOnlyGroundedNumbers(reply: string, entries: ReadonlyArray<KbEntry | KbSeedEntry>): boolean {
  const allowed = new Set<string>();
  for (const e of entries) for (const n of numbersIn(`${e.question} ${e.answer}`)) allowed.add(n);
  for (const n of numbersIn(reply)) if (!allowed.has(n)) return false;
  return true;
}

export function createLlmRephraser(config: LlmConfig, fetchImpl: FetchLike = fetch): LlmRephraser {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = config.timeoutMs ?? 8000;
  return {
    async rephrase(question, entries) {
      if (entries.length === 0) return null;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
        const res = await fetchImpl(url, {
          method: 'POST',
          headers,
          signal: controller.signal,
          body: JSON.stringify({
            model: config.model,
            temperature: 0.2,
            max_tokens: config.maxTokens ?? 400,
            messages: [
              { role: 'system', content: LLM_SYSTEM_PROMPT },
              { role: 'user', content: buildUserPrompt(question, entries) },
            ],
          }),
        });
        if (!res.ok) return null;
        const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
        const content = body?.choices?.[0]?.message?.content;
        if (typeof content !== 'string') return null;
        const text = content.trim();
        if (!text || text.length > MAX_ANSWER_CHARS) return null;
        if (!hasOnlyGroundedNumbers(text, entries)) return null;
        return text;
      } catch {
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Convenience for the bot: rephrase a confident answer with the LLM when one is configured, keeping
 * the KB citation/effective date and the hand-off line; on any failure the KB answer is returned as is.
 */
export async function rephraseAnswer(
  answer: QaAnswer,
  question: string,
  rephraser: LlmRephraser | null | undefined,
): Promise<QaAnswer> {
  if (!rephraser || answer.kind !== 'answer') return answer;
  const body = await rephraser.rephrase(question, [answer.entry]);
  if (!body) return answer;
  return { ...answer, text: formatAnswerText(answer.entry, { personalCase: answer.personalCase, body }) };
}
