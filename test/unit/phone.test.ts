import { normalizeVietnamesePhone } from '../../shared/phone';

describe('normalizeVietnamesePhone', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['0084912345678', '+84912345678'],
    ['912345678', '+84912345678'],
    ['0387654321', '+84387654321'],
    ['02438251234', '+842438251234'],
  ])('%s → %s', (input, out) => {
    expect(normalizeVietnamesePhone(input)).toBe(out);
  });

  it.each(['', 'abc', '12345', '0112345678', '09123456789012'])('rejects %p', (input) => {
    expect(normalizeVietnamesePhone(input)).toBeNull();
  });
});
