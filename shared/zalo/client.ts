/**
 * Typed client for the Zalo OA Open API v3 (+ the v2 tag/upload endpoints), OAuth v4 token refresh and
 * the graph API used to verify mini-app users. Every answer is validated with zod; failures become
 * ZaloApiError (Zalo's negative `error` code) or ZaloHttpError (transport). An auth error on an OA
 * call refreshes the token once (through the TokenManager) and retries once; nothing else is retried
 * here, because a send is not idempotent — retry policy belongs to the caller (the broadcast worker).
 * Logs carry endpoint names, codes and ids only: never tokens, phone numbers or message text.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { z } from 'zod';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { ZaloApiError, ZaloHttpError } from './errors';
import { parseZaloJson } from './json';
import { splitText } from './messages';
import type { TokenManager, TokenPair } from './tokens';
import { tokenRefreshes, zaloErrors, zaloSends } from '../metrics';
import { TEXT_MAX, ZALO_MESSAGE_KINDS, type ZaloMessage, type ZaloMessageKind } from './types';

export interface ZaloClientOptions {
  /** e.g. https://openapi.zalo.me (no trailing slash needed). */
  openapiUrl: string;
  /** e.g. https://oauth.zaloapp.com */
  oauthUrl: string;
  /** e.g. https://graph.zalo.me */
  graphUrl: string;
  /** Needed for token refresh. */
  appId?: string;
  /** App secret key: token refresh and phone-token exchange. Not the OA secret key (webhooks). */
  appSecret?: string;
  tokens: TokenManager;
  logger?: Logger;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  clock?: Clock;
}

export interface SendResult {
  messageId: string;
  /** Zalo's quota info for this send when it reports one (shape not guaranteed). */
  quota: ZaloQuota | null;
}

export interface ZaloQuota {
  quotaType?: string;
  remain?: number;
  total?: number;
}

export interface ZaloUserProfile {
  /** OA-scoped id (webhook sender.id / follower.id). */
  userId: string;
  /** App-scoped id (equals the mini-app user id when OA and mini-app share the Zalo App). */
  userIdByApp: string | null;
  displayName: string;
  avatar: string | null;
  isFollower: boolean;
  isSensitive: boolean;
  /** As Zalo gives it (dd/MM/yyyy). */
  lastInteractionDate: string | null;
  tagNames: string[];
  /** Present once the user answered a request_user_info message. Personal data: do not log. */
  sharedInfo: ZaloSharedInfo | null;
}

export interface ZaloSharedInfo {
  name?: string;
  phone?: string;
  address?: string;
  city?: string;
  district?: string;
  ward?: string;
  dateOfBirth?: string;
}

export interface MiniAppUser {
  /** App-scoped user id: the trusted identity of the mini-app user. */
  id: string;
  name?: string;
  /** OA-scoped id, when Zalo links the mini-app to the OA and the user follows it. */
  userIdByOa?: string;
  picture?: string;
  isFollower?: boolean;
}

export interface ZaloClient {
  sendMessage(kind: ZaloMessageKind, userId: string, message: ZaloMessage): Promise<SendResult>;
  /** Sends a long text as ≤ 2000-char parts, in order; stops at the first failure. */
  sendText(userId: string, text: string, kind?: ZaloMessageKind): Promise<{ messageIds: string[] }>;
  getUserProfile(userId: string): Promise<ZaloUserProfile>;
  tagUser(userId: string, tagName: string): Promise<void>;
  untagUser(userId: string, tagName: string): Promise<void>;
  uploadImage(data: Buffer, filename: string, contentType?: string): Promise<{ attachmentId: string }>;
  getMiniAppUser(userAccessToken: string): Promise<MiniAppUser>;
  exchangePhoneToken(userAccessToken: string, phoneToken: string): Promise<string>;
  /** Refreshes the OA token pair now (e.g. a daily job so the refresh token never ages out). */
  refreshTokens(): Promise<void>;
  readonly tokens: TokenManager;
  /** Closes pooled keep-alive sockets. */
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// Response schemas

const codeSchema = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const idSchema = z.union([z.string().min(1), z.number()]).transform((v) => String(v));
const numberLike = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const nullable = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === null ? undefined : v), s.optional());

