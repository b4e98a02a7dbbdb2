/** The one place errors become HTTP: `{error:{code,message}}` with the right status, no internals on 500. */
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../errors';
import { queryErrorParts, type Logger } from '../logger';

export function zodToAppError(err: ZodError, message = 'Dữ liệu không hợp lệ / validation failed'): AppError {
  const fields = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const detail = fields.map((f) => `${f.path || '(body)'}: ${f.message}`).join('; ');
  return new AppError('VALIDATION_ERROR', 400, `${message}: ${detail}`, { fields });
}

/** What of an error may be logged: a failed query without its parameters (queryErrorParts), else message and stack. */
function loggable(err: any): { message?: string; code?: string; query?: string; stack?: string } {
  return queryErrorParts(err) ?? { message: err?.message, stack: err?.stack };
}

export interface HttpError {
  status: number;
  body: { error: { code: string; message: string; fields?: unknown } };
}

/** Maps any error to its HTTP answer; logs what is not the client's fault (never internals in the body). */
export function toHttpError(err: any, logger: Logger, where: { method: string; path: string }): HttpError {
  let e: AppError;
  if (err instanceof AppError) e = err;
  else if (err instanceof ZodError) e = zodToAppError(err);
  else if (err?.type === 'entity.parse.failed') e = new AppError('MALFORMED_JSON', 400, 'JSON không hợp lệ / malformed JSON');
  else if (err?.type === 'entity.too.large') e = new AppError('PAYLOAD_TOO_LARGE', 413, 'Dữ liệu quá lớn / payload too large');
  else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    e = new AppError('BAD_REQUEST', err.status, 'Yêu cầu không hợp lệ / bad request');
  } else {
    logger.error({ err: loggable(err), path: where.path, method: where.method }, 'unhandled error');
    e = new AppError('INTERNAL', 500, 'Lỗi hệ thống, vui lòng thử lại sau / internal error');
  }
  if (e.status >= 500 && err instanceof AppError) logger.error({ code: e.code, path: where.path }, e.message);
  const body: HttpError['body'] = { error: { code: e.code, message: e.message } };
  const fields = (e.details as { fields?: unknown })?.fields;
  if (fields) body.error.fields = fields;
  return { status: e.status, body };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toHttpError(err, logger, { method: req.method, path: req.path });
    // Failed mid-stream (an export): the client must see a broken download, not wait on a hung one.
    if (res.headersSent) return void res.destroy();
    res.status(e.status).json(e.body);
  };
}

/** The same answer on Node's own response, for the handler served before Express (the webhook). */
export function writeHttpError(res: ServerResponse, e: HttpError): void {
  if (res.headersSent) return;
  const text = JSON.stringify(e.body);
  res.writeHead(e.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Không tìm thấy / not found' } });
};

/** Logs method, path (never the query string, which may carry tokens), status and duration. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug';
      logger[level]({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'http');
    });
    next();
  };
}
