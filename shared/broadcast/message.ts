/**
 * What a broadcast says to one member: `{ten}` / `{ma_doan_vien}` placeholders filled in, built as a
 * Zalo `promotion` template (header = title, text paragraph, optional banner and link button). Proactive
 * messages to followers go on the promotion endpoint; `cs` is only for replies inside the user's
 * interaction window (shared/zalo/OA_API.md §3.1).
 */
import { button, promotionMessage, type TemplateMessage, type ZaloButton } from '../zalo';
import type { BroadcastMessage } from '../db/schema';

/** Placeholders an officer may write in a broadcast's title or text. */
export const PLACEHOLDERS = ['ten', 'ma_doan_vien'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_RE = /\{([^{}\n]{0,40})\}/g;

/** Placeholders written in the text that we do not know (`{tên}`, `{ho_ten}`…), each once, as written. */
export function findUnknownPlaceholders(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1].trim())) out.add(`{${m[1]}}`);
  }
  return [...out];
}

export interface Recipient {
  fullName: string;
  memberCode: string;
}

/** Vietnamese names are written family-first: the given name is the last word ("Nguyễn Thị Lan" → "Lan"). */
export function givenName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : fullName.trim();
}

export function personalise(text: string, r: Recipient): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string) => {
    const key = name.trim();
    if (key === 'ten') return givenName(r.fullName) || r.fullName;
    if (key === 'ma_doan_vien') return r.memberCode;
    return whole;
  });
}

export const LINK_BUTTON_TITLE = 'Xem chi tiết';

/** The promotion-template message for one recipient. Throws RangeError on content Zalo would refuse. */
export function buildBroadcastMessage(m: BroadcastMessage, r: Recipient): TemplateMessage {
  const buttons: ZaloButton[] = [];
  if (m.linkUrl) buttons.push(button.url(LINK_BUTTON_TITLE, m.linkUrl));
  for (const b of m.buttons ?? []) buttons.push(b.hidden ? button.hiddenQuery(b.title, b.payload) : button.query(b.title, b.payload));
  const text = personalise(m.text, r).replace(/\r\n?/g, '\n');
  return promotionMessage({
    title: personalise(m.title, r),
    lines: text.split('\n'),
    ...(m.imageUrl ? { banner: { imageUrl: m.imageUrl } } : {}),
    ...(buttons.length ? { buttons } : {}),
  });
}