/** `{error, message, data}` envelope of openapi.zalo.me; a missing `error` counts as success. */
const envelopeSchema = z.looseObject({
  error: nullable(codeSchema),
  message: nullable(z.string()),
  data: z.unknown().optional(),
});

const sendDataSchema = z.looseObject({
  message_id: nullable(idSchema),
  user_id: nullable(idSchema),
  quota: z.unknown().optional(),
});

const quotaSchema = z.looseObject({
  quota_type: nullable(z.string()),
  remain: nullable(numberLike),
  total: nullable(numberLike),
});

const profileDataSchema = z.looseObject({
  user_id: idSchema,
  user_id_by_app: nullable(idSchema),
  display_name: nullable(z.string()),
  avatar: nullable(z.string()),
  avatars: nullable(z.record(z.string(), z.string())),
  user_is_follower: nullable(z.boolean()),
  is_sensitive: nullable(z.boolean()),
  user_last_interaction_date: nullable(z.string()),
  tags_and_notes_info: nullable(z.looseObject({ tag_names: nullable(z.array(z.string())) })),
  shared_info: nullable(
    z.looseObject({
      name: nullable(z.union([z.string(), z.number()]).transform(String)),
      phone: nullable(z.union([z.string(), z.number()]).transform(String)),
      address: nullable(z.string()),
      city: nullable(z.string()),
      district: nullable(z.string()),
      ward: nullable(z.string()),
      user_dob: nullable(z.string()),
    }),
  ),
});

const uploadDataSchema = z.looseObject({ attachment_id: idSchema });

const oauthSchema = z.looseObject({
  access_token: nullable(z.string()),
  refresh_token: nullable(z.string()),
  expires_in: nullable(numberLike),
  error: nullable(codeSchema),
  error_name: nullable(z.string()),
  error_description: nullable(z.string()),
  message: nullable(z.string()),
});

const graphMeSchema = z.looseObject({
  id: nullable(idSchema),
  name: nullable(z.string()),
  user_id_by_oa: nullable(idSchema),
  is_follower: nullable(z.boolean()),
  picture: nullable(z.looseObject({ data: nullable(z.looseObject({ url: nullable(z.string()) })) })),
  error: nullable(codeSchema),
  message: nullable(z.string()),
});

const graphInfoSchema = z.looseObject({
  data: nullable(z.looseObject({ number: nullable(z.union([z.string(), z.number()]).transform(String)) })),
  error: nullable(codeSchema),
  message: nullable(z.string()),
});

// ---------------------------------------------------------------------------------------------

const trimSlash = (u: string) => u.replace(/\/+$/, '');

