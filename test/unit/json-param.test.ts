import { toJsonParam } from '../../shared/db/json-param';

describe('toJsonParam', () => {
  it('replaces what jsonb refuses (U+0000, unpaired surrogates) and nothing else', () => {
    const out = JSON.parse(toJsonParam({ nul: 'a\u0000b', high: 'x\ud83d', low: '\ude00y', emoji: 'Tết 🎁', literal: 'gõ \\u0000 thử', n: 5, arr: ['\u0000'] }));
    expect(out).toEqual({ nul: 'a\ufffdb', high: 'x\ufffd', low: '\ufffdy', emoji: 'Tết 🎁', literal: 'gõ \\u0000 thử', n: 5, arr: ['\ufffd'] });
  });

  it('leaves an ordinary batch exactly as JSON.stringify writes it', () => {
    const batch = [{ k: 'user_send_text:abc', p: { text: 'lương tối thiểu vùng 1 😀', id: '9007199254740993123' } }];
    expect(toJsonParam(batch)).toBe(JSON.stringify(batch));
  });
});
