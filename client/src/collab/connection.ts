// One open document: the Yjs doc, its websocket provider and the save tracker wired to both, and the
// server's refusals (read-only, access revoked, socket not admitted) reported to whoever opened it.
// Everything that knows about y-websocket's internals (message handlers, the raw socket) is here.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as authProtocol from 'y-protocols/auth';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { COLLAB_PATH, MessageType } from '../../../shared/protocol.js';
import { SaveTracker } from './save-tracker.js';

export interface DocumentConnection {
  readonly documentId: string;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly saveTracker: SaveTracker;
  /**
   * Leaves the document: at once when everything is saved, otherwise after the server acknowledged
   * the rest. Until then the tab keeps reconnecting to deliver it (and still warns before closing),
   * so moving to another page of the app never drops an edit made offline.
   */
  close(): void;
  /** Tears everything down now, saved or not. */
  destroy(): void;
  /**
   * Stops reconnecting for good and says why on the status line: access is gone, and retrying would
   * only be refused again. Unsaved changes stay counted (and the tab still warns before closing).
   */
  stop(reason: string): void;
}

/**
 * What the server refused. The page decides what it means, since that needs the API (was access
 * revoked, or did the person's role just change?), which this transport-level module does not call.
 */
export type ServerRefusal =
  /** y-protocols auth "permission denied": an update of ours was dropped (we may only read). */
  | { kind: 'permission-denied'; reason: string }
  /** The server closed the socket with a 44xx code; the provider has already stopped reconnecting. */
  | { kind: 'closed'; code: number; reason: string }
  /**
   * The socket closed before it ever opened. Either the server is down, or it refused the upgrade
   * (401/403/404 before any document byte); the browser cannot tell us which, so the page asks the API.
   */
  | { kind: 'not-admitted' };

/** `ws(s)://<this host>/collab`: the client is always served by the server it talks to (or Vite's proxy). */
export function collabServerUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${COLLAB_PATH}`;
}

function encodeSavedRequest(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.saved);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** WebSocket's readyState for an open socket (a literal, so socket stand-ins in tests need no globals). */
const SOCKET_OPEN = 1;

export interface ConnectOptions {
  /** `ws(s)://host/collab`; defaults to the page's own server. */
  serverUrl?: string;
  /** For tests: a WebSocket stand-in. */
  WebSocketImpl?: typeof WebSocket;
  /** Told about every refusal; see ServerRefusal. */
  onRefusal?: (refusal: ServerRefusal) => void;
}

export function connectToDocument(
  documentId: string,
  { serverUrl = collabServerUrl(), WebSocketImpl, onRefusal }: ConnectOptions = {},
): DocumentConnection {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, documentId, doc, {
    connect: false,
    ...(WebSocketImpl ? { WebSocketPolyfill: WebSocketImpl } : {}),
    // Tabs of one browser would otherwise trade edits among themselves; each tab must reach the
    // server on its own socket for its acknowledgements to mean anything.
    disableBc: true,
  });

  const saveTracker = new SaveTracker({
    sendAckRequest(seq) {
      const ws = provider.ws;
      if (ws === null || ws.readyState !== SOCKET_OPEN) return false;
      ws.send(encodeSavedRequest(seq));
      return true;
    },
  });

  provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
    saveTracker.receiveAck(decoding.readVarUint(decoder));
  };

  // y-websocket's own auth handler only logs a warning; an observer's page must switch to read-only.
  provider.messageHandlers[MessageType.auth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => onRefusal?.({ kind: 'permission-denied', reason }));
  };

  // "Live" needs two things on the current socket: the server's state arrived (provider.synced),
  // and we answered the server's state vector with our own updates (sync step 2), which is how edits
  // made offline reach the server. Servers may send these in either order, so track both.
  let answeredServerState = false;
  const handleSync = provider.messageHandlers[MessageType.sync];
  if (handleSync === undefined) throw new Error('y-websocket has no sync message handler');
  provider.messageHandlers[MessageType.sync] = (encoder, decoder, p, emitSynced, messageType) => {
    handleSync(encoder, decoder, p, emitSynced, messageType);
    // A reply beyond the message-type byte is our step 2; the provider sends it when we return,
    // so a request queued in a microtask lands after it on the socket.
    if (encoding.length(encoder) > 1) {
      queueMicrotask(() => {
        answeredServerState = true;
        markLiveWhenReady();
      });
    }
  };
  function markLiveWhenReady(): void {
    if (provider.synced && answeredServerState && provider.wsconnected) saveTracker.connectionLive();
  }
  provider.on('sync', (synced: boolean) => {
    if (synced) markLiveWhenReady();
  });
  // Whether the current socket ever opened: a close before that is a refused (or failed) attempt.
  let socketOpened = false;
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connecting' || status === 'disconnected') answeredServerState = false;
    if (status === 'connecting') socketOpened = false;
    if (status === 'connected') socketOpened = true;
    if (status === 'disconnected') saveTracker.connectionLost();
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    answeredServerState = false;
    saveTracker.connectionLost();
    // A null event is our own close (disconnect, or the silent-socket watchdog), not the server's.
    if (event !== null && !socketOpened && provider.shouldConnect) onRefusal?.({ kind: 'not-admitted' });
  });
  provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
    saveTracker.connectionStopped(reason || `code ${code}`);
    onRefusal?.({ kind: 'closed', code, reason });
  });

  const countLocalChange = (_update: Uint8Array, origin: unknown): void => {
    if (origin !== provider) saveTracker.recordLocalChange();
  };
  doc.on('update', countLocalChange);

  // Closing the tab with edits the server has not confirmed asks the user first. Registered here,
  // not in the UI, so it lasts as long as the edits may still be undelivered.
  const warnBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (!saveTracker.hasUnsavedChanges) return;
    event.preventDefault();
    // Older Chromium needs returnValue set; the text itself is never shown.
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', warnBeforeUnload);

  provider.connect();

  let destroyed = false;
  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    window.removeEventListener('beforeunload', warnBeforeUnload);
    doc.off('update', countLocalChange);
    saveTracker.dispose();
    provider.destroy();
    doc.destroy();
  };

  return {
    documentId,
    doc,
    provider,
    saveTracker,
    close() {
      // Others should see us leave now, not when the last edit lands.
      provider.awareness.setLocalState(null);
      if (!saveTracker.hasUnsavedChanges) {
        destroy();
        return;
      }
      const unsubscribe = saveTracker.subscribe(() => {
        if (saveTracker.hasUnsavedChanges) return;
        unsubscribe();
        destroy();
      });
    },
    destroy,
    stop(reason) {
      if (destroyed) return;
      provider.disconnect();
      saveTracker.connectionStopped(reason);
    },
  };
}
