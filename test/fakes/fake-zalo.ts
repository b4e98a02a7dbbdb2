/**
 * A fake Zalo on a real HTTP port (127.0.0.1, random): OAuth v4 (single-use refresh tokens), the OA
 * Open API (send cs/transaction/promotion, user detail, tags, upload), graph.zalo.me (/v2.0/me,
 * /v2.0/me/info), scriptable faults (failures, rate cap, per-user refusals, latency), and a webhook
 * emitter that signs events like Zalo does. Point all three base URLs (openapi, oauth, graph) at `url`.
 *
 *   const zalo = await startFakeZalo();
 *   const client = createZaloClient({ openapiUrl: zalo.url, oauthUrl: zalo.url, graphUrl: zalo.url,
 *     appId: zalo.appId, appSecret: zalo.appSecret, tokens });
 *   await zalo.postWebhook(`${appUrl}/webhook/zalo`, zalo.buildEvent.text('3368637342326461234', 'xin chào'));
 *   expect(zalo.sentTo('3368637342326461234')[0].text).toMatch(/chào/);
 *
 * Independent of shared/zalo on purpose (it computes signatures and validates bodies itself), so it
 * can catch mistakes in the client instead of mirroring them.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

// ---------------------------------------------------------------------------------------------
// Public types

export type FakeMessageKind = 'cs' | 'transaction' | 'promotion';

export interface SentMessage {
  kind: FakeMessageKind;
  userId: string;
  /** The `message` object exactly as received. */
  message: Record<string, any>;
  /** message.text when the message has one (convenience for assertions). */
  text?: string;
  messageId: string;
  at: Date;
}

export interface OAuthCall {
  grantType: string;
  /** The refresh token (or code) presented. */
  presented: string;
  ok: boolean;
  at: Date;
}

export interface FakeUser {
  userId: string;
  appUserId: string;
  name: string;
  isFollower: boolean;
  phone?: string;
  tags: Set<string>;
}

export interface FakeFaults {
  /** 0..1: share of message sends answered with a failure before anything is recorded. */
  failRate: number;
  /** How failRate failures look: HTTP 503, a `{error:-500}` body, or either at random. */
  failMode: 'http503' | 'error' | 'mixed';
  /** Accepted sends per sliding second; beyond it sends get `{error:-32}`. 0 = no cap. */
  rateCapPerSec: number;
  /** Users whose sends are refused with -230 (no interaction in 7 days). */
  permanentFor: Set<string>;
  /** Any other per-user refusal code, e.g. errorFor.set(userId, -213). */
  errorFor: Map<string, number>;
  /** Codes answered to the next message sends, one each, in order (e.g. [-216] or [-32, -32]). */
  nextSendErrors: number[];
  /** Delay before answering any request. */
  latencyMs: number;
  /** Emit long ids unquoted in JSON answers (what a careless Zalo serializer could do). */
  bareIds: boolean;
}

export interface FakeZaloOptions {
  appId?: string;
  appSecret?: string;
  oaSecretKey?: string;
  oaId?: string;
  /** expires_in of issued access tokens, seconds. Default 90000 (25 h), as Zalo. */
  accessTokenTtlSec?: number;
  /** Max text length of a message. Default 2000. */
  textLimit?: number;
  /** Refuse sends/profile for users not added with addUser. Default false (any id is a follower). */
  strictUsers?: boolean;
  initialTokens?: { accessToken: string; refreshToken: string };
}

