// The collaboration wire contract shared by the server, the web client, tests and the benchmark.
// Message types 0-3 are the y-websocket protocol (y-protocols sync + awareness); everything Concord
// adds is listed here too, so a reader sees the whole protocol in one place.

/** Where the websocket lives: `ws://HOST:PORT/collab/<documentId>` (stock WebsocketProvider URL + room). */
export const COLLAB_PATH = '/collab';

/** Document ids: short, URL-safe, and safe as a file or SQL key. Any other id is refused before upgrade. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidDocumentId(id: string): boolean {
  return DOCUMENT_ID_PATTERN.test(id);
}

/** The Y.XmlFragment that holds the editor's content (TipTap's Collaboration default). */
export const EDITOR_FRAGMENT = 'default';

/** First varUint of every binary frame. */
export const MessageType = {
  /** y-protocols sync: step 1 (state vector), step 2 (missing updates), update. */
  sync: 0,
  /** y-protocols awareness update (presence, carets). */
  awareness: 1,
  /** y-protocols auth (permission denied); used by the roles work. */
  auth: 2,
  /** Ask the server to send every awareness state it knows. */
  queryAwareness: 3,
  /**
   * Concord's save acknowledgement. The client sends `[100, seq]` after local changes; the server
   * answers `[100, seq]` once every update it received on that socket before the request is committed
   * to disk. Frames on one socket are handled in order, so the answer proves durability of everything
   * sent before it, deletions included (which a state-vector comparison would miss). The server never
   * sends this type unprompted, so stock y-websocket clients never see it.
   */
  saved: 100,
} as const;

/** y-protocols auth sub-type: permission denied, followed by a reason string. */
export const AUTH_PERMISSION_DENIED = 0;
/** The reason sent (as an auth permission-denied message) when an observer's socket tries to write. */
export const READ_ONLY_REASON = 'read-only';

/** Sub-types of MessageType.sync, as y-protocols writes them. */
export const SyncMessageType = { step1: 0, step2: 1, update: 2 } as const;

export interface CloseReason {
  readonly code: number;
  readonly reason: string;
}

/**
 * Every close code the server uses. A client sees `code` and `reason` in its close event.
 * Codes 1xxx are the standard ones that `ws` itself also uses; 4xxx are Concord's.
 */
export const CloseCodes = {
  /** Server is shutting down (SIGTERM); clients should reconnect later. */
  goingAway: { code: 1001, reason: 'server shutting down' },
  /** A text frame: the protocol is binary only. */
  textFrame: { code: 1003, reason: 'text frames are not accepted' },
  /** A frame over MAX_MESSAGE_BYTES (ws closes with this code itself). */
  messageTooLarge: { code: 1009, reason: 'message too large' },
  /** An unexpected server fault while handling this socket; other sockets are unaffected. */
  internalError: { code: 1011, reason: 'internal error' },
  /** A frame that cannot be decoded: bad varints, truncated data, trailing bytes, unknown types. */
  malformedMessage: { code: 4400, reason: 'malformed message' },
  /** A sync update that Yjs cannot decode or apply; nothing of it was applied, stored or relayed. */
  invalidUpdate: { code: 4422, reason: 'update rejected' },
  /** No valid session (expired or signed out while connected). */
  unauthenticated: { code: 4401, reason: 'session required' },
  /** The person's access was revoked or changed; reconnecting re-checks it. */
  accessRevoked: { code: 4403, reason: 'access revoked' },
  /** The document could not be loaded from storage. */
  documentUnavailable: { code: 4503, reason: 'document unavailable' },
  /** The client did not read fast enough and its send buffer overflowed; it will resync on reconnect. */
  slowConsumer: { code: 4408, reason: 'client too slow' },
} as const satisfies Record<string, CloseReason>;

/** Defaults for the limits that are configurable on the server (see README: configuration). */
export const DEFAULT_LIMITS = {
  /** Largest accepted websocket frame. A 50-page communiqué with history is well under 2 MiB. */
  maxMessageBytes: 16 * 1024 * 1024,
  /** Largest HTTP request body. */
  maxRequestBytes: 1024 * 1024,
  /** A client whose unsent server→client data exceeds this is disconnected (it resyncs on reconnect). */
  maxBufferedBytes: 64 * 1024 * 1024,
} as const;
