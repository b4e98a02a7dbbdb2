/**
 * Signed QR tokens (Ed25519): a scanner can verify them with the public key alone.
 * Format: `CD1.<kind>.<payload base64url JSON>.<signature base64url>`; kinds: `m` member card, `e` event.
 */
import crypto from 'node:crypto';

export type QrKind = 'm' | 'e';
export interface MemberQrPayload {
  /** member id */
  m: number;
  iat: number;
  exp: number;
}
export interface EventQrPayload {
  /** event id */
  e: number;
  exp: number;
}

export type QrVerifyError = 'malformed' | 'bad_signature' | 'wrong_kind' | 'expired';
export type QrVerifyResult<T> = { ok: true; payload: T } | { ok: false; error: QrVerifyError };

export interface QrKeys {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

const PREFIX = 'CD1';
// PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Deterministic keys from a secret (QR_SECRET), so every process derives the same pair. */
export function keysFromSecret(secret: string): QrKeys {
  const seed = crypto.createHash('sha256').update(`congdoan-qr:${secret}`).digest();
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
}

export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function publicKeyPem(keys: QrKeys): string {
  return keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function sign(keys: QrKeys, kind: QrKind, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signed = `${PREFIX}.${kind}.${body}`;
  const sig = crypto.sign(null, Buffer.from(signed), keys.privateKey).toString('base64url');
  return `${signed}.${sig}`;
}

function verify<T>(keys: Pick<QrKeys, 'publicKey'>, token: string, kind: QrKind, nowSec: number): QrVerifyResult<T> {
  const parts = String(token ?? '').trim().replace(/^"+|"+$/g, '').split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) return { ok: false, error: 'malformed' };
  const [, k, body, sig] = parts;
  let sigBuf: Buffer;
  try {
    sigBuf = Buffer.from(sig, 'base64url');
  } catch {
    return { ok: false, error: 'malformed' };
  }
  if (sigBuf.length !== 64) return { ok: false, error: 'malformed' };
  if (!crypto.verify(null, Buffer.from(`${PREFIX}.${k}.${body}`), keys.publicKey, sigBuf)) return { ok: false, error: 'bad_signature' };
  if (k !== kind) return { ok: false, error: 'wrong_kind' };
  let payload: T & { exp?: number };
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed' };
  }
  if (typeof payload?.exp !== 'number' || payload.exp < nowSec) return { ok: false, error: 'expired' };
  return { ok: true, payload };
}

export const MEMBER_QR_TTL_SEC = 5 * 60;

export function signMemberQr(keys: QrKeys, memberId: number, now: Date, ttlSec = MEMBER_QR_TTL_SEC): { token: string; expiresAt: Date } {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSec;
  return { token: sign(keys, 'm', { m: memberId, iat, exp } satisfies MemberQrPayload), expiresAt: new Date(exp * 1000) };
}

export function verifyMemberQr(keys: Pick<QrKeys, 'publicKey'>, token: string, now: Date): QrVerifyResult<MemberQrPayload> {
  const r = verify<MemberQrPayload>(keys, token, 'm', Math.floor(now.getTime() / 1000));
  if (r.ok && !Number.isInteger(r.payload.m)) return { ok: false, error: 'malformed' };
  return r;
}

export function signEventQr(keys: QrKeys, eventId: number, validUntil: Date): string {
  return sign(keys, 'e', { e: eventId, exp: Math.floor(validUntil.getTime() / 1000) } satisfies EventQrPayload);
}

export function verifyEventQr(keys: Pick<QrKeys, 'publicKey'>, token: string, now: Date): QrVerifyResult<EventQrPayload> {
  const r = verify<EventQrPayload>(keys, token, 'e', Math.floor(now.getTime() / 1000));
  if (r.ok && !Number.isInteger(r.payload.e)) return { ok: false, error: 'malformed' };
  return r;
}

export function looksLikeQrToken(s: string): boolean {
  return s.trim().replace(/^"+/, '').startsWith(`${PREFIX}.`);
}