export interface WebhookPostOptions {
  /** Secret used to sign (default: the fake's oaSecretKey). */
  secret?: string;
  /** Break the request after signing: change the body, the timestamp in the body, or the signature. */
  tamper?: boolean | 'body' | 'timestamp' | 'signature';
  /** false = send no signature header at all. */
  sign?: boolean;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface WebhookPostResult {
  status: number;
  body: string;
  ms: number;
  /** The exact raw body that was sent. */
  raw: string;
}

export interface FakeZalo {
  url: string;
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  oaId: string;
  /** Accepted messages, in arrival order. */
  sent: SentMessage[];
  sentTo(userId: string): SentMessage[];
  /** Resolves once `count` messages were accepted (for `userId` if given); rejects after timeoutMs. */
  waitForSent(count: number, opts?: { userId?: string; timeoutMs?: number }): Promise<SentMessage[]>;
  onSent(listener: (m: SentMessage) => void): () => void;
  oauthCalls: OAuthCall[];
  /** Requests received per "METHOD /path" (including refused ones). */
  callCount(path: string, method?: string): number;
  setAccessToken(accessToken: string, refreshToken?: string): void;
  /** The current access token stops working (-216); the refresh token still works. */
  expireAccessToken(): void;
  currentTokens(): { accessToken: string; refreshToken: string };
  addAuthCode(code: string): void;
  addUser(user: { userId: string; appUserId?: string; name?: string; isFollower?: boolean; phone?: string }): FakeUser;
  getUser(userId: string): FakeUser | undefined;
  addMiniAppToken(token: string, user: { id: string; name?: string; userIdByOa?: string; picture?: string }): void;
  /** A phone token as returned by the mini-app's getPhoneNumber (single use). */
  addPhoneToken(code: string, phone: string): void;
  uploads: { attachmentId: string; filename: string; contentType: string; size: number }[];
  faults: FakeFaults;
  /** Highest number of accepted sends in any sliding one-second window. */
  peakPerSecond(): number;
  /** Clears recordings (sent, oauthCalls, counts, uploads) and faults; keeps users and tokens. */
  reset(): void;
  buildEvent: EventBuilder;
  signEvent(raw: string, secret?: string): string;
  postWebhook(targetUrl: string, event: object | string, opts?: WebhookPostOptions): Promise<WebhookPostResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Webhook events

export const FAKE_APP_ID = '2718281828459045235';
export const FAKE_OA_ID = '1414213562373095048';

export interface EventOpts {
  msgId?: string;
  appId?: string;
  oaId?: string;
  ts?: number | string;
  userIdByApp?: string;
}

export type FakeEvent = Record<string, any>;

export interface EventBuilder {
  text(userId: string, text: string, o?: EventOpts): FakeEvent;
  image(userId: string, url: string, o?: EventOpts): FakeEvent;
  attachments(userId: string, eventName: string, attachments: { type: string; payload: object }[], o?: EventOpts): FakeEvent;
  follow(userId: string, o?: EventOpts & { source?: string }): FakeEvent;
  unfollow(userId: string, o?: EventOpts): FakeEvent;
  submitInfo(
    userId: string,
    info: { phone?: string; name?: string; address?: string; city?: string; district?: string; ward?: string },
    o?: EventOpts,
  ): FakeEvent;
  received(userId: string, msgId: string, o?: EventOpts): FakeEvent;
  seen(userId: string, msgIds: string[], o?: EventOpts): FakeEvent;
  clickChatNow(userId: string, o?: EventOpts): FakeEvent;
  reacted(userId: string, msgId: string, icon?: string, o?: EventOpts): FakeEvent;
  /** Any event name with extra fields, e.g. unknown('user_withdraw', {...}). */
  custom(eventName: string, fields?: Record<string, unknown>, o?: EventOpts): FakeEvent;
}

const randomMsgId = () => crypto.randomBytes(12).toString('hex');

/** The user's app-scoped id: a stable, different long id derived from the OA-scoped one. */
export function deriveAppUserId(userId: string): string {
  const h = crypto.createHash('sha256').update('app:' + userId).digest();
  return (BigInt('0x' + h.subarray(0, 8).toString('hex')) % 9_000_000_000_000_000_000n + 1_000_000_000_000_000_000n).toString();
}

export function createEventBuilder(defaults: {
  appId?: string;
  oaId?: string;
  appUserIdOf?: (userId: string) => string | undefined;
} = {}): EventBuilder {
  const base = (o: EventOpts | undefined, userId: string) => ({
    app_id: o?.appId ?? defaults.appId ?? FAKE_APP_ID,
    user_id_by_app: o?.userIdByApp ?? defaults.appUserIdOf?.(userId) ?? deriveAppUserId(userId),
    timestamp: String(o?.ts ?? Date.now()),
  });
  const oa = (o?: EventOpts) => o?.oaId ?? defaults.oaId ?? FAKE_OA_ID;
  const fromUser = (userId: string, o?: EventOpts) => ({ sender: { id: userId }, recipient: { id: oa(o) } });
  const toUser = (userId: string, o?: EventOpts) => ({ sender: { id: oa(o) }, recipient: { id: userId } });

  const attachments: EventBuilder['attachments'] = (userId, eventName, list, o) => ({
    ...base(o, userId),
    event_name: eventName,
    ...fromUser(userId, o),
    message: { msg_id: o?.msgId ?? randomMsgId(), attachments: list },
  });

  return {
    text: (userId, text, o) => ({
      ...base(o, userId),
      event_name: 'user_send_text',
      ...fromUser(userId, o),
      message: { msg_id: o?.msgId ?? randomMsgId(), text },
    }),
    image: (userId, url, o) =>
      attachments(userId, 'user_send_image', [{ type: 'image', payload: { url, thumbnail: url } }], o),
    attachments,
    follow: (userId, o) => ({
      ...base(o, userId),
      oa_id: oa(o),
      event_name: 'follow',
      source: o?.source ?? 'oa_profile',
      follower: { id: userId },
    }),
    unfollow: (userId, o) => ({
      ...base(o, userId),
      oa_id: oa(o),
      event_name: 'unfollow',
      source: 'oa_profile',
      follower: { id: userId },
    }),
    submitInfo: (userId, info, o) => ({
      ...base(o, userId),
      event_name: 'user_submit_info',
      ...fromUser(userId, o),
      info: { address: '', city: '', district: '', ward: '', name: '', phone: '', ...info },
    }),
    received: (userId, msgId, o) => ({
      ...base(o, userId),
      event_name: 'user_received_message',
      ...toUser(userId, o),
      message: { msg_id: msgId, delivery_time: String(o?.ts ?? Date.now()) },
    }),
    seen: (userId, msgIds, o) => ({
      ...base(o, userId),
      event_name: 'user_seen_message',
      ...toUser(userId, o),
      message: { msg_ids: msgIds },
    }),
    clickChatNow: (userId, o) => ({
      ...base(o, userId),
      oa_id: oa(o),
      event_name: 'user_click_chatnow',
      ...fromUser(userId, o),
    }),
    reacted: (userId, msgId, icon = '/-heart', o) => ({
      ...base(o, userId),
      event_name: 'user_reacted_message',
      ...fromUser(userId, o),
      message: { msg_id: msgId, react_icon: icon },
    }),
    custom: (eventName, fields = {}, o) => ({
      app_id: o?.appId ?? defaults.appId ?? FAKE_APP_ID,
      timestamp: String(o?.ts ?? Date.now()),
      event_name: eventName,
      ...fields,
    }),
  };
}

/** Builder with the default app/OA ids; a started fake has its own (`zalo.buildEvent`). */
export const buildEvent = createEventBuilder();

/** Reads a top-level string-or-number field from raw JSON text exactly as written. */
function rawField(raw: string, field: string): string {
  const m = new RegExp(`"${field}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?\\d+))`).exec(raw);
  return m ? (m[1] ?? m[2]) : '';
}

/** `mac=` + sha256(app_id + raw + timestamp + secret), app_id and timestamp read from raw. */
export function signEvent(raw: string, secret: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(rawField(raw, 'app_id') + raw + rawField(raw, 'timestamp') + secret, 'utf8');
  return 'mac=' + hash.digest('hex');
}

export async function postSignedWebhook(
  targetUrl: string,
  event: object | string,
  secret: string,
  opts: WebhookPostOptions = {},
): Promise<WebhookPostResult> {
  let raw = typeof event === 'string' ? event : JSON.stringify(event);
  let signature = signEvent(raw, opts.secret ?? secret);
  const tamper = opts.tamper === true ? 'body' : opts.tamper;
  if (tamper === 'body') {
    raw = raw.replace(/"text"\s*:\s*"/, '"text":"(sửa) ');
    if (raw === (typeof event === 'string' ? event : JSON.stringify(event))) raw = raw.replace(/}\s*$/, ',"x":1}');
  } else if (tamper === 'timestamp') {
    raw = raw.replace(/"timestamp"\s*:\s*"?(\d+)"?/, (_m, ts: string) => `"timestamp":"${BigInt(ts) + 1n}"`);
  } else if (tamper === 'signature') {
    const last = signature.slice(-1);
    signature = signature.slice(0, -1) + (last === '0' ? '1' : '0');
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.sign !== false) headers['x-zevent-signature'] = signature;
  const started = performance.now();
  const res = await fetch(targetUrl, {
    method: 'POST',
    headers,
    body: raw,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started, raw };
}

// ---------------------------------------------------------------------------------------------
// Server

const ok = (data?: unknown) => (data === undefined ? { error: 0, message: 'Success' } : { error: 0, message: 'Success', data });
const fail = (error: number, message: string) => ({ error, message });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const token = (prefix: string) => `${prefix}-${crypto.randomBytes(18).toString('base64url')}`;

function defaultFaults(): FakeFaults {
  return {
    failRate: 0,
    failMode: 'mixed',
    rateCapPerSec: 0,
    permanentFor: new Set(),
    errorFor: new Map(),
    nextSendErrors: [],
    latencyMs: 0,
    bareIds: false,
  };
}

/** Minimal multipart/form-data reader: returns the named part. */
function readMultipartPart(body: Buffer, contentType: string, name: string) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return null;
  const delim = Buffer.from('--' + (boundary[1] ?? boundary[2]).trim());
  let pos = body.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length + 2; // skip CRLF
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    const part = body.subarray(start, next - 2); // strip CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const nameMatch = /name="([^"]*)"/i.exec(head);
      if (nameMatch && nameMatch[1] === name) {
        return {
          filename: /filename="([^"]*)"/i.exec(head)?.[1] ?? '',
          contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? 'application/octet-stream',
          data: part.subarray(headerEnd + 4),
        };
      }
    }
    pos = next;
  }
  return null;
}

