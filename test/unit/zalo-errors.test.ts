import {
  ZaloApiError,
  ZaloHttpError,
  classifyZaloError,
  describeZaloError,
  describeZaloFailure,
} from '../../shared/zalo/errors';

describe('Zalo error classification', () => {
  it.each([-216, -124, -220])('%i is an auth error', (code) => {
    expect(classifyZaloError(code)).toEqual({ kind: 'auth', rateLimited: false, quotaExhausted: false });
  });

  it.each([-230, -213, -201, -210, -217, -227, -232])('%i is permanent', (code) => {
    expect(classifyZaloError(code).kind).toBe('permanent');
  });

  it('marks the rate limit and quota codes so the queue can pause', () => {
    expect(classifyZaloError(-32)).toEqual({ kind: 'retryable', rateLimited: true, quotaExhausted: false });
    expect(classifyZaloError(-211)).toEqual({ kind: 'retryable', rateLimited: false, quotaExhausted: true });
    const e = new ZaloApiError(-32, 'too many');
    expect(e.shouldPauseQueue).toBe(true);
    expect(e.retryable).toBe(true);
  });

  it('treats unknown negative codes as retryable', () => {
    expect(classifyZaloError(-999)).toEqual({ kind: 'retryable', rateLimited: false, quotaExhausted: false });
    expect(new ZaloApiError(-500, 'x').kind).toBe('retryable');
  });

  it('describes known codes in Vietnamese and unknown ones with the code', () => {
    expect(describeZaloError(-230)).toBe('Người dùng không tương tác với OA trong 7 ngày qua');
    expect(describeZaloError(-213)).toMatch(/quan tâm/);
    expect(describeZaloError(-12345)).toContain('-12345');
  });

  it('carries code, kind and Zalo message; kind can be forced', () => {
    const e = new ZaloApiError(-230, 'User has not interacted', { endpoint: 'message/cs' });
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.kind, e.zaloMessage, e.endpoint]).toEqual([-230, 'permanent', 'User has not interacted', 'message/cs']);
    expect(new ZaloApiError(-14014, 'bad refresh token', { kind: 'auth' }).kind).toBe('auth');
  });

  it('classifies transport errors', () => {
    expect(new ZaloHttpError('x', { errorCode: 'ECONNREFUSED' }).kind).toBe('retryable');
    expect(new ZaloHttpError('x', { status: 503 }).kind).toBe('retryable');
    expect(new ZaloHttpError('x', { status: 429 }).rateLimited).toBe(true);
    expect(new ZaloHttpError('x', { status: 404 }).kind).toBe('permanent');
    expect(new ZaloHttpError('x', { errorCode: 'ECONNABORTED' }).timedOut).toBe(true);
  });

  it('summarizes any failure for delivery lists', () => {
    expect(describeZaloFailure(new ZaloApiError(-230, 'x'))).toMatchObject({ kind: 'permanent', code: -230 });
    expect(describeZaloFailure(new ZaloHttpError('x', { status: 503 }))).toMatchObject({ kind: 'retryable', code: null });
    expect(describeZaloFailure(new Error('bug')).kind).toBe('retryable');
  });
});
