// The typed failures of Concord. HTTP routes throw HttpError and one `app.onError` turns it into
// `{ error: { code, message } }`; the websocket path throws ProtocolError and closes with its code.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CloseReason } from '../shared/protocol.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A client broke the protocol: its socket is closed with `closeReason`; nothing else is affected. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    readonly closeReason: CloseReason,
    detail: string,
  ) {
    super(detail);
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
