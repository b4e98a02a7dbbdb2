/**
 * Zalo errors: `ZaloApiError` for a negative `error` code in a Zalo JSON body (Zalo answers HTTP 200
 * even on failure), `ZaloHttpError` for the transport (timeouts, refused connections, 5xx, garbage).
 * Every failure has a `kind` the callers act on: retryable → try again later, permanent → give up
 * for this recipient, auth → the token pair is bad (the client already refreshed once).
 */

export type ZaloErrorKind = 'retryable' | 'permanent' | 'auth';

export interface ZaloErrorClass {
  kind: ZaloErrorKind;
  /** Zalo said "slow down": pause the whole queue, not just this job. */
  rateLimited: boolean;
  /** The OA's sending quota is spent: pause the whole queue until it resets. */
  quotaExhausted: boolean;
}

/** Known codes. Sources and certainty are listed in shared/zalo/OA_API.md §3.2. */
export const ZaloErrorCode = {
  RATE_LIMITED: -32,
  TOKEN_INVALID_LEGACY: -124,
  INVALID_PARAMS: -201,
  PARAM_EXCEEDS_LIMIT: -210,
  QUOTA_EXCEEDED: -211,
  NOT_FOLLOWER: -213,
  ACCESS_TOKEN_INVALID: -216,
  USER_BLOCKED: -217,
  ACCESS_TOKEN_EXPIRED: -220,
  USER_INACTIVE: -227,
  NO_INTERACTION_7D: -230,
  NO_INTERACTION: -232,
  MESSAGE_TYPE_UNSUPPORTED: -233,
  V2_REMOVED: -240,
} as const;

const AUTH_CODES = new Set<number>([
  ZaloErrorCode.TOKEN_INVALID_LEGACY,
  ZaloErrorCode.ACCESS_TOKEN_INVALID,
  ZaloErrorCode.ACCESS_TOKEN_EXPIRED,
]);

const PERMANENT_CODES = new Set<number>([
  ZaloErrorCode.INVALID_PARAMS,
  ZaloErrorCode.PARAM_EXCEEDS_LIMIT,
  ZaloErrorCode.NOT_FOLLOWER,
  ZaloErrorCode.USER_BLOCKED,
  ZaloErrorCode.USER_INACTIVE,
  ZaloErrorCode.NO_INTERACTION_7D,
  ZaloErrorCode.NO_INTERACTION,
  ZaloErrorCode.MESSAGE_TYPE_UNSUPPORTED,
  ZaloErrorCode.V2_REMOVED,
]);

const RATE_LIMIT_CODES = new Set<number>([ZaloErrorCode.RATE_LIMITED]);
const QUOTA_CODES = new Set<number>([ZaloErrorCode.QUOTA_EXCEEDED]);

/** Maps a Zalo `error` code to what the caller should do. Unknown negative codes are retryable. */
export function classifyZaloError(code: number): ZaloErrorClass {
  if (AUTH_CODES.has(code)) return { kind: 'auth', rateLimited: false, quotaExhausted: false };
  if (PERMANENT_CODES.has(code)) return { kind: 'permanent', rateLimited: false, quotaExhausted: false };
  if (RATE_LIMIT_CODES.has(code)) return { kind: 'retryable', rateLimited: true, quotaExhausted: false };
  if (QUOTA_CODES.has(code)) return { kind: 'retryable', rateLimited: false, quotaExhausted: true };
  return { kind: 'retryable', rateLimited: false, quotaExhausted: false };
}

const REASONS_VI: Record<number, string> = {
  [ZaloErrorCode.RATE_LIMITED]: 'Zalo giới hạn tốc độ gửi, sẽ gửi lại sau',
  [ZaloErrorCode.TOKEN_INVALID_LEGACY]: 'Mã truy cập Zalo OA không hợp lệ hoặc đã hết hạn',
  [ZaloErrorCode.INVALID_PARAMS]: 'Nội dung tin nhắn hoặc tham số không hợp lệ',
  [ZaloErrorCode.PARAM_EXCEEDS_LIMIT]: 'Nội dung vượt quá giới hạn Zalo cho phép (ví dụ tin quá dài)',
  [ZaloErrorCode.QUOTA_EXCEEDED]: 'OA đã hết hạn mức gửi tin',
  [ZaloErrorCode.NOT_FOLLOWER]: 'Người dùng chưa quan tâm (theo dõi) OA',
  [ZaloErrorCode.ACCESS_TOKEN_INVALID]: 'Mã truy cập Zalo OA không hợp lệ hoặc đã hết hạn',
  [ZaloErrorCode.USER_BLOCKED]: 'Người dùng đã chặn tin nhắn từ OA',
  [ZaloErrorCode.ACCESS_TOKEN_EXPIRED]: 'Mã truy cập Zalo OA đã hết hạn hoặc bị thu hồi',
  [ZaloErrorCode.USER_INACTIVE]: 'Tài khoản Zalo của người dùng bị khóa hoặc lâu không hoạt động',
  [ZaloErrorCode.NO_INTERACTION_7D]: 'Người dùng không tương tác với OA trong 7 ngày qua',
  [ZaloErrorCode.NO_INTERACTION]: 'Người dùng chưa tương tác với OA hoặc tương tác đã hết hạn',
  [ZaloErrorCode.MESSAGE_TYPE_UNSUPPORTED]: 'Loại tin nhắn này không được Zalo hỗ trợ',
  [ZaloErrorCode.V2_REMOVED]: 'API gửi tin cũ (v2) đã ngừng hoạt động',
};