const MESSAGE_KINDS = new Set(['cs', 'transaction', 'promotion']);
const TEMPLATE_TYPES = new Set([
  'media',
  'request_user_info',
  'promotion',
  'transaction_order',
  'transaction_booking',
  'transaction_billing',
  'transaction_account',
  'transaction_transport',
  'transaction_partnership',
  'transaction_event',
]);
const BUTTON_TYPES = new Set(['oa.open.url', 'oa.query.show', 'oa.query.hide', 'oa.open.phone', 'oa.open.sms']);

/** Envelope checks Zalo would answer with -201; returns a reason or null. */
function invalidMessage(body: any): string | null {
  if (!body || typeof body !== 'object') return 'body is not an object';
  const r = body.recipient;
  const hasRecipient =
    r && typeof r === 'object' && ((typeof r.user_id === 'string' && r.user_id) || (typeof r.message_id === 'string' && r.message_id));
  if (!hasRecipient) return 'recipient.user_id missing';
  const m = body.message;
  if (!m || typeof m !== 'object') return 'message missing';
  const hasText = typeof m.text === 'string' && m.text.length > 0;
  if (m.text !== undefined && typeof m.text !== 'string') return 'message.text is not a string';
  if (!hasText && !m.attachment) return 'message needs text or attachment';
  if (m.attachment !== undefined) {
    const a = m.attachment;
    if (!a || typeof a !== 'object' || typeof a.type !== 'string') return 'attachment.type missing';
    if (a.type === 'template') {
      const p = a.payload;
      if (!p || typeof p !== 'object') return 'attachment.payload missing';
      if (p.template_type !== undefined && !TEMPLATE_TYPES.has(p.template_type)) return 'unknown template_type';
      if (p.template_type === undefined && !Array.isArray(p.buttons)) return 'template without template_type needs buttons';
      if (p.template_type !== undefined && (!Array.isArray(p.elements) || p.elements.length === 0)) return 'elements missing';
      if (p.template_type === 'request_user_info' && p.elements.length !== 1) return 'request_user_info needs one element';
      if (p.buttons !== undefined) {
        if (!Array.isArray(p.buttons) || p.buttons.length === 0 || p.buttons.length > 5) return 'buttons: 1..5';
        for (const b of p.buttons) {
          if (!b || typeof b.title !== 'string' || !b.title || b.title.length > 100) return 'button title: 1..100 chars';
          if (!BUTTON_TYPES.has(b.type)) return 'unknown button type';
          if (b.payload === undefined) return 'button payload missing';
        }
      }
    } else if (a.type === 'file') {
      if (!a.payload?.token) return 'file token missing';
    } else {
      return 'unknown attachment type';
    }
  }
  return null;
}

