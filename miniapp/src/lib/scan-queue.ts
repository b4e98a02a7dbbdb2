// Officer scans that could not reach the server, persisted so they survive a reload.
// Each scan keeps its scanId (the server's idempotency key), so resending never double counts.
import { ApiError, NetworkError } from './api';
import { storage } from './zalo';

export interface QueuedScan {
  scanId: string;
  eventId: string;
  memberQr: string;
  queuedAt: string;
}

export const QUEUE_KEY = 'congdoan.officer.pendingScans';

function isQueuedScan(x: unknown): x is QueuedScan {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.scanId === 'string' && typeof o.eventId === 'string' && typeof o.memberQr === 'string';
}

export async function loadQueue(): Promise<QueuedScan[]> {
  try {
    const raw = await storage.get(QUEUE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter(isQueuedScan) : [];
  } catch {
    return [];
  }
}

export async function saveQueue(queue: QueuedScan[]): Promise<void> {
  if (queue.length === 0) await storage.remove(QUEUE_KEY);
  else await storage.set(QUEUE_KEY, JSON.stringify(queue));
}

export function newScanId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The server never answered (or a gateway said it is unreachable): keep the scan and resend it later. */
export function isOfflineError(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  return err instanceof ApiError && (err.status === 502 || err.status === 503 || err.status === 504);
}

/** Worth another try later, but not proof we are offline (rate limit, server bug, expired Zalo token). */
export function isTransientError(err: unknown): boolean {
  return isOfflineError(err) || (err instanceof ApiError && (err.status === 429 || err.status === 401 || err.status >= 500));
}