export function createZaloClient(opts: ZaloClientOptions): ZaloClient {
  const openapiUrl = trimSlash(opts.openapiUrl);
  const oauthUrl = trimSlash(opts.oauthUrl);
  const graphUrl = trimSlash(opts.graphUrl);
  const { tokens, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  const ax: AxiosInstance = axios.create({
    timeout: opts.timeoutMs ?? 10_000,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    responseType: 'text',
    // We parse ourselves (ids must keep every digit) and judge statuses ourselves.
    transformResponse: [(d: unknown) => d],
    validateStatus: () => true,
  });

  /** One HTTP exchange → parsed JSON body (unknown) plus status; transport problems → ZaloHttpError. */
  async function call(endpoint: string, config: AxiosRequestConfig, acceptStatus?: (s: number) => boolean) {
    const started = Date.now();
    let res;
    for (let attempt = 0; ; attempt++) {
      try {
        res = await ax.request<string>(config);
        break;
      } catch (err) {
        const code = err instanceof AxiosError ? err.code : undefined;
        // A pooled keep-alive socket closed by the server: safe to repeat an idempotent GET once.
        if (attempt === 0 && code === 'ECONNRESET' && (config.method ?? 'get').toLowerCase() === 'get') continue;
        logger?.warn({ endpoint, errorCode: code, ms: Date.now() - started }, 'zalo: transport error');
        throw new ZaloHttpError(`Zalo ${endpoint}: ${code ?? 'request failed'}`, { cause: err, errorCode: code, endpoint });
      }
    }
    const ok = acceptStatus ? acceptStatus(res.status) : res.status >= 200 && res.status < 300;
    if (!ok) {
      logger?.warn({ endpoint, status: res.status, ms: Date.now() - started }, 'zalo: HTTP error');
      throw new ZaloHttpError(`Zalo ${endpoint}: HTTP ${res.status}`, { status: res.status, endpoint });
    }
    let body: unknown;
    try {
      body = typeof res.data === 'string' ? parseZaloJson(res.data) : res.data;
    } catch (err) {
      throw new ZaloHttpError(`Zalo ${endpoint}: response is not JSON`, { status: res.status, cause: err, endpoint });
    }
    logger?.debug({ endpoint, status: res.status, ms: Date.now() - started }, 'zalo: call');
    return { status: res.status, body };
  }

  function invalid(endpoint: string, status: number, error: z.ZodError): ZaloHttpError {
    const first = error.issues[0];
    return new ZaloHttpError(
      `Zalo ${endpoint}: unexpected response (${first?.path.join('.') || 'root'}: ${first?.message})`,
      { status, cause: error, endpoint },
    );
  }

  /** Calls an openapi.zalo.me endpoint; error ≠ 0 → ZaloApiError. Returns `data`. */
  async function openapi(endpoint: string, accessToken: string, config: AxiosRequestConfig): Promise<unknown> {
    const { status, body } = await call(endpoint, {
      ...config,
      headers: { ...(config.headers as Record<string, string>), access_token: accessToken },
    });
    const env = envelopeSchema.safeParse(body);
    if (!env.success) throw invalid(endpoint, status, env.error);
    const code = env.data.error ?? 0;
    if (code !== 0) {
      const err = new ZaloApiError(code, env.data.message ?? '', { endpoint });
      logger?.warn({ endpoint, code, kind: err.kind }, 'zalo: API error');
      throw err;
    }
    return env.data.data;
  }

  async function oauthRefresh(current: TokenPair): Promise<TokenPair> {
    const endpoint = 'oauth/refresh';
    if (!opts.appId || !opts.appSecret) {
      throw new ZaloApiError(-1, 'ZALO_APP_ID / ZALO_APP_SECRET are not configured', { endpoint, kind: 'auth' });
    }
    const form = new URLSearchParams({
      app_id: opts.appId,
      grant_type: 'refresh_token',
      refresh_token: current.refreshToken,
    });
    const { status, body } = await call(endpoint, {
      method: 'post',
      url: `${oauthUrl}/v4/oa/access_token`,
      data: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: opts.appSecret },
    });
    const parsed = oauthSchema.safeParse(body);
    if (!parsed.success) throw invalid(endpoint, status, parsed.error);
    const r = parsed.data;
    if (!r.access_token || (r.error !== undefined && r.error !== 0)) {
      const code = r.error && r.error !== 0 ? r.error : -14000;
      const err = new ZaloApiError(code, r.error_description ?? r.error_name ?? r.message ?? 'token refresh refused', {
        endpoint,
        kind: 'auth',
      });
      logger?.error({ endpoint, code }, 'zalo: OA token refresh refused; re-authorize the OA if this persists');
      throw err;
    }
    if (!r.refresh_token) logger?.warn({ endpoint }, 'zalo: refresh answer had no refresh_token; keeping the old one');
    const expiresIn = r.expires_in !== undefined && Number.isFinite(r.expires_in) && r.expires_in > 0 ? r.expires_in : null;
    const expiresAt = expiresIn === null ? null : new Date(clock.now().getTime() + expiresIn * 1000);
    logger?.info({ endpoint, expiresAt: expiresAt?.toISOString() ?? null }, 'zalo: OA token refreshed');
    tokenRefreshes.inc();
    return { accessToken: r.access_token, refreshToken: r.refresh_token || current.refreshToken, expiresAt };
  }

  /** Runs an OA call with a valid token; on an auth error refreshes once and retries once. */
  async function withToken<T>(endpoint: string, fn: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await tokens.getAccessToken(oauthRefresh);
    try {
      return await fn(token);
    } catch (err) {
      if (!(err instanceof ZaloApiError) || err.kind !== 'auth') throw err;
      logger?.info({ endpoint, code: err.code }, 'zalo: access token rejected, refreshing once');
      const pair = await tokens.refresh(token, oauthRefresh);
      return fn(pair.accessToken);
    }
  }

  async function sendMessage(kind: ZaloMessageKind, userId: string, message: ZaloMessage): Promise<SendResult> {
    if (!ZALO_MESSAGE_KINDS.includes(kind)) throw new RangeError(`unknown message kind: ${String(kind)}`);
    const endpoint = `message/${kind}`;
    let data: unknown;
    try {
      data = await withToken(endpoint, (token) =>
        openapi(endpoint, token, {
          method: 'post',
          url: `${openapiUrl}/v3.0/oa/message/${kind}`,
          data: { recipient: { user_id: userId }, message },
          headers: { 'content-type': 'application/json' },
        }),
      );
    } catch (err) {
      zaloSends.inc({ kind, result: 'error' });
      zaloErrors.inc({ code: err instanceof ZaloApiError ? String(err.code) : 'http' });
      throw err;
    }
    zaloSends.inc({ kind, result: 'ok' });
    // error = 0 means Zalo accepted it: never turn a delivered message into a failure over its shape.
    const parsed = sendDataSchema.safeParse(data ?? {});
    const messageId = parsed.success ? (parsed.data.message_id ?? '') : '';
    if (!messageId) logger?.warn({ endpoint, userId }, 'zalo: send succeeded without a message_id');
    let quota: ZaloQuota | null = null;
    if (parsed.success && parsed.data.quota !== undefined) {
      const q = quotaSchema.safeParse(parsed.data.quota);
      if (q.success) quota = { quotaType: q.data.quota_type, remain: q.data.remain, total: q.data.total };
    }
    logger?.debug({ endpoint, userId, messageId }, 'zalo: message sent');
    return { messageId, quota };
  }

  async function sendText(userId: string, text: string, kind: ZaloMessageKind = 'cs') {
    const parts = splitText(text, TEXT_MAX);
    if (parts.length === 0) throw new RangeError('cannot send an empty text');
    const messageIds: string[] = [];
    for (const part of parts) messageIds.push((await sendMessage(kind, userId, { text: part })).messageId);
    return { messageIds };
  }

  async function getUserProfile(userId: string): Promise<ZaloUserProfile> {
    const endpoint = 'user/detail';
    const data = await withToken(endpoint, (token) =>
      openapi(endpoint, token, {
        method: 'get',
        url: `${openapiUrl}/v3.0/oa/user/detail`,
        params: { data: JSON.stringify({ user_id: userId }) },
      }),
    );
    const p = profileDataSchema.safeParse(data);
    if (!p.success) throw invalid(endpoint, 200, p.error);
    const d = p.data;
    const s = d.shared_info;
    return {
      userId: d.user_id,
      userIdByApp: d.user_id_by_app ?? null,
      displayName: d.display_name ?? '',
      avatar: d.avatar ?? d.avatars?.['240'] ?? d.avatars?.['120'] ?? null,
      isFollower: d.user_is_follower ?? false,
      isSensitive: d.is_sensitive ?? false,
      lastInteractionDate: d.user_last_interaction_date ?? null,
      tagNames: d.tags_and_notes_info?.tag_names ?? [],
      sharedInfo: s
        ? dropUndefined({
            name: s.name,
            phone: s.phone,
            address: s.address,
            city: s.city,
            district: s.district,
            ward: s.ward,
            dateOfBirth: s.user_dob,
          })
        : null,
    };
  }

  async function tagCall(path: 'tagfollower' | 'rmfollowerfromtag', userId: string, tagName: string) {
    const endpoint = `tag/${path}`;
    await withToken(endpoint, (token) =>
      openapi(endpoint, token, {
        method: 'post',
        url: `${openapiUrl}/v2.0/oa/tag/${path}`,
        data: { user_id: userId, tag_name: tagName },
        headers: { 'content-type': 'application/json' },
      }),
    );
  }

  async function uploadImage(data: Buffer, filename: string, contentType?: string) {
    const endpoint = 'upload/image';
    const type = contentType ?? guessImageType(filename);
    const result = await withToken(endpoint, (token) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)], { type }), filename);
      return openapi(endpoint, token, { method: 'post', url: `${openapiUrl}/v2.0/oa/upload/image`, data: form });
    });
    const parsed = uploadDataSchema.safeParse(result);
    if (!parsed.success) throw invalid(endpoint, 200, parsed.error);
    return { attachmentId: parsed.data.attachment_id };
  }

  /** graph.zalo.me answers errors in the body; a 4xx with a JSON body is read the same way. */
  const graphStatusOk = (s: number) => (s >= 200 && s < 300) || (s >= 400 && s < 500 && s !== 408 && s !== 429);

  async function getMiniAppUser(userAccessToken: string): Promise<MiniAppUser> {
    const endpoint = 'graph/me';
    if (!userAccessToken) throw new ZaloApiError(-1, 'empty access token', { endpoint, kind: 'auth' });
    const { status, body } = await call(
      endpoint,
      {
        method: 'get',
        url: `${graphUrl}/v2.0/me`,
        params: { fields: 'id,name,user_id_by_oa,picture' },
        headers: { access_token: userAccessToken },
      },
      graphStatusOk,
    );
    const parsed = graphMeSchema.safeParse(body);
    if (!parsed.success) {
      if (status >= 400) throw new ZaloApiError(-status, `HTTP ${status}`, { endpoint, kind: 'auth' });
      throw invalid(endpoint, status, parsed.error);
    }
    const r = parsed.data;
    if ((r.error !== undefined && r.error !== 0) || !r.id || status >= 400) {
      const code = r.error && r.error !== 0 ? r.error : status >= 400 ? -status : -1;
      logger?.info({ endpoint, code }, 'zalo: mini-app token rejected');
      throw new ZaloApiError(code, r.message ?? 'mini-app access token rejected', { endpoint, kind: 'auth' });
    }
    return dropUndefined({
      id: r.id,
      name: r.name,
      userIdByOa: r.user_id_by_oa,
      picture: r.picture?.data?.url,
      isFollower: r.is_follower,
    }) as MiniAppUser;
  }

  async function exchangePhoneToken(userAccessToken: string, phoneToken: string): Promise<string> {
    const endpoint = 'graph/me/info';
    if (!opts.appSecret) {
      throw new ZaloApiError(-1, 'ZALO_APP_SECRET is not configured', { endpoint, kind: 'permanent' });
    }
    const { status, body } = await call(
      endpoint,
      {
        method: 'get',
        url: `${graphUrl}/v2.0/me/info`,
        headers: { access_token: userAccessToken, code: phoneToken, secret_key: opts.appSecret },
      },
      graphStatusOk,
    );
    const parsed = graphInfoSchema.safeParse(body);
    if (!parsed.success) {
      if (status >= 400) throw new ZaloApiError(-status, `HTTP ${status}`, { endpoint, kind: 'permanent' });
      throw invalid(endpoint, status, parsed.error);
    }
    const r = parsed.data;
    const number = r.data?.number;
    if ((r.error !== undefined && r.error !== 0) || !number || status >= 400) {
      const code = r.error && r.error !== 0 ? r.error : status >= 400 ? -status : -1;
      logger?.info({ endpoint, code }, 'zalo: phone token rejected');
      throw new ZaloApiError(code, r.message ?? 'phone token rejected', { endpoint, kind: 'permanent' });
    }
    return number;
  }

  return {
    tokens,
    sendMessage,
    sendText,
    getUserProfile,
    tagUser: (userId, tagName) => tagCall('tagfollower', userId, tagName),
    untagUser: (userId, tagName) => tagCall('rmfollowerfromtag', userId, tagName),
    uploadImage,
    getMiniAppUser,
    exchangePhoneToken,
    refreshTokens: async () => {
      await tokens.refresh(null, oauthRefresh);
    },
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function guessImageType(filename: string): string {
  const ext = filename.toLowerCase().split('.').pop();
  if (ext === 'png') return 'image/png';
  if (ext === 'gif') return 'image/gif';
  if (ext === 'webp') return 'image/webp';
  return 'image/jpeg';
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
