/**
 * Zod schemas and types for what crosses the Zalo boundary: webhook events coming in (ids always
 * strings), and the message shapes we send (text, buttons, image, request_user_info, templates).
 */
import { z } from 'zod';

export { parseWebhookJson } from './json';

// ---------------------------------------------------------------------------------------------
// Building blocks

/** null → undefined, then optional: Zalo may send `null` for absent fields. */
const opt = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema.optional());

/** A Zalo id: always a string after parsing. Numbers are accepted (use parseWebhookJson to keep digits). */
export const zaloIdSchema = z
  .union([z.string().trim().min(1), z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((v) => (typeof v === 'number' && !Number.isSafeInteger(v) ? BigInt(v).toString() : String(v)));

/** Milliseconds since epoch as a string of digits. */
export const zaloTimestampSchema = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((v) => String(v));

/** A free string field that Zalo sometimes sends as a number (phone!). */
const looseText = z.union([z.string(), z.number()]).transform((v) => String(v));
const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

const partySchema = z.looseObject({ id: zaloIdSchema });

const envelope = {
  app_id: zaloIdSchema,
  timestamp: zaloTimestampSchema,
  user_id_by_app: opt(zaloIdSchema),
  oa_id: opt(zaloIdSchema),
};

/** Envelope plus sender/recipient: user → OA (user_*) or OA → user (receipts, echoes). */
const directed = { ...envelope, sender: partySchema, recipient: partySchema };

export const attachmentSchema = z.looseObject({
  type: z.string(),
  payload: z.preprocess(
    (v) => (v == null ? {} : v),
    z.looseObject({
      url: opt(z.string()),
      thumbnail: opt(z.string()),
      title: opt(z.string()),
      description: opt(z.string()),
      name: opt(z.string()),
      size: opt(looseText),
      id: opt(zaloIdSchema),
      coordinates: opt(z.looseObject({ latitude: numberLike, longitude: numberLike })),
    }),
  ),
});
export type ZaloAttachment = z.output<typeof attachmentSchema>;

// ---------------------------------------------------------------------------------------------
// Webhook events

export const ATTACHMENT_EVENT_NAMES = [
  'user_send_image',
  'user_send_link',
  'user_send_sticker',
  'user_send_file',
  'user_send_location',
  'user_send_audio',
  'user_send_video',
  'user_send_gif',
  'user_send_business_card',
] as const;

export const OA_ECHO_EVENT_NAMES = [
  'oa_send_text',
  'oa_send_image',
  'oa_send_list',
  'oa_send_gif',
  'oa_send_file',
  'oa_send_sticker',
] as const;

export const userSendTextSchema = z.looseObject({
  ...directed,
  event_name: z.literal('user_send_text'),
  message: z.looseObject({
    msg_id: zaloIdSchema,
    text: z.string(),
    quote_msg_id: opt(zaloIdSchema),
  }),
});

export const userSendAttachmentSchema = z.looseObject({
  ...directed,
  event_name: z.enum(ATTACHMENT_EVENT_NAMES),
  message: z.looseObject({
    msg_id: zaloIdSchema,
    text: opt(z.string()),
    attachments: z.preprocess((v) => (v == null ? [] : v), z.array(attachmentSchema)),
  }),
});

export const followSchema = z.looseObject({
  ...envelope,
  event_name: z.enum(['follow', 'unfollow']),
  follower: partySchema,
  source: opt(z.string()),
  sender: opt(partySchema),
  recipient: opt(partySchema),
});

export const userSubmitInfoSchema = z.looseObject({
  ...directed,
  event_name: z.literal('user_submit_info'),
  info: z.looseObject({
    name: opt(looseText),
    phone: opt(looseText),
    address: opt(looseText),
    city: opt(looseText),
    district: opt(looseText),
    ward: opt(looseText),
  }),
});

/** Delivery receipt: sender = OA, recipient = user, msg_id = the OA message delivered. */
export const userReceivedMessageSchema = z.looseObject({
  ...directed,
  event_name: z.literal('user_received_message'),
  message: z.looseObject({ msg_id: zaloIdSchema }),
});

/** Read receipt: sender = OA, recipient = user, msg_ids = OA messages seen. */
export const userSeenMessageSchema = z.looseObject({
  ...directed,
  event_name: z.literal('user_seen_message'),
  message: z.looseObject({ msg_ids: z.array(zaloIdSchema) }),
});

/** Payload shape unconfirmed: sender/recipient are optional, `user_id` is read as a fallback. */
export const userClickChatNowSchema = z.looseObject({
  ...envelope,
  event_name: z.literal('user_click_chatnow'),
  sender: opt(partySchema),
  recipient: opt(partySchema),
  user_id: opt(zaloIdSchema),
});

export const reactionSchema = z.looseObject({
  ...directed,
  event_name: z.enum(['user_reacted_message', 'oa_reacted_message']),
  message: z.looseObject({ msg_id: zaloIdSchema, react_icon: opt(z.string()) }),
});

/** Echo of a message the OA sent (from the API or the OA chat): sender = OA, recipient = user. */
export const oaSendEchoSchema = z.looseObject({
  ...directed,
  event_name: z.enum(OA_ECHO_EVENT_NAMES),
  message: z.looseObject({
    msg_id: zaloIdSchema,
    text: opt(z.string()),
    attachments: opt(z.array(attachmentSchema)),
  }),
});

export type UserSendTextEvent = z.output<typeof userSendTextSchema>;
export type UserSendAttachmentEvent = z.output<typeof userSendAttachmentSchema>;
export type FollowEvent = z.output<typeof followSchema>;
export type UserSubmitInfoEvent = z.output<typeof userSubmitInfoSchema>;
export type UserReceivedMessageEvent = z.output<typeof userReceivedMessageSchema>;
export type UserSeenMessageEvent = z.output<typeof userSeenMessageSchema>;
export type UserClickChatNowEvent = z.output<typeof userClickChatNowSchema>;
export type ReactionEvent = z.output<typeof reactionSchema>;
export type OaSendEchoEvent = z.output<typeof oaSendEchoSchema>;

/** Every event this module knows, discriminated by `event_name`. */
export type ZaloWebhookEvent =
  | UserSendTextEvent
  | UserSendAttachmentEvent
  | FollowEvent
  | UserSubmitInfoEvent
  | UserReceivedMessageEvent
  | UserSeenMessageEvent
  | UserClickChatNowEvent
  | ReactionEvent
  | OaSendEchoEvent;

export type ZaloEventName = ZaloWebhookEvent['event_name'];

/** An event we do not model: accepted (so Zalo gets its 200) and passed on as loose data. */
export const unknownEventSchema = z.looseObject({
  event_name: z.string().min(1),
  app_id: opt(zaloIdSchema),
  timestamp: opt(zaloTimestampSchema),
  user_id_by_app: opt(zaloIdSchema),
  oa_id: opt(zaloIdSchema),
  sender: opt(partySchema),
  recipient: opt(partySchema),
  follower: opt(partySchema),
  user_id: opt(zaloIdSchema),
  message: opt(z.looseObject({ msg_id: opt(zaloIdSchema) })),
});
export type UnknownWebhookEvent = z.output<typeof unknownEventSchema>;

function sameSchema<N extends string>(names: readonly N[], schema: z.ZodType): Record<N, z.ZodType> {
  const out = {} as Record<N, z.ZodType>;
  for (const n of names) out[n] = schema;
  return out;
}

const EVENT_SCHEMAS: Record<ZaloEventName, z.ZodType> = {
  user_send_text: userSendTextSchema,
  ...sameSchema(ATTACHMENT_EVENT_NAMES, userSendAttachmentSchema),
  follow: followSchema,
  unfollow: followSchema,
  user_submit_info: userSubmitInfoSchema,
  user_received_message: userReceivedMessageSchema,
  user_seen_message: userSeenMessageSchema,
  user_click_chatnow: userClickChatNowSchema,
  user_reacted_message: reactionSchema,
  oa_reacted_message: reactionSchema,
  ...sameSchema(OA_ECHO_EVENT_NAMES, oaSendEchoSchema),
};

export function isKnownEventName(name: string): name is ZaloEventName {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, name);
}

export interface WebhookIssue {
  path: string;
  message: string;
}

export type ParsedWebhookEvent =
  | { ok: true; known: true; event: ZaloWebhookEvent }
  | { ok: true; known: false; event: UnknownWebhookEvent }
  | { ok: false; issues: WebhookIssue[] };

const toIssues = (error: z.ZodError): WebhookIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/**
 * Validates a parsed webhook body. Unknown event names are accepted as `known: false`; a known
 * event that fails its schema is `ok: false`. Pass the result of parseWebhookJson(rawBody).
 */
export function parseWebhookEvent(json: unknown): ParsedWebhookEvent {
  const name =
    json && typeof json === 'object' && !Array.isArray(json) ? (json as { event_name?: unknown }).event_name : undefined;
  if (typeof name === 'string' && isKnownEventName(name)) {
    const res = EVENT_SCHEMAS[name].safeParse(json);
    return res.success ? { ok: true, known: true, event: res.data as ZaloWebhookEvent } : { ok: false, issues: toIssues(res.error) };
  }
  const res = unknownEventSchema.safeParse(json);
  return res.success ? { ok: true, known: false, event: res.data } : { ok: false, issues: toIssues(res.error) };
}

type AnyEvent = ZaloWebhookEvent | UnknownWebhookEvent;

/** Events where the OA is the sender and the user the recipient. */
const OA_TO_USER = new Set<string>(['user_received_message', 'user_seen_message', 'oa_reacted_message', ...OA_ECHO_EVENT_NAMES]);

/**
 * The (OA-scoped) Zalo user id the event is about: follower.id for follow/unfollow, recipient.id for
 * receipts and OA echoes, sender.id otherwise (then a top-level user_id, as in user_withdraw).
 * Null when the event carries none.
 */
export function eventUserId(event: AnyEvent): string | null {
  const e = event as UnknownWebhookEvent;
  if (e.event_name === 'follow' || e.event_name === 'unfollow') return e.follower?.id ?? null;
  if (OA_TO_USER.has(e.event_name) || e.event_name.startsWith('oa_')) return e.recipient?.id ?? null;
  return e.sender?.id ?? e.follower?.id ?? e.user_id ?? null;
}

/**
 * Stable key to drop Zalo's re-deliveries: `${event_name}:${msg_id}` when the event has a message id
 * (the event name is included because a receipt, an echo and a reaction can share the OA message's
 * msg_id), reactions add the timestamp (one message can be reacted to twice), otherwise
 * `${event_name}:${userId}:${timestamp}`.
 */
export function eventDedupeKey(event: AnyEvent): string {
  const e = event as UnknownWebhookEvent & { message?: { msg_id?: string } };
  const msgId = e.message?.msg_id;
  if (msgId) {
    if (e.event_name === 'user_reacted_message' || e.event_name === 'oa_reacted_message') {
      return `${e.event_name}:${msgId}:${e.timestamp ?? ''}`;
    }
    return `${e.event_name}:${msgId}`;
  }
  return `${e.event_name}:${eventUserId(event) ?? ''}:${e.timestamp ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// Outgoing messages (Open API v3 `message` objects)

export const BUTTON_TITLE_MAX = 100;
export const BUTTON_PAYLOAD_MAX = 1000;
export const BUTTONS_MAX = 5;
export const TEXT_MAX = 2000;

const buttonTitle = z.string().min(1).max(BUTTON_TITLE_MAX);
const imageIcon = { image_icon: z.string().optional() };

export const zaloButtonSchema = z.discriminatedUnion('type', [
  /** Tap sends `payload` back as a visible user_send_text. */
  z.object({ type: z.literal('oa.query.show'), title: buttonTitle, payload: z.string().min(1).max(BUTTON_PAYLOAD_MAX), ...imageIcon }),
  /** Tap sends `payload` back as a user_send_text hidden from the chat. */
  z.object({ type: z.literal('oa.query.hide'), title: buttonTitle, payload: z.string().min(1).max(BUTTON_PAYLOAD_MAX), ...imageIcon }),
  z.object({ type: z.literal('oa.open.url'), title: buttonTitle, payload: z.object({ url: z.string().url() }), ...imageIcon }),
  z.object({ type: z.literal('oa.open.phone'), title: buttonTitle, payload: z.object({ phone_code: z.string().min(1) }), ...imageIcon }),
]);
export type ZaloButton = z.infer<typeof zaloButtonSchema>;

export const textMessageSchema = z.object({ text: z.string().min(1).max(TEXT_MAX) });
export type TextMessage = z.infer<typeof textMessageSchema>;

/** Text with buttons: the v3 form seen in working code, a template attachment without template_type. */
export const buttonsMessageSchema = z.object({
  text: z.string().min(1).max(TEXT_MAX),
  attachment: z.object({
    type: z.literal('template'),
    payload: z.object({ buttons: z.array(zaloButtonSchema).min(1).max(BUTTONS_MAX) }),
  }),
});
export type ButtonsMessage = z.infer<typeof buttonsMessageSchema>;

const mediaImageElement = z.union([
  z.object({ media_type: z.literal('image'), url: z.string().url() }),
  z.object({ media_type: z.literal('image'), attachment_id: z.string().min(1) }),
]);

export const imageMessageSchema = z.object({
  text: z.string().min(1).max(TEXT_MAX).optional(),
  attachment: z.object({
    type: z.literal('template'),
    payload: z.object({ template_type: z.literal('media'), elements: z.tuple([mediaImageElement]) }),
  }),
});
export type ImageMessage = z.infer<typeof imageMessageSchema>;

export const requestUserInfoMessageSchema = z.object({
  attachment: z.object({
    type: z.literal('template'),
    payload: z.object({
      template_type: z.literal('request_user_info'),
      elements: z.tuple([
        z.object({ title: z.string().min(1).max(100), subtitle: z.string().max(500), image_url: z.string().url() }),
      ]),
    }),
  }),
});
export type RequestUserInfoMessage = z.infer<typeof requestUserInfoMessageSchema>;

export const templateAlignSchema = z.enum(['left', 'center', 'right']);
export const templateElementSchema = z.union([
  z.object({ type: z.literal('banner'), image_url: z.string().url() }),
  z.object({ type: z.literal('banner'), attachment_id: z.string().min(1) }),
  z.object({ type: z.literal('header'), content: z.string().min(1), align: templateAlignSchema.optional() }),
  z.object({ type: z.literal('text'), content: z.string().min(1), align: templateAlignSchema.optional() }),
  z.object({
    type: z.literal('table'),
    content: z.array(z.object({ key: z.string().min(1), value: z.string(), style: z.string().optional() })).min(1),
  }),
]);
export type TemplateElement = z.infer<typeof templateElementSchema>;

export const TRANSACTION_TEMPLATE_TYPES = [
  'transaction_order',
  'transaction_booking',
  'transaction_billing',
  'transaction_account',
  'transaction_transport',
  'transaction_partnership',
  'transaction_event',
] as const;
export type TransactionTemplateType = (typeof TRANSACTION_TEMPLATE_TYPES)[number];

/** transaction_* (personal notices, `transaction` endpoint) and promotion (`promotion` endpoint). */
export const templateMessageSchema = z.object({
  attachment: z.object({
    type: z.literal('template'),
    payload: z.object({
      template_type: z.enum([...TRANSACTION_TEMPLATE_TYPES, 'promotion']),
      language: z.enum(['VI', 'EN']),
      elements: z.array(templateElementSchema).min(1),
      buttons: z.array(zaloButtonSchema).max(BUTTONS_MAX).optional(),
    }),
  }),
});
export type TemplateMessage = z.infer<typeof templateMessageSchema>;

/** Any message the client sends; also usable to validate queue job data. */
export const zaloMessageSchema = z.union([
  buttonsMessageSchema,
  imageMessageSchema,
  requestUserInfoMessageSchema,
  templateMessageSchema,
  textMessageSchema,
]);
export type ZaloMessage = TextMessage | ButtonsMessage | ImageMessage | RequestUserInfoMessage | TemplateMessage;

/** `cs` replies inside the interaction window, `transaction` personal notices, `promotion` announcements. */
export type ZaloMessageKind = 'cs' | 'transaction' | 'promotion';
export const ZALO_MESSAGE_KINDS: readonly ZaloMessageKind[] = ['cs', 'transaction', 'promotion'];
