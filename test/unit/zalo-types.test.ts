import {
  eventDedupeKey,
  eventUserId,
  parseWebhookEvent,
  parseWebhookJson,
  zaloMessageSchema,
} from '../../shared/zalo/types';
import { quoteLongIds } from '../../shared/zalo/json';
import { parseWebhookEvent as parseEvent } from '../../shared/zalo';

const USER = '3368637342326461234';
const OA = '1414213562373095048';
const APP = '2718281828459045235';

const textRaw = `{
  "app_id": "${APP}",
  "sender": { "id": "${USER}" },
  "user_id_by_app": "5527106912345678901",
  "recipient": { "id": "${OA}" },
  "event_name": "user_send_text",
  "message": { "text": "Lương tối thiểu vùng năm 2026 là bao nhiêu?", "msg_id": "96d3cdf3af150460909" },
  "timestamp": "1767225600123"
}`;

function parse(raw: string) {
  return parseWebhookEvent(parseWebhookJson(raw));
}

describe('parseWebhookJson', () => {
  it('keeps every digit of bare 19-digit ids, also inside arrays', () => {
    const raw = `{"app_id":${APP},"event_name":"user_seen_message","timestamp":1767225600123,
      "sender":{"id":${OA}},"recipient":{"id":${USER}},"message":{"msg_ids":[9007199254740993123, "abc"]},
      "count":12345678901234567}`;
    const j = parseWebhookJson(raw) as any;
    expect(j.app_id).toBe(APP);
    expect(j.sender.id).toBe(OA);
    expect(j.recipient.id).toBe(USER);
    expect(j.message.msg_ids).toEqual(['9007199254740993123', 'abc']);
    expect(j.timestamp).toBe(1767225600123); // 13 digits: left alone
    expect(typeof j.count).toBe('number'); // not an id-like key: untouched
    expect(JSON.parse(raw).recipient.id).not.toBe(USER); // what plain JSON.parse would do
  });

  it('finds bare ids after whitespace and newlines, and second array elements', () => {
    const j = parseWebhookJson(`{"user_id" :\n\t ${USER}, "msg_ids": [ ${OA},\n ${USER} ]}`) as any;
    expect(j.user_id).toBe(USER);
    expect(j.msg_ids).toEqual([OA, USER]);
  });

  it('leaves strings containing digits, escaped quotes and normal bodies alone', () => {
    const raw = `{"message":{"text":"mã \\"id\\": 3368637342326461234, user_id: 3368637342326461234"},"user_id":"${USER}"}`;
    expect(quoteLongIds(raw)).toBe(raw);
    expect((parseWebhookJson(raw) as any).message.text).toContain('3368637342326461234');
    expect(quoteLongIds('{"a":1}')).toBe('{"a":1}');
  });

  it('throws on invalid JSON like JSON.parse', () => {
    expect(() => parseWebhookJson('{"user_id": 3368637342326461234')).toThrow(SyntaxError);
  });
});