/** Vietnamese reason for officers' failed-delivery lists. */
export function describeZaloError(code: number): string {
  return REASONS_VI[code] ?? `Lỗi Zalo không xác định (mã ${code})`;
}

export interface ZaloApiErrorOptions {
  /** Short name of the call, e.g. "message/cs", "oauth/refresh", "graph/me". Never a URL with secrets. */
  endpoint?: string;
  /** Overrides the classification (e.g. OAuth and graph failures are always `auth`). */
  kind?: ZaloErrorKind;
}

/** Zalo answered with a negative `error` code. */
export class ZaloApiError extends Error {
  readonly code: number;
  readonly kind: ZaloErrorKind;
  readonly zaloMessage: string;
  readonly rateLimited: boolean;
  readonly quotaExhausted: boolean;
  readonly endpoint?: string;

  constructor(code: number, zaloMessage: string, opts: ZaloApiErrorOptions = {}) {
    const cls = classifyZaloError(code);
    const kind = opts.kind ?? cls.kind;
    super(`Zalo API error ${code}${opts.endpoint ? ` on ${opts.endpoint}` : ''}: ${zaloMessage}`);
    this.name = 'ZaloApiError';
    this.code = code;
    this.kind = kind;
    this.zaloMessage = zaloMessage;
    this.rateLimited = cls.rateLimited;
    this.quotaExhausted = cls.quotaExhausted;
    this.endpoint = opts.endpoint;
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }

  /** Rate limit or quota: the broadcast worker should pause the whole queue. */
  get shouldPauseQueue(): boolean {
    return this.rateLimited || this.quotaExhausted;
  }
}

export interface ZaloHttpErrorOptions {
  status?: number;
  cause?: unknown;
  /** Node error code of the transport failure, e.g. ECONNREFUSED, ECONNABORTED, ETIMEDOUT. */
  errorCode?: string;
  endpoint?: string;
}

/** The call did not produce a Zalo JSON answer: network failure, timeout, non-2xx, unparsable body. */
export class ZaloHttpError extends Error {
  readonly status?: number;
  override readonly cause: unknown;
  readonly errorCode?: string;
  readonly endpoint?: string;
  readonly kind: Exclude<ZaloErrorKind, 'auth'>;
  readonly rateLimited: boolean;
  readonly quotaExhausted = false;
  readonly timedOut: boolean;

  constructor(message: string, opts: ZaloHttpErrorOptions = {}) {
    super(message);
    this.name = 'ZaloHttpError';
    this.status = opts.status;
    this.cause = opts.cause;
    this.errorCode = opts.errorCode;
    this.endpoint = opts.endpoint;
    this.rateLimited = opts.status === 429;
    this.timedOut = opts.errorCode === 'ECONNABORTED' || opts.errorCode === 'ETIMEDOUT';
    // 4xx (except 408/429) means our request is wrong: repeating it will not help.
    const s = opts.status;
    this.kind = s !== undefined && s >= 400 && s < 500 && s !== 408 && s !== 429 ? 'permanent' : 'retryable';
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }

  get shouldPauseQueue(): boolean {
    return this.rateLimited;
  }
}

export type ZaloError = ZaloApiError | ZaloHttpError;

export function isZaloError(err: unknown): err is ZaloError {
  return err instanceof ZaloApiError || err instanceof ZaloHttpError;
}

export interface ZaloFailureInfo extends ZaloErrorClass {
  /** Zalo's code for API errors; null for transport or non-Zalo errors. */
  code: number | null;
  /** Vietnamese, for officers. */
  reason: string;
}

/**
 * One summary of any error thrown by the client, for workers and delivery lists.
 * Non-Zalo errors (bugs) count as retryable so a job is not silently marked failed forever.
 */
export function describeZaloFailure(err: unknown): ZaloFailureInfo {
  if (err instanceof ZaloApiError) {
    return {
      kind: err.kind,
      rateLimited: err.rateLimited,
      quotaExhausted: err.quotaExhausted,
      code: err.code,
      reason: describeZaloError(err.code),
    };
  }
  if (err instanceof ZaloHttpError) {
    let reason = 'Không kết nối được tới Zalo, sẽ thử lại';
    if (err.timedOut) reason = 'Zalo phản hồi quá chậm, sẽ thử lại';
    else if (err.status === 429) reason = 'Zalo giới hạn tốc độ gửi, sẽ gửi lại sau';
    else if (err.status !== undefined && err.status >= 500) reason = `Máy chủ Zalo đang lỗi (HTTP ${err.status}), sẽ thử lại`;
    else if (err.kind === 'permanent') reason = `Zalo từ chối yêu cầu (HTTP ${err.status})`;
    return { kind: err.kind, rateLimited: err.rateLimited, quotaExhausted: false, code: null, reason };
  }
  return { kind: 'retryable', rateLimited: false, quotaExhausted: false, code: null, reason: 'Lỗi hệ thống khi gửi tin' };
}
