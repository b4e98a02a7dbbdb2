// Platform layer: the only module that touches zmp-sdk. Outside Zalo a browser mock answers instead,
// driven by the demo identity picked on the demo sign-in screen.
import { IN_ZALO } from './env';

type Sdk = typeof import('zmp-sdk/apis');

export type PlatformErrorKind = 'unavailable' | 'denied' | 'cancelled' | 'failed';

export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

export const DEMO_TOKEN_KEY = 'congdoan.demoToken';
export const DEMO_IDENTITY_KEY = 'congdoan.demoIdentity';

export interface DemoIdentity {
  zaloAppUserId: string;
  name: string;
  /** Optional: the demo server may say whether this identity has a phone number on Zalo. */
  phone?: string | null;
  hasPhone?: boolean;
}

// zmp-sdk calls login() when imported; outside Zalo that is an unhandled rejection, so load it lazily and only in Zalo.
let sdkPromise: Promise<Sdk> | null = null;
function sdk(): Promise<Sdk> {
  if (!IN_ZALO) return Promise.reject(new PlatformError('unavailable', 'Không chạy trong Zalo'));
  if (!sdkPromise) {
    sdkPromise = import('zmp-sdk/apis').catch((err: unknown) => {
      sdkPromise = null; // let the next call retry the chunk download
      throw err;
    });
  }
  return sdkPromise;
}

// Inside Zalo, load the SDK right away so its own start-up runs early.
if (IN_ZALO) void sdk().catch(() => undefined);

/** Maps zmp-sdk AppError codes (see zmp-sdk constants) to what the UI needs to know. */
function toPlatformError(err: unknown, api: string): PlatformError {
  if (err instanceof PlatformError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? Number((err as { code: unknown }).code) : NaN;
  if (code === -2003) return new PlatformError('cancelled', `${api}: cancelled`, err);
  if (code === -2002 || code === -201 || code === -1401) return new PlatformError('denied', `${api}: denied`, err);
  if (code === -1404) return new PlatformError('unavailable', `${api}: not supported`, err);
  return new PlatformError('failed', `${api}: failed`, err);
}

/** For calls that need no user interaction: without the Zalo bridge they never settle. */
function withTimeout<T>(promise: Promise<T>, ms: number, api: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new PlatformError('failed', `${api}: timeout`)), ms);
    promise.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

const TOKEN_TIMEOUT_MS = 10_000;

// ---- Demo identity (browser only) ----

export function getDemoToken(): string | null {
  try {
    return window.localStorage.getItem(DEMO_TOKEN_KEY);
  } catch {
    return null;
  }
}

export function getDemoIdentity(): DemoIdentity | null {
  try {
    const raw = window.localStorage.getItem(DEMO_IDENTITY_KEY);
    return raw ? (JSON.parse(raw) as DemoIdentity) : null;
  } catch {
    return null;
  }
}

export function setDemoIdentity(identity: DemoIdentity): void {
  window.localStorage.setItem(DEMO_TOKEN_KEY, `demo-${identity.zaloAppUserId}`);
  window.localStorage.setItem(DEMO_IDENTITY_KEY, JSON.stringify(identity));
}

export function clearDemoIdentity(): void {
  window.localStorage.removeItem(DEMO_TOKEN_KEY);
  window.localStorage.removeItem(DEMO_IDENTITY_KEY);
}

// ---- SDK wrappers ----

/** The Zalo access token our server verifies; in the browser the demo token. */
export async function getAccessToken(): Promise<string> {
  if (!IN_ZALO) {
    const token = getDemoToken();
    if (!token) throw new PlatformError('unavailable', 'Chưa chọn người dùng thử nghiệm');
    return token;
  }
  try {
    const s = await sdk();
    const token = await withTimeout(s.getAccessToken(), TOKEN_TIMEOUT_MS, 'getAccessToken');
    if (!token) throw new PlatformError('failed', 'getAccessToken: empty token');
    return token;
  } catch (err) {
    throw toPlatformError(err, 'getAccessToken');
  }
}

/** Opens Zalo's QR scanner. Resolves the trimmed content ('' when nothing was read). */
export async function scanQRCode(): Promise<string> {
  if (!IN_ZALO) throw new PlatformError('unavailable', 'Trình quét chỉ có trong Zalo');
  try {
    const { content } = await (await sdk()).scanQRCode();
    return (content ?? '').trim();
  } catch (err) {
    throw toPlatformError(err, 'scanQRCode');
  }
}

/** A single-use phone token (2 min) that only our server can exchange for the number. */
export async function getPhoneToken(): Promise<string> {
  if (!IN_ZALO) {
    const identity = getDemoIdentity();
    if (identity && (identity.hasPhone === true || (typeof identity.phone === 'string' && identity.phone !== ''))) {
      return `demo-phone-${identity.zaloAppUserId}`;
    }
    throw new PlatformError('unavailable', 'Người dùng thử nghiệm này không có số điện thoại');
  }
  try {
    const { token } = await (await sdk()).getPhoneNumber();
    if (!token) throw new PlatformError('unavailable', 'getPhoneNumber: no token');
    return token;
  } catch (err) {
    throw toPlatformError(err, 'getPhoneNumber');
  }
}

/** Opens an external link: a Zalo webview inside Zalo, a new tab in the browser. */
export async function openExternalUrl(url: string): Promise<void> {
  if (!IN_ZALO) {
    window.open(url, '_blank', 'noopener,noreferrer');
    return;
  }
  try {
    await (await sdk()).openWebview({ url });
  } catch {
    window.open(url, '_blank', 'noopener,noreferrer');
  }
}

/** Keeps the screen awake while the card QR is shown (Zalo only; best effort). */
export async function keepScreenOn(on: boolean): Promise<void> {
  if (!IN_ZALO) return;
  try {
    const s = await sdk();
    await (on ? s.onKeepScreen() : s.offKeepScreen());
  } catch {
    // Older Zalo versions do not support it; nothing to tell the user.
  }
}

// ---- Storage: Zalo nativeStorage, falling back to localStorage (nativeStorage throws on old Zalo / desktop) ----

function local(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export const storage = {
  async get(key: string): Promise<string | null> {
    if (IN_ZALO) {
      try {
        const v = (await sdk()).nativeStorage.getItem(key);
        if (v !== null && v !== undefined && v !== '') return v;
      } catch {
        // fall through to localStorage
      }
    }
    return local()?.getItem(key) ?? null;
  },
  async set(key: string, value: string): Promise<void> {
    if (IN_ZALO) {
      try {
        (await sdk()).nativeStorage.setItem(key, value);
        return;
      } catch {
        // fall through to localStorage
      }
    }
    local()?.setItem(key, value);
  },
  async remove(key: string): Promise<void> {
    if (IN_ZALO) {
      try {
        (await sdk()).nativeStorage.removeItem(key);
      } catch {
        // ignore, also clear the fallback below
      }
    }
    local()?.removeItem(key);
  },
};
