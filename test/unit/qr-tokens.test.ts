import { keysFromSecret, signEventQr, signMemberQr, verifyEventQr, verifyMemberQr } from '../../shared/qr/tokens';

const keys = keysFromSecret('test-secret-0123456789');
const now = new Date('2026-11-29T08:00:00Z');

describe('QR tokens', () => {
  it('signs and verifies a member card token until it expires', () => {
    const { token, expiresAt } = signMemberQr(keys, 42, now);
    expect(token).toMatch(/^CD1\.m\./);
    expect(expiresAt.getTime() - now.getTime()).toBe(300_000);
    expect(verifyMemberQr(keys, token, new Date(now.getTime() + 299_000))).toEqual({ ok: true, payload: expect.objectContaining({ m: 42 }) });
    expect(verifyMemberQr(keys, token, new Date(now.getTime() + 301_000))).toEqual({ ok: false, error: 'expired' });
  });

  it('verifies with the public key alone and derives the same keys from the same secret', () => {
    const { token } = signMemberQr(keys, 7, now);
    expect(verifyMemberQr({ publicKey: keysFromSecret('test-secret-0123456789').publicKey }, token, now).ok).toBe(true);
    expect(verifyMemberQr(keysFromSecret('another-secret-xxxxxxxx'), token, now)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('rejects tampering, the wrong kind and garbage', () => {
    const { token } = signMemberQr(keys, 7, now);
    const [p, k, body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ m: 8, iat: 0, exp: 9999999999 })).toString('base64url');
    expect(verifyMemberQr(keys, [p, k, forged, sig].join('.'), now)).toEqual({ ok: false, error: 'bad_signature' });
    expect(verifyMemberQr(keys, [p, k, body, sig.slice(0, -2) + 'AA'].join('.'), now).ok).toBe(false);
    const ev = signEventQr(keys, 3, new Date(now.getTime() + 3600_000));
    expect(verifyMemberQr(keys, ev, now)).toEqual({ ok: false, error: 'wrong_kind' });
    expect(verifyEventQr(keys, ev, now)).toEqual({ ok: true, payload: { e: 3, exp: expect.any(Number) } });
    for (const junk of ['', 'hello', 'CD1.m.x.y', 'CD1.m..', '{"m":1}']) expect(verifyMemberQr(keys, junk, now).ok).toBe(false);
  });

  it('accepts a token wrapped in quotes (some scanners return it quoted)', () => {
    const { token } = signMemberQr(keys, 5, now);
    expect(verifyMemberQr(keys, `"${token}"`, now).ok).toBe(true);
  });
});
