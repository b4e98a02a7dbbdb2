import crypto from 'node:crypto';
import { computeWebhookSignature, verifyWebhookSignature } from '../../shared/zalo/signature';

const SECRET = 'oa-secret-Kx9';
const APP_ID = '2718281828459045235';
const TS = '1767225600123';
const raw = JSON.stringify({
  app_id: APP_ID,
  user_id_by_app: '5527106912345678901',
  event_name: 'user_send_text',
  timestamp: TS,
  sender: { id: '3368637342326461234' },
  recipient: { id: '1414213562373095048' },
  message: { msg_id: 'a1b2c3d4e5f6', text: 'Cho hỏi chế độ thai sản?' },
});
/** Computed independently of the module under test. */
const expectedHex = crypto.createHash('sha256').update(APP_ID + raw + TS + SECRET, 'utf8').digest('hex');

describe('webhook signature', () => {
  it('is mac= + sha256(app_id + raw body + timestamp + OA secret)', () => {
    expect(computeWebhookSignature(APP_ID, raw, TS, SECRET)).toBe('mac=' + expectedHex);
    expect(computeWebhookSignature(APP_ID, Buffer.from(raw, 'utf8'), TS, SECRET)).toBe('mac=' + expectedHex);
  });

  it('matches a fixed vector', () => {
    const hex = crypto.createHash('sha256').update('1' + '{"app_id":"1","timestamp":"2"}' + '2' + 's').digest('hex');
    expect(computeWebhookSignature('1', '{"app_id":"1","timestamp":"2"}', '2', 's')).toBe(`mac=${hex}`);
  });

  it('verifies a good signature, with or without the mac= prefix, any case, string or Buffer body', () => {
    expect(verifyWebhookSignature('mac=' + expectedHex, raw, SECRET)).toBe(true);
    expect(verifyWebhookSignature(expectedHex, raw, SECRET)).toBe(true);
    expect(verifyWebhookSignature('MAC=' + expectedHex.toUpperCase(), raw, SECRET)).toBe(true);
    expect(verifyWebhookSignature(['mac=' + expectedHex], Buffer.from(raw), SECRET)).toBe(true);
  });

  it('rejects a tampered body, timestamp, app id or secret', () => {
    const sig = 'mac=' + expectedHex;
    expect(verifyWebhookSignature(sig, raw.replace('thai sản', 'thai san'), SECRET)).toBe(false);
    expect(verifyWebhookSignature(sig, raw.replace(TS, '1767225600124'), SECRET)).toBe(false);
    expect(verifyWebhookSignature(sig, raw.replace(APP_ID, '2718281828459045236'), SECRET)).toBe(false);
    expect(verifyWebhookSignature(sig, raw, SECRET + 'x')).toBe(false);
    expect(verifyWebhookSignature(sig, raw + ' ', SECRET)).toBe(false);
  });

  it('is false (never throws) on garbage', () => {
    for (const header of [undefined, null, '', 'mac=', 'mac=xyz', 'garbage', 'mac=' + expectedHex + '00', [], ['']]) {
      expect(verifyWebhookSignature(header as any, raw, SECRET)).toBe(false);
    }
    expect(verifyWebhookSignature('mac=' + expectedHex, 'not json', SECRET)).toBe(false);
    expect(verifyWebhookSignature('mac=' + expectedHex, '{"event_name":"x"}', SECRET)).toBe(false);
    expect(verifyWebhookSignature('mac=' + expectedHex, '[1,2]', SECRET)).toBe(false);
    expect(verifyWebhookSignature('mac=' + expectedHex, raw, '')).toBe(false);
  });

  it('signs the app_id digits as written when it arrives as a bare 19-digit number', () => {
    const bare = `{"app_id":${APP_ID},"event_name":"follow","timestamp":${TS},"follower":{"id":3368637342326461234}}`;
    const hex = crypto.createHash('sha256').update(APP_ID + bare + TS + SECRET).digest('hex');
    expect(verifyWebhookSignature(`mac=${hex}`, bare, SECRET)).toBe(true);
  });
});
