/**
 * Webhook signature: header `X-ZEvent-Signature: mac=<hex>` where
 * hex = sha256(app_id + rawBody + timestamp + OA secret key), app_id and timestamp read from the body.
 * Plain SHA-256 (not HMAC), keyed with the OA Secret Key (not the app secret). See OA_API.md §5.2.
 */
import crypto from 'node:crypto';
import { parseWebhookJson } from './json';

export const WEBHOOK_SIGNATURE_HEADER = 'x-zevent-signature';

/** `"mac=" + sha256hex(appId + rawBody + timestamp + oaSecretKey)`. rawBody must be the exact bytes received. */
export function computeWebhookSignature(
  appId: string,
  rawBody: string | Buffer,
  timestamp: string,
  oaSecretKey: string,
): string {
  const hash = crypto.createHash('sha256');
  hash.update(appId, 'utf8');
  hash.update(rawBody);
  hash.update(timestamp, 'utf8');
  hash.update(oaSecretKey, 'utf8');
  return 'mac=' + hash.digest('hex');
}

/** Reads `app_id` and `timestamp` from a raw webhook body as the exact text Zalo signed; null if absent. */
export function readSignedFields(rawBody: string | Buffer): { appId: string; timestamp: string } | null {
  let body: unknown;
  try {
    body = parseWebhookJson(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { app_id: appId, timestamp } = body as Record<string, unknown>;
  const asText = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);
  const a = asText(appId);
  const t = asText(timestamp);
  return a !== null && t !== null ? { appId: a, timestamp: t } : null;
}

/**
 * Checks a webhook signature header against the raw body. Accepts the value with or without the
 * `mac=` prefix (any case); compares in constant time. Returns false on anything malformed; never throws.
 */
export function verifyWebhookSignature(
  header: string | string[] | undefined | null,
  rawBody: string | Buffer,
  oaSecretKey: string,
): boolean {
  try {
    if (!oaSecretKey) return false;
    const value = Array.isArray(header) ? header[0] : header;
    if (typeof value !== 'string') return false;
    const given = value.trim().replace(/^mac=/i, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(given)) return false;
    const fields = readSignedFields(rawBody);
    if (!fields) return false;
    const expected = computeWebhookSignature(fields.appId, rawBody, fields.timestamp, oaSecretKey).slice(4);
    const a = Buffer.from(given, 'hex');
    const b = Buffer.from(expected, 'hex');
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  } catch {
    return false;
  }
}
