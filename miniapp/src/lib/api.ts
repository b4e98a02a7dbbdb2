// API client for /api/miniapp/*: Bearer token from the platform layer, JSON in and out,
// server errors {error:{code,message}} become ApiError; transport failures become NetworkError.
import { API_BASE } from './env';
import { PlatformError, getAccessToken } from './zalo';
import { strings } from './strings';
import type {
  Announcement,
  Card,
  CheckinResult,
  DemoIdentities,
  Items,
  LinkRequest,
  Me,
  Member,
  OfficerCheckinResult,
  OfficerEvent,
  OfficerEventSummary,
  WelfareProgram,
  WelfareRegistration,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field paths of a validation error (`answers.pickup`…), when the server sent them. */
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an HTTP answer (offline, DNS, timeout). Safe to retry idempotent calls. */
export class NetworkError extends Error {
  constructor(message: string = strings.network) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  /** Server clock from the Date header (ms), used to correct QR expiry for a skewed phone clock. */
  serverDate: number | null;
}

const TIMEOUT_MS = 15_000;

type Listener = (err: ApiError) => void;
const listeners = new Set<Listener>();

/** Lets the session provider react to NOT_LINKED / 401 from any page. */
export function onApiError(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function fallbackMessage(status: number): string {
  if (status === 401) return strings.unauthorized;
  if (status === 403) return strings.forbidden;
  if (status === 404) return strings.notFound;
  if (status === 429) return strings.tooManyRequests;
  if (status >= 500) return strings.serverError;
  return strings.genericError;
}

export async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { auth?: boolean } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.auth !== false) {
    try {
      headers.Authorization = `Bearer ${await getAccessToken()}`;
    } catch (err) {
      const e = new ApiError(401, 'NO_TOKEN', err instanceof PlatformError ? strings.noToken : strings.unauthorized);
      listeners.forEach((fn) => fn(e));
      throw e;
    }
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: 'same-origin',
    });
  } catch {
    throw new NetworkError(controller.signal.aborted ? strings.timeout : strings.network);
  } finally {
    clearTimeout(timer);
  }

  let json: unknown = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }

  if (!res.ok) {
    const errBody = (json as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
    const code = typeof errBody?.code === 'string' ? errBody.code : `HTTP_${res.status}`;
    // 429 always gets our wording; otherwise the server's Vietnamese message when it sent one.
    const message =
      res.status === 429
        ? strings.tooManyRequests
        : typeof errBody?.message === 'string' && errBody.message
          ? errBody.message
          : fallbackMessage(res.status);
    const fields = Array.isArray(errBody?.fields)
      ? (errBody.fields as { path?: unknown; message?: unknown }[]).map((f) => ({ path: String(f.path ?? ''), message: String(f.message ?? '') }))
      : [];
    const e = new ApiError(res.status, code, message, fields);
    listeners.forEach((fn) => fn(e));
    throw e;
  }
  if (json === null) throw new ApiError(res.status, 'BAD_RESPONSE', strings.serverError);

  const date = res.headers.get('Date');
  const serverDate = date ? Date.parse(date) : NaN;
  return { status: res.status, data: json as T, serverDate: Number.isFinite(serverDate) ? serverDate : null };
}

const get = async <T>(path: string, opts?: { auth?: boolean }) => (await request<T>('GET', path, undefined, opts)).data;

export const api = {
  me: () => get<Me>('/api/miniapp/me'),
  link: async (body: LinkRequest) => (await request<{ member: Member }>('POST', '/api/miniapp/link', body)).data,
  card: () => request<Card>('GET', '/api/miniapp/card'),
  checkin: async (eventToken: string) => (await request<CheckinResult>('POST', '/api/miniapp/checkins', { eventToken })).data,
  announcements: () => get<Items<Announcement>>('/api/miniapp/announcements'),
  welfarePrograms: () => get<Items<WelfareProgram>>('/api/miniapp/welfare/programs'),
  welfareRegister: async (programId: number | string, answers: Record<string, unknown>) =>
    (await request<WelfareRegistration>('POST', `/api/miniapp/welfare/programs/${encodeURIComponent(String(programId))}/registrations`, { answers })).data,
  welfareRegistrations: () => get<Items<WelfareRegistration>>('/api/miniapp/welfare/registrations'),
  welfareCancel: async (registrationId: number | string) =>
    (await request<WelfareRegistration>('POST', `/api/miniapp/welfare/registrations/${encodeURIComponent(String(registrationId))}/cancel`, {})).data,
  pollVote: async (pollId: number | string, option: number) =>
    (await request<{ pollId: number; option: number; text: string; changed: boolean }>('POST', `/api/miniapp/polls/${encodeURIComponent(String(pollId))}/vote`, { option })).data,
  officerEvents: () => get<Items<OfficerEvent>>('/api/miniapp/officer/events'),
  officerEvent: (id: string | number) => get<OfficerEventSummary>(`/api/miniapp/officer/events/${encodeURIComponent(String(id))}`),
  officerCheckin: async (eventId: string | number, body: { memberQr: string; scanId: string }) =>
    (
      await request<OfficerCheckinResult>(
        'POST',
        `/api/miniapp/officer/events/${encodeURIComponent(String(eventId))}/checkins`,
        body,
      )
    ).data,
  demoIdentities: () => get<DemoIdentities>('/api/demo/identities', { auth: false }),
};

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError || err instanceof NetworkError) return err.message;
  return strings.genericError;
}