describe('parseWebhookEvent', () => {
  it('parses user_send_text with string ids', () => {
    const r = parse(textRaw);
    expect(r).toMatchObject({ ok: true, known: true });
    if (!r.ok || !r.known || r.event.event_name !== 'user_send_text') throw new Error('unexpected');
    expect(r.event.sender.id).toBe(USER);
    expect(r.event.message.text).toMatch(/Lương tối thiểu/);
    expect(r.event.timestamp).toBe('1767225600123');
    expect(eventUserId(r.event)).toBe(USER);
    expect(eventDedupeKey(r.event)).toBe('user_send_text:96d3cdf3af150460909');
  });

  it('coerces numeric ids and timestamps to strings without losing digits', () => {
    const raw = textRaw
      .replace(`"id": "${USER}"`, `"id": ${USER}`)
      .replace(`"app_id": "${APP}"`, `"app_id": ${APP}`)
      .replace('"timestamp": "1767225600123"', '"timestamp": 1767225600123');
    const r = parse(raw);
    if (!r.ok || !r.known || r.event.event_name !== 'user_send_text') throw new Error(JSON.stringify(r));
    expect(r.event.sender.id).toBe(USER);
    expect(r.event.app_id).toBe(APP);
    expect(r.event.timestamp).toBe('1767225600123');
  });

  it('parses attachments (image, location, file)', () => {
    const base = { app_id: APP, sender: { id: USER }, recipient: { id: OA }, timestamp: '1767225600123' };
    const image = parseWebhookEvent({
      ...base,
      event_name: 'user_send_image',
      message: { msg_id: 'm1', text: 'ảnh', attachments: [{ type: 'image', payload: { url: 'https://x/1.jpg', thumbnail: 'https://x/t.jpg' } }] },
    });
    expect(image).toMatchObject({ ok: true, known: true });
    const loc = parseWebhookEvent({
      ...base,
      event_name: 'user_send_location',
      message: { msg_id: 'm2', attachments: [{ type: 'location', payload: { coordinates: { latitude: '10.77', longitude: 106.7 } } }] },
    });
    if (!loc.ok || !loc.known || loc.event.event_name !== 'user_send_location') throw new Error('unexpected');
    expect(loc.event.message.attachments[0].payload.coordinates).toEqual({ latitude: 10.77, longitude: 106.7 });
    const file = parseWebhookEvent({
      ...base,
      event_name: 'user_send_file',
      message: { msg_id: 'm3', attachments: [{ type: 'file', payload: { url: 'https://x/f.pdf', name: 'don.pdf', size: '2048', type: 'pdf' } }] },
    });
    expect(file.ok).toBe(true);
  });

  it('parses follow/unfollow with follower.id', () => {
    const r = parse(
      `{"oa_id":"${OA}","follower":{"id":"${USER}"},"user_id_by_app":"5527106912345678901","event_name":"follow","source":"testing_webhook","app_id":"${APP}","timestamp":"1767225600123"}`,
    );
    if (!r.ok || !r.known) throw new Error('unexpected');
    expect(r.event.event_name).toBe('follow');
    expect(eventUserId(r.event)).toBe(USER);
    expect(eventDedupeKey(r.event)).toBe(`follow:${USER}:1767225600123`);
    const u = parse(`{"oa_id":"${OA}","follower":{"id":${USER}},"event_name":"unfollow","app_id":"${APP}","timestamp":"1"}`);
    expect(u.ok && u.known && eventUserId(u.event)).toBe(USER);
  });

  it('parses user_submit_info with optional fields, numbers and nulls', () => {
    const r = parseWebhookEvent({
      app_id: APP,
      sender: { id: USER },
      recipient: { id: OA },
      event_name: 'user_submit_info',
      timestamp: '1767225600123',
      info: { name: 'Nguyễn Văn A', phone: 84912345678, address: null, city: 'Hà Nội' },
    });
    if (!r.ok || !r.known || r.event.event_name !== 'user_submit_info') throw new Error(JSON.stringify(r));
    expect(r.event.info).toMatchObject({ name: 'Nguyễn Văn A', phone: '84912345678', city: 'Hà Nội' });
    expect(r.event.info.address).toBeUndefined();
  });

  it('parses receipts with the user as recipient', () => {
    const received = parseWebhookEvent({
      app_id: APP,
      sender: { id: OA },
      recipient: { id: USER },
      event_name: 'user_received_message',
      timestamp: '2',
      message: { msg_id: 'oa-msg-1', delivery_time: '2' },
    });
    if (!received.ok || !received.known) throw new Error('unexpected');
    expect(eventUserId(received.event)).toBe(USER);
    expect(eventDedupeKey(received.event)).toBe('user_received_message:oa-msg-1');
    const seen = parseWebhookEvent({
      app_id: APP,
      sender: { id: OA },
      recipient: { id: USER },
      event_name: 'user_seen_message',
      timestamp: '3',
      message: { msg_ids: ['oa-msg-1', 'oa-msg-2'] },
    });
    if (!seen.ok || !seen.known || seen.event.event_name !== 'user_seen_message') throw new Error('unexpected');
    expect(seen.event.message.msg_ids).toEqual(['oa-msg-1', 'oa-msg-2']);
    expect(eventUserId(seen.event)).toBe(USER);
    expect(eventDedupeKey(seen.event)).toBe(`user_seen_message:${USER}:3`);
  });

  it('parses chat-now, reactions and OA echoes', () => {
    const base = { app_id: APP, timestamp: '5' };
    const chat = parseWebhookEvent({ ...base, event_name: 'user_click_chatnow', sender: { id: USER }, recipient: { id: OA } });
    expect(chat).toMatchObject({ ok: true, known: true });
    const chat2 = parseWebhookEvent({ ...base, event_name: 'user_click_chatnow', oa_id: OA, user_id: USER });
    expect(chat2.ok && chat2.known && eventUserId(chat2.event)).toBe(USER);
    const react = parseWebhookEvent({
      ...base,
      event_name: 'user_reacted_message',
      sender: { id: USER },
      recipient: { id: OA },
      message: { msg_id: 'oa-msg-1', react_icon: '/-heart' },
    });
    if (!react.ok) throw new Error('unexpected');
    expect(eventDedupeKey(react.event)).toBe('user_reacted_message:oa-msg-1:5');
    const echo = parseWebhookEvent({
      ...base,
      event_name: 'oa_send_text',
      sender: { id: OA },
      recipient: { id: USER },
      message: { msg_id: 'oa-msg-1', text: 'Xin chào' },
    });
    if (!echo.ok || !echo.known) throw new Error('unexpected');
    expect(eventUserId(echo.event)).toBe(USER);
    expect(eventDedupeKey(echo.event)).not.toBe(eventDedupeKey(react.event));
  });

  it('accepts unknown events as unknown', () => {
    const r = parseWebhookEvent({ app_id: APP, event_name: 'user_withdraw', timestamp: '9', user_id: USER, oa_id: OA });
    expect(r).toMatchObject({ ok: true, known: false });
    if (!r.ok) throw new Error('unexpected');
    expect(r.event.event_name).toBe('user_withdraw');
    expect((r.event as any).user_id).toBe(USER);
    expect(eventUserId(r.event)).toBe(USER);
    expect(eventDedupeKey(r.event)).toBe(`user_withdraw:${USER}:9`);
  });

  it('rejects a known event missing its sender, or malformed input', () => {
    const noSender = JSON.parse(textRaw);
    delete noSender.sender;
    const r = parseWebhookEvent(noSender);
    expect(r.ok).toBe(false);
    if (r.ok) throw new Error('unexpected');
    expect(r.issues.some((i) => i.path === 'sender')).toBe(true);
    const noText = JSON.parse(textRaw);
    delete noText.message.text;
    expect(parseWebhookEvent(noText).ok).toBe(false);
    expect(parseWebhookEvent({ ...JSON.parse(textRaw), timestamp: 'yesterday' }).ok).toBe(false);
    expect(parseWebhookEvent(null).ok).toBe(false);
    expect(parseWebhookEvent([]).ok).toBe(false);
    expect(parseWebhookEvent({ foo: 1 }).ok).toBe(false);
  });
});

describe('zaloMessageSchema', () => {
  it('accepts the shapes the builders produce and rejects junk', () => {
    expect(zaloMessageSchema.safeParse({ text: 'a' }).success).toBe(true);
    expect(zaloMessageSchema.safeParse({ text: '' }).success).toBe(false);
    expect(zaloMessageSchema.safeParse({ foo: 1 }).success).toBe(false);
  });
});

describe('ids found by fuzzing', () => {
  it('rejects non-integer numeric ids instead of throwing', () => {
    const r = parseEvent({ app_id: '1', user_id_by_app: 5e-324, event_name: 'user_send_text', timestamp: '1', sender: { id: '7' }, recipient: { id: '1' }, message: { msg_id: 'a', text: 'x' } });
    expect(r.ok).toBe(false);
  });
});
