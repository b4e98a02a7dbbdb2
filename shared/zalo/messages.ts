/**
 * Builders for Open API v3 `message` objects, validated against the limits we know (2000-char text,
 * ≤ 5 buttons, titles ≤ 100 chars), and splitText for texts longer than one message.
 * Builders throw RangeError on input that Zalo would refuse: that is a bug in the caller.
 */
import type { z } from 'zod';
import {
  BUTTONS_MAX,
  buttonsMessageSchema,
  imageMessageSchema,
  requestUserInfoMessageSchema,
  templateMessageSchema,
  TEXT_MAX,
  textMessageSchema,
  zaloButtonSchema,
  type ButtonsMessage,
  type ImageMessage,
  type RequestUserInfoMessage,
  type TemplateElement,
  type TemplateMessage,
  type TextMessage,
  type TransactionTemplateType,
  type ZaloButton,
} from './types';

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const res = schema.safeParse(value);
  if (!res.success) {
    const first = res.error.issues[0];
    throw new RangeError(`invalid ${what}: ${first.path.join('.') || '(root)'} ${first.message}`);
  }
  return res.data;
}

export function textMessage(text: string): TextMessage {
  return check(textMessageSchema, { text }, 'text message');
}

/** Text with up to 5 buttons (see types.ts for the wire shape). */
export function buttonsMessage(text: string, buttons: ZaloButton[]): ButtonsMessage {
  if (buttons.length > BUTTONS_MAX) throw new RangeError(`invalid buttons message: at most ${BUTTONS_MAX} buttons`);
  return check(
    buttonsMessageSchema,
    { text, attachment: { type: 'template', payload: { buttons } } },
    'buttons message',
  );
}

/** Button helpers, so callers never spell the action strings. */
export const button = {
  /** The payload comes back as a visible user_send_text. */
  query: (title: string, payload: string): ZaloButton => check(zaloButtonSchema, { type: 'oa.query.show', title, payload }, 'button'),
  /** The payload comes back as a user_send_text hidden from the chat. */
  hiddenQuery: (title: string, payload: string): ZaloButton =>
    check(zaloButtonSchema, { type: 'oa.query.hide', title, payload }, 'button'),
  url: (title: string, url: string): ZaloButton => check(zaloButtonSchema, { type: 'oa.open.url', title, payload: { url } }, 'button'),
  phone: (title: string, phoneCode: string): ZaloButton =>
    check(zaloButtonSchema, { type: 'oa.open.phone', title, payload: { phone_code: phoneCode } }, 'button'),
};

/** An image by public URL, or by `{attachmentId}` from uploadImage; optional caption. */
export function imageMessage(image: string | { attachmentId: string }, text?: string): ImageMessage {
  const element =
    typeof image === 'string'
      ? { media_type: 'image', url: image }
      : { media_type: 'image', attachment_id: image.attachmentId };
  return check(
    imageMessageSchema,
    {
      ...(text !== undefined ? { text } : {}),
      attachment: { type: 'template', payload: { template_type: 'media', elements: [element] } },
    },
    'image message',
  );
}

/** Asks the user to share name/phone/address; the answer arrives as a `user_submit_info` event. */
export function requestUserInfoMessage(title: string, subtitle: string, imageUrl: string): RequestUserInfoMessage {
  return check(
    requestUserInfoMessageSchema,
    {
      attachment: {
        type: 'template',
        payload: { template_type: 'request_user_info', elements: [{ title, subtitle, image_url: imageUrl }] },
      },
    },
    'request_user_info message',
  );
}

export interface TemplateLine {
  key: string;
  value: string;
}

export interface TemplateMessageInput {
  /** Header line, e.g. "Đăng ký đã được duyệt". */
  title: string;
  /** Strings become one text paragraph (joined with <br>); {key, value} pairs become a table. */
  lines?: Array<string | TemplateLine>;
  buttons?: ZaloButton[];
  banner?: { imageUrl: string } | { attachmentId: string };
  language?: 'VI' | 'EN';
}

function templateElements(input: TemplateMessageInput): TemplateElement[] {
  const elements: TemplateElement[] = [];
  if (input.banner) {
    elements.push(
      'imageUrl' in input.banner
        ? { type: 'banner', image_url: input.banner.imageUrl }
        : { type: 'banner', attachment_id: input.banner.attachmentId },
    );
  }
  elements.push({ type: 'header', content: input.title, align: 'left' });
  const lines = input.lines ?? [];
  const texts = lines.filter((l): l is string => typeof l === 'string');
  const rows = lines.filter((l): l is TemplateLine => typeof l !== 'string');
  if (texts.length) elements.push({ type: 'text', content: texts.join('<br>'), align: 'left' });
  if (rows.length) elements.push({ type: 'table', content: rows.map((r) => ({ key: r.key, value: r.value })) });
  return elements;
}

function templateMessage(templateType: TransactionTemplateType | 'promotion', input: TemplateMessageInput): TemplateMessage {
  const payload = {
    template_type: templateType,
    language: input.language ?? 'VI',
    elements: templateElements(input),
    ...(input.buttons?.length ? { buttons: input.buttons } : {}),
  };
  return check(templateMessageSchema, { attachment: { type: 'template', payload } }, `${templateType} message`);
}

/** Personal notice (e.g. "registration approved"), sent on the `transaction` endpoint. */
export function transactionMessage(
  input: TemplateMessageInput & { templateType?: TransactionTemplateType },
): TemplateMessage {
  return templateMessage(input.templateType ?? 'transaction_order', input);
}

/** Proactive announcement to followers, sent on the `promotion` endpoint. */
export function promotionMessage(input: TemplateMessageInput): TemplateMessage {
  return templateMessage('promotion', input);
}

// ---------------------------------------------------------------------------------------------
// splitText

const PARAGRAPH = /\n[ \t]*\n\s*/g;
const LINE = /\n/g;
/** End of a sentence: . ! ? … (repeated), then closing quotes/brackets, then whitespace. */
const SENTENCE = /[.!?…]+["'”’»)\]]*(?=\s)/g;
const SPACE = /\s/g;

/** Last cut index c (prefix = text.slice(0, c)) with minCut < c ≤ limit, from the regex's matches. */
function lastCut(window: string, re: RegExp, limit: number, minCut: number, cutAtEnd: boolean): number {
  re.lastIndex = 0;
  let best = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(window)) !== null) {
    const cut = cutAtEnd ? m.index + m[0].length : m.index;
    if (cut > limit) break;
    if (cut > minCut) best = cut;
    if (m[0].length === 0) re.lastIndex++;
  }
  return best;
}

/**
 * Splits text into parts of at most `limit` UTF-16 units: at paragraph or line breaks, else sentence
 * ends, else whitespace; a word is cut only when it alone exceeds the limit. Whitespace at the cut
 * points is dropped; nothing else is lost and the order is kept. Empty/blank text gives [].
 */
export function splitText(text: string, limit: number = TEXT_MAX): string[] {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  const parts: string[] = [];
  let rest = text.trim();
  // A structural break is preferred only if it does not leave a part shorter than this.
  const minStructural = Math.floor(limit * 0.3);
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = lastCut(window, PARAGRAPH, limit, minStructural, false);
    if (cut < 0) cut = lastCut(window, LINE, limit, minStructural, false);
    if (cut < 0) cut = lastCut(window, SENTENCE, limit, minStructural, true);
    if (cut < 0) cut = lastCut(window, SPACE, limit, 0, false);
    if (cut < 0) {
      cut = limit;
      // Never split a surrogate pair (emoji).
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff && cut > 1) cut--;
    }
    const part = rest.slice(0, cut).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
