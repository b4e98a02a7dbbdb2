/** One error type with a code and HTTP status; mapped to `{error:{code,message}}` in one place (http/error-handler). */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(code, 400, message, details);
export const unauthorized = (message = 'Cần đăng nhập / authentication required') =>
  new AppError('UNAUTHORIZED', 401, message);
export const forbidden = (message = 'Không có quyền / forbidden') => new AppError('FORBIDDEN', 403, message);
export const notFound = (code = 'NOT_FOUND', message = 'Không tìm thấy / not found') => new AppError(code, 404, message);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
export const tooMany = (message = 'Quá nhiều yêu cầu, vui lòng thử lại sau / too many requests') =>
  new AppError('RATE_LIMITED', 429, message);
