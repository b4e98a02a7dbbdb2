import fc from 'fast-check';
import {
  button,
  buttonsMessage,
  imageMessage,
  promotionMessage,
  requestUserInfoMessage,
  splitText,
  textMessage,
  transactionMessage,
} from '../../shared/zalo/messages';
import { zaloMessageSchema } from '../../shared/zalo/types';

/** Checks the splitText contract: parts ≤ limit, non-empty, in order, only whitespace dropped. */
function expectLossless(text: string, parts: string[], limit: number) {
  for (const p of parts) {
    expect(p.length).toBeLessThanOrEqual(limit);
    expect(p.length).toBeGreaterThan(0);
    expect(p).toBe(p.trim());
  }
  expect(parts.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  // Each part is a contiguous piece of the original, in order.
  let from = 0;
  for (const p of parts) {
    const at = text.indexOf(p, from);
    expect(at).toBeGreaterThanOrEqual(from);
    expect(text.slice(from, at).trim()).toBe('');
    from = at + p.length;
  }
  expect(text.slice(from).trim()).toBe('');
}

describe('splitText', () => {
  it('returns short text as one part and blank text as none', () => {
    expect(splitText('Xin chào')).toEqual(['Xin chào']);
    expect(splitText('   ')).toEqual([]);
    expect(splitText('')).toEqual([]);
    expect(splitText('a'.repeat(2000))).toHaveLength(1);
  });

  it('prefers sentence boundaries', () => {
    const s1 = 'Người lao động được nghỉ thai sản 6 tháng. ';
    const text = s1.repeat(60); // ~2640 chars
    const parts = splitText(text, 2000);
    expect(parts.length).toBe(2);
    expectLossless(text, parts, 2000);
    for (const p of parts) expect(p.endsWith('tháng.')).toBe(true);
  });

  it('prefers paragraph breaks over sentences when they are not too early', () => {
    const para = 'Câu một. Câu hai. Câu ba.';
    const text = `${para}\n\n${para}\n\n${para}`;
    // limit 40: each window also holds a later sentence end, but the paragraph break wins.
    expect(splitText(text, 40)).toEqual([para, para, para]);
    // limit 60: two paragraphs fit in one part.
    expect(splitText(text, 60)).toEqual([`${para}\n\n${para}`, para]);
  });

  it('falls back to whitespace and never cuts a word', () => {
    const words = Array.from({ length: 500 }, (_, i) => `từ${i}`);
    const text = words.join(' ');
    const parts = splitText(text, 100);
    expectLossless(text, parts, 100);
    for (const p of parts) for (const w of p.split(' ')) expect(words).toContain(w);
  });

  it('cuts a single over-long word, keeping emoji whole', () => {
    const text = 'x'.repeat(9) + '😀' + 'y'.repeat(20);
    const parts = splitText(text, 10);
    expectLossless(text, parts, 10);
    expect(parts[0]).toBe('x'.repeat(9));
    expect(parts[1].startsWith('😀')).toBe(true);
  });

  it('splits 4500 chars into 3 parts of ≤ 2000', () => {
    const text = ('Điều 139 Bộ luật Lao động 2019 quy định về nghỉ thai sản. ').repeat(80).slice(0, 4500);
    const parts = splitText(text);
    expect(parts).toHaveLength(3);
    expectLossless(text, parts, 2000);
  });

  it('holds for arbitrary text (property)', () => {
    const alphabet = fc.constantFrom('a', 'ư', 'Đ', ' ', ' ', '.', '!', '?', '\n', '\n\n', '😀', 'word', '…');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), fc.integer({ min: 2, max: 50 }), (chunks, limit) => {
        const text = chunks.join('');
        expectLossless(text, splitText(text, limit), limit);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a bad limit', () => {
    expect(() => splitText('abc', 0)).toThrow(RangeError);
  });
});

describe('message builders', () => {
  it('builds text and validates its length', () => {
    expect(textMessage('Chào bạn')).toEqual({ text: 'Chào bạn' });
    expect(() => textMessage('')).toThrow(RangeError);
    expect(() => textMessage('a'.repeat(2001))).toThrow(RangeError);
  });

  it('builds text + buttons as a template attachment without template_type', () => {
    const m = buttonsMessage('Bạn muốn hỏi gì?', [
      button.query('Chế độ thai sản', 'thai sản'),
      button.hiddenQuery('Đăng ký', '#dang-ky'),
      button.url('Xem văn bản', 'https://thuvienphapluat.vn/'),
      button.phone('Gọi cán bộ', '84912345678'),
    ]);
    expect(m).toEqual({
      text: 'Bạn muốn hỏi gì?',
      attachment: {
        type: 'template',
        payload: {
          buttons: [
            { type: 'oa.query.show', title: 'Chế độ thai sản', payload: 'thai sản' },
            { type: 'oa.query.hide', title: 'Đăng ký', payload: '#dang-ky' },
            { type: 'oa.open.url', title: 'Xem văn bản', payload: { url: 'https://thuvienphapluat.vn/' } },
            { type: 'oa.open.phone', title: 'Gọi cán bộ', payload: { phone_code: '84912345678' } },
          ],
        },
      },
    });
    expect(zaloMessageSchema.safeParse(m).success).toBe(true);
  });

  it('enforces ≤ 5 buttons and titles ≤ 100 chars', () => {
    const six = Array.from({ length: 6 }, (_, i) => button.query(`Nút ${i}`, `p${i}`));
    expect(() => buttonsMessage('x', six)).toThrow(RangeError);
    expect(() => buttonsMessage('x', six.slice(0, 5))).not.toThrow();
    expect(() => button.query('t'.repeat(101), 'p')).toThrow(RangeError);
    expect(() => button.url('ok', 'not a url')).toThrow(RangeError);
    expect(() => buttonsMessage('x', [])).toThrow(RangeError);
  });

  it('builds image messages by URL or attachment id', () => {
    expect(imageMessage('https://cdn.example/a.png', 'Thông báo')).toEqual({
      text: 'Thông báo',
      attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://cdn.example/a.png' }] } },
    });
    expect(imageMessage({ attachmentId: 'att1' }).attachment.payload.elements[0]).toEqual({ media_type: 'image', attachment_id: 'att1' });
  });

  it('builds request_user_info with exactly one element', () => {
    const m = requestUserInfoMessage('Liên kết đoàn viên', 'Chia sẻ số điện thoại để xác minh', 'https://cdn.example/logo.png');
    expect(m.attachment.payload).toEqual({
      template_type: 'request_user_info',
      elements: [{ title: 'Liên kết đoàn viên', subtitle: 'Chia sẻ số điện thoại để xác minh', image_url: 'https://cdn.example/logo.png' }],
    });
  });

  it('builds transaction and promotion templates', () => {
    const t = transactionMessage({
      title: 'Đăng ký đã được duyệt',
      lines: ['Chúc mừng bạn!', { key: 'Chương trình', value: 'Tham quan hè 2026' }, { key: 'Trạng thái', value: 'Đã duyệt' }],
      buttons: [button.url('Xem chi tiết', 'https://example.org/r/1')],
    });
    expect(t.attachment.payload).toEqual({
      template_type: 'transaction_order',
      language: 'VI',
      elements: [
        { type: 'header', content: 'Đăng ký đã được duyệt', align: 'left' },
        { type: 'text', content: 'Chúc mừng bạn!', align: 'left' },
        { type: 'table', content: [{ key: 'Chương trình', value: 'Tham quan hè 2026' }, { key: 'Trạng thái', value: 'Đã duyệt' }] },
      ],
      buttons: [{ type: 'oa.open.url', title: 'Xem chi tiết', payload: { url: 'https://example.org/r/1' } }],
    });
    const p = promotionMessage({ title: 'Thông báo Đại hội', lines: ['Dòng 1', 'Dòng 2'], banner: { imageUrl: 'https://cdn.example/b.jpg' } });
    expect(p.attachment.payload.template_type).toBe('promotion');
    expect(p.attachment.payload.elements[0]).toEqual({ type: 'banner', image_url: 'https://cdn.example/b.jpg' });
    expect(p.attachment.payload.elements[2]).toEqual({ type: 'text', content: 'Dòng 1<br>Dòng 2', align: 'left' });
    expect(p.attachment.payload).not.toHaveProperty('buttons');
    expect(() => transactionMessage({ title: '' })).toThrow(RangeError);
  });
});