export async function startFakeZalo(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
  const appId = opts.appId ?? FAKE_APP_ID;
  const appSecret = opts.appSecret ?? 'fake-app-secret-' + crypto.randomBytes(6).toString('hex');
  const oaSecretKey = opts.oaSecretKey ?? 'fake-oa-secret-' + crypto.randomBytes(6).toString('hex');
  const oaId = opts.oaId ?? FAKE_OA_ID;
  const ttlSec = opts.accessTokenTtlSec ?? 90000;
  const textLimit = opts.textLimit ?? 2000;

  let accessToken = opts.initialTokens?.accessToken ?? token('fake-at');
  let refreshToken = opts.initialTokens?.refreshToken ?? token('fake-rt');
  let accessExpiresAt = Date.now() + ttlSec * 1000;
  let accessRevoked = false;
  const authCodes = new Set<string>();
  const users = new Map<string, FakeUser>();
  const miniAppTokens = new Map<string, { id: string; name?: string; userIdByOa?: string; picture?: string }>();
  const phoneTokens = new Map<string, { phone: string; expiresAt: number }>();
  const counts = new Map<string, number>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let sentTimes: number[] = [];
  let windowTimes: number[] = [];

  const fake = {} as FakeZalo;
  fake.sent = [];
  fake.oauthCalls = [];
  fake.uploads = [];
  fake.faults = defaultFaults();

  const send = (res: Response, payload: unknown, status = 200) => {
    let json = JSON.stringify(payload);
    if (fake.faults.bareIds) json = json.replace(/"((?:[a-z]+_)*ids?(?:_[a-z]+)*)":"(\d{16,})"/g, '"$1":$2');
    res.status(status).type('application/json').send(json);
  };
  const issuePair = () => {
    accessToken = token('fake-at');
    refreshToken = token('fake-rt');
    accessExpiresAt = Date.now() + ttlSec * 1000;
    accessRevoked = false;
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: String(ttlSec) };
  };
  const accessOk = (req: Request) =>
    req.get('access_token') === accessToken && !accessRevoked && Date.now() < accessExpiresAt;
  const lookupUser = (userId: string): FakeUser | undefined => {
    const u = users.get(userId);
    if (u || opts.strictUsers) return u;
    return { userId, appUserId: deriveAppUserId(userId), name: `Người dùng ${userId.slice(-4)}`, isFollower: true, tags: new Set() };
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(async (req, _res, next) => {
    const key = `${req.method} ${req.path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (fake.faults.latencyMs > 0) await sleep(fake.faults.latencyMs);
    next();
  });

  // --- OAuth v4 ------------------------------------------------------------------------------
  app.post('/v4/oa/access_token', express.urlencoded({ extended: false }), (req, res) => {
    const b = (req.body ?? {}) as Record<string, string>;
    const grantType = b.grant_type ?? '';
    const presented = grantType === 'authorization_code' ? (b.code ?? '') : (b.refresh_token ?? '');
    const record = (isOk: boolean) => fake.oauthCalls.push({ grantType, presented, ok: isOk, at: new Date() });
    const refuse = (error: number, name: string, description: string) => {
      record(false);
      send(res, { error, error_name: name, error_description: description });
    };
    if (req.get('secret_key') !== appSecret) return refuse(-14002, 'Invalid secret key', 'secret_key is invalid');
    if (b.app_id !== appId) return refuse(-14001, 'Invalid app id', 'app_id is invalid');
    if (grantType === 'refresh_token') {
      if (!b.refresh_token || b.refresh_token !== refreshToken) {
        return refuse(-14014, 'Invalid refresh token', 'Refresh token is invalid or has been used');
      }
      record(true);
      return send(res, issuePair());
    }
    if (grantType === 'authorization_code') {
      if (!b.code || !authCodes.delete(b.code)) return refuse(-14019, 'Invalid code', 'Authorization code is invalid');
      record(true);
      return send(res, issuePair());
    }
    return refuse(-14003, 'Invalid parameter', 'grant_type is invalid');
  });

  // --- Messages ------------------------------------------------------------------------------
  app.post('/v3.0/oa/message/:kind', express.json({ limit: '1mb' }), (req, res) => {
    const kind = String(req.params.kind);
    if (!MESSAGE_KINDS.has(kind)) return send(res, fail(-201, 'Parameters are invalid'));
    const f = fake.faults;
    if (f.failRate > 0 && Math.random() < f.failRate) {
      const as503 = f.failMode === 'http503' || (f.failMode === 'mixed' && Math.random() < 0.5);
      if (as503) return res.status(503).type('text/html').send('<html><body>503 Service Unavailable</body></html>');
      return send(res, fail(-500, 'Internal server error'));
    }
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    const now = Date.now();
    if (f.rateCapPerSec > 0) {
      while (windowTimes.length > 0 && now - windowTimes[0] >= 1000) windowTimes.shift();
      if (windowTimes.length >= f.rateCapPerSec) return send(res, fail(-32, 'Exceeded the rate limit'));
    }
    const scripted = f.nextSendErrors.shift();
    if (scripted !== undefined) return send(res, fail(scripted, `Scripted error ${scripted}`));
    const body = req.body as any;
    const reason = invalidMessage(body);
    if (reason) return send(res, fail(-201, `Parameters are invalid: ${reason}`));
    const message = body.message as Record<string, any>;
    if (typeof message.text === 'string' && message.text.length > textLimit) {
      return send(res, fail(-210, `Parameter exceeds the limit: text longer than ${textLimit}`));
    }
    const userId = String(body.recipient.user_id ?? body.recipient.message_id);
    const user = lookupUser(userId);
    if (!user) return send(res, fail(-201, 'user_id is invalid'));
    if (f.permanentFor.has(userId)) {
      return send(res, fail(-230, 'User has not interacted with the OA in the past 7 days'));
    }
    const code = f.errorFor.get(userId);
    if (code !== undefined) return send(res, fail(code, `Refused for this user (${code})`));
    if (!user.isFollower) return send(res, fail(-213, 'User has not followed the OA'));

    const messageId = crypto.randomBytes(16).toString('hex');
    const sent: SentMessage = {
      kind: kind as FakeMessageKind,
      userId,
      message,
      ...(typeof message.text === 'string' ? { text: message.text } : {}),
      messageId,
      at: new Date(now),
    };
    fake.sent.push(sent);
    sentTimes.push(now);
    if (f.rateCapPerSec > 0) windowTimes.push(now);
    emitter.emit('sent', sent);
    const quota = kind === 'cs' ? { quota: { quota_type: 'reply', remain: '7', total: '8' } } : {};
    return send(res, ok({ message_id: messageId, user_id: userId, ...quota }));
  });

  // --- Users and tags ------------------------------------------------------------------------
  app.get('/v3.0/oa/user/detail', (req, res) => {
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    let userId: string | undefined;
    try {
      userId = String(JSON.parse(String(req.query.data ?? '')).user_id ?? '') || undefined;
    } catch {
      userId = undefined;
    }
    if (!userId) return send(res, fail(-201, 'Parameters are invalid'));
    const u = lookupUser(userId);
    if (!u) return send(res, fail(-213, 'User has not followed the OA'));
    const avatar = `https://s240-ava-talk.zadn.vn/fake/${u.userId.slice(-6)}.jpg`;
    return send(
      res,
      ok({
        user_id: u.userId,
        user_id_by_app: u.appUserId,
        user_external_id: '',
        display_name: u.name,
        user_alias: '',
        is_sensitive: false,
        user_last_interaction_date: '01/01/2026',
        user_is_follower: u.isFollower,
        avatar,
        avatars: { '120': avatar, '240': avatar },
        tags_and_notes_info: { tag_names: [...u.tags], notes: [] },
        ...(u.phone ? { shared_info: { name: u.name, phone: u.phone, address: '', city: '', district: '' } } : {}),
      }),
    );
  });

  const tagRoute = (add: boolean) => (req: Request, res: Response) => {
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    const b = (req.body ?? {}) as { user_id?: unknown; tag_name?: unknown };
    if (typeof b.user_id !== 'string' || !b.user_id || typeof b.tag_name !== 'string' || !b.tag_name) {
      return send(res, fail(-201, 'Parameters are invalid'));
    }
    let u = users.get(b.user_id);
    if (!u) {
      const looked = lookupUser(b.user_id);
      if (!looked) return send(res, fail(-213, 'User has not followed the OA'));
      u = looked;
      users.set(u.userId, u);
    }
    if (add) u.tags.add(b.tag_name);
    else u.tags.delete(b.tag_name);
    return send(res, ok());
  };
  app.post('/v2.0/oa/tag/tagfollower', express.json(), tagRoute(true));
  app.post('/v2.0/oa/tag/rmfollowerfromtag', express.json(), tagRoute(false));
  app.get('/v2.0/oa/tag/gettagsofoa', (req, res) => {
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    const all = new Set<string>();
    for (const u of users.values()) for (const t of u.tags) all.add(t);
    return send(res, ok([...all]));
  });

  // --- Upload, OA info, quota ----------------------------------------------------------------
  app.post('/v2.0/oa/upload/image', express.raw({ type: 'multipart/form-data', limit: '10mb' }), (req, res) => {
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    const part = Buffer.isBuffer(req.body) ? readMultipartPart(req.body, req.get('content-type') ?? '', 'file') : null;
    if (!part || part.data.length === 0) return send(res, fail(-201, 'Parameters are invalid: file missing'));
    if (!/^image\/(jpeg|png|gif)$/.test(part.contentType)) return send(res, fail(-201, 'Only jpg/png/gif images'));
    if (part.data.length > 1024 * 1024) return send(res, fail(-210, 'Image larger than 1 MB'));
    const attachmentId = crypto.randomBytes(20).toString('base64url');
    fake.uploads.push({ attachmentId, filename: part.filename, contentType: part.contentType, size: part.data.length });
    return send(res, ok({ attachment_id: attachmentId }));
  });
  app.get('/v2.0/oa/getoa', (req, res) => {
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    return send(res, ok({ oa_id: oaId, name: 'Công đoàn (giả lập)', description: '', is_verified: true, num_follower: users.size }));
  });
  app.post('/v2.0/oa/quota/message', (req, res) => {
    if (!accessOk(req)) return send(res, fail(-216, 'Access token is invalid'));
    return send(res, ok({ remain: 1000, total: 1000 }));
  });

  // --- graph.zalo.me ---------------------------------------------------------------------------
  app.get('/v2.0/me', (req, res) => {
    const u = miniAppTokens.get(req.get('access_token') ?? '');
    if (!u) return send(res, fail(-501, 'Invalid access token'));
    const fields = new Set(String(req.query.fields ?? 'id,name').split(',').map((s) => s.trim()));
    const out: Record<string, unknown> = { id: u.id };
    if (fields.has('name') && u.name !== undefined) out.name = u.name;
    if (fields.has('user_id_by_oa') && u.userIdByOa !== undefined) out.user_id_by_oa = u.userIdByOa;
    if (fields.has('picture')) out.picture = { data: { url: u.picture ?? `https://s120-ava-talk.zadn.vn/fake/${u.id.slice(-6)}.jpg` } };
    return send(res, out);
  });
  app.get('/v2.0/me/info', (req, res) => {
    if (req.get('secret_key') !== appSecret) return send(res, fail(-14002, 'Invalid secret key'));
    if (!miniAppTokens.has(req.get('access_token') ?? '')) return send(res, fail(-501, 'Invalid access token'));
    const code = req.get('code') ?? '';
    const entry = phoneTokens.get(code);
    phoneTokens.delete(code);
    if (!entry || Date.now() > entry.expiresAt) return send(res, fail(-2002, 'Invalid or expired code'));
    return send(res, ok({ number: entry.phone }));
  });

  app.use((req, res) => send(res, fail(-404, `fake zalo: no route ${req.method} ${req.path}`), 404));

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    oaSecretKey,
    oaId,
    sentTo: (userId: string) => fake.sent.filter((m) => m.userId === userId),
    waitForSent: (count: number, o: { userId?: string; timeoutMs?: number } = {}) => {
      const matching = () => (o.userId ? fake.sentTo(o.userId) : fake.sent);
      if (matching().length >= count) return Promise.resolve(matching());
      return new Promise<SentMessage[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          emitter.off('sent', check);
          reject(new Error(`fake zalo: waited for ${count} messages${o.userId ? ` to ${o.userId}` : ''}, got ${matching().length}`));
        }, o.timeoutMs ?? 5000);
        function check() {
          if (matching().length >= count) {
            clearTimeout(timer);
            emitter.off('sent', check);
            resolve(matching());
          }
        }
        emitter.on('sent', check);
      });
    },
    onSent: (listener: (m: SentMessage) => void) => {
      emitter.on('sent', listener);
      return () => emitter.off('sent', listener);
    },
    callCount: (path: string, method = 'POST') => counts.get(`${method} ${path}`) ?? 0,
    setAccessToken: (at: string, rt?: string) => {
      accessToken = at;
      if (rt !== undefined) refreshToken = rt;
      accessExpiresAt = Date.now() + ttlSec * 1000;
      accessRevoked = false;
    },
    expireAccessToken: () => {
      accessRevoked = true;
    },
    currentTokens: () => ({ accessToken, refreshToken }),
    addAuthCode: (code: string) => {
      authCodes.add(code);
    },
    addUser: (u: { userId: string; appUserId?: string; name?: string; isFollower?: boolean; phone?: string }) => {
      const user: FakeUser = {
        userId: u.userId,
        appUserId: u.appUserId ?? deriveAppUserId(u.userId),
        name: u.name ?? `Người dùng ${u.userId.slice(-4)}`,
        isFollower: u.isFollower ?? true,
        phone: u.phone,
        tags: users.get(u.userId)?.tags ?? new Set(),
      };
      users.set(u.userId, user);
      return user;
    },
    getUser: (userId: string) => users.get(userId),
    addMiniAppToken: (t: string, u: { id: string; name?: string; userIdByOa?: string; picture?: string }) => {
      miniAppTokens.set(t, u);
    },
    addPhoneToken: (code: string, phone: string) => {
      phoneTokens.set(code, { phone, expiresAt: Date.now() + 2 * 60 * 1000 });
    },
    peakPerSecond: () => {
      let peak = 0;
      let lo = 0;
      for (let hi = 0; hi < sentTimes.length; hi++) {
        while (sentTimes[hi] - sentTimes[lo] >= 1000) lo++;
        peak = Math.max(peak, hi - lo + 1);
      }
      return peak;
    },
    reset: () => {
      fake.sent.length = 0;
      fake.oauthCalls.length = 0;
      fake.uploads.length = 0;
      counts.clear();
      sentTimes = [];
      windowTimes = [];
      Object.assign(fake.faults, defaultFaults());
    },
    buildEvent: createEventBuilder({ appId, oaId, appUserIdOf: (id) => users.get(id)?.appUserId }),
    signEvent: (raw: string, secret?: string) => signEvent(raw, secret ?? oaSecretKey),
    postWebhook: (targetUrl: string, event: object | string, o?: WebhookPostOptions) =>
      postSignedWebhook(targetUrl, event, oaSecretKey, o),
    close: async () => {
      emitter.removeAllListeners();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return fake;
}
