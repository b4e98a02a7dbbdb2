/** Broadcast text: placeholders, given names, the promotion template, and the limiter windows. */
import { buildBroadcastMessage, findUnknownPlaceholders, givenName, personalise } from '../../shared/broadcast/message';
import { broadcastLimiter, deliveryJobId } from '../../shared/broadcast/dispatch';

describe('placeholders', () => {
  it('names every unknown placeholder once, as written', () => {
    expect(findUnknownPlaceholders('Chào {ten}, mã {ma_doan_vien}')).toEqual([]);
    expect(findUnknownPlaceholders('Chào { ten }')).toEqual([]);
    expect(findUnknownPlaceholders('Chào {ho_ten} {tên} {ho_ten} {}')).toEqual(['{ho_ten}', '{tên}', '{}']);
  });

  it('fills in the given name (last word of a Vietnamese full name) and the member code', () => {
    expect(givenName('Nguyễn Thị Lan')).toBe('Lan');
    expect(givenName('  Đức ')).toBe('Đức');
    expect(personalise('Chào {ten} ({ma_doan_vien}), {ten}!', { fullName: 'Trần Văn Minh', memberCode: 'DV00012' })).toBe(
      'Chào Minh (DV00012), Minh!',
    );
  });
});

describe('buildBroadcastMessage', () => {
  it('builds a promotion template: header, text with <br>, banner and a link button', () => {
    const m = buildBroadcastMessage(
      { title: 'Quà Tết cho {ten}', text: 'Dòng 1\r\nDòng 2', imageUrl: 'https://x.vn/a.jpg', linkUrl: 'https://x.vn/tet' },
      { fullName: 'Lê Thị Hoa', memberCode: 'DV1' },
    );
    expect(m.attachment.payload.template_type).toBe('promotion');
    expect(m.attachment.payload.elements).toEqual([
      { type: 'banner', image_url: 'https://x.vn/a.jpg' },
      { type: 'header', content: 'Quà Tết cho Hoa', align: 'left' },
      { type: 'text', content: 'Dòng 1<br>Dòng 2', align: 'left' },
    ]);
    expect(m.attachment.payload.buttons).toEqual([{ type: 'oa.open.url', title: 'Xem chi tiết', payload: { url: 'https://x.vn/tet' } }]);
  });
});

describe('queue plumbing', () => {
  it('job ids are deterministic and never contain ":"', () => {
    expect(deliveryJobId(12, 345)).toBe('bc-12-345');
  });

  it('the queue limiter admits a little above the rate (the pacer holds the rate itself)', () => {
    for (const rate of [0.5, 1, 7, 20, 25, 40, 200, 500, 1234]) {
      const l = broadcastLimiter(rate);
      const admitted = (l.max * 1000) / l.durationMs;
      expect(admitted).toBeGreaterThanOrEqual(rate * 1.05 - 0.001);
      expect(admitted).toBeLessThanOrEqual(rate * 1.05 + 1);
    }
    expect(broadcastLimiter(500)).toEqual({ max: 525, durationMs: 1000 });
  });
});
