// The one place where failures become HTTP responses: `{ error: { code, message } }` with the right
// status. Unknown errors are logged with context and answered generically.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { HttpError, describeError } from '../errors.js';
import type { Logger } from '../log.js';

export function errorResponse(c: Context, status: HttpError['status'], code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}

export function createErrorFunnel(log: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof HttpError) return errorResponse(c, error.status, error.code, error.message);
    if (error instanceof HTTPException) {
      return errorResponse(c, error.status, `http_${error.status}`, error.message || 'request refused');
    }
    log.error({ err: describeError(error), method: c.req.method, path: c.req.path }, 'unhandled error');
    return errorResponse(c, 500, 'internal_error', 'internal error');
  };
}
