// Real clients for integration tests: the stock y-websocket WebsocketProvider over the `ws` package,
// destroyed when the test finishes, plus Concord's save request sent on the provider's own socket.
import * as decoding from 'lib0/decoding';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { COLLAB_PATH, MessageType } from '../../shared/protocol.js';
import { saveRequestFrame } from './frames.js';
import { ensureDocument, organiserToken } from './test-access.js';
import { withTimeout } from './wait-for.js';

export interface ConnectOptions {
  /** Resolve only once the first sync with the server finished (default true). */
  waitForSync?: boolean;
  timeout?: number;
  doc?: Y.Doc;
}

export interface ConnectedClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/**
 * A WebsocketProvider for `docId`, destroyed (with its doc) at the end of the test.
 * BroadcastChannel is disabled: in one Node process every provider of a room would otherwise sync
 * through lib0's in-memory channel, and a test would pass against a server that relays nothing.
 */
export async function connectProvider(
  serverUrl: string,
  docId: string,
  { waitForSync = true, timeout = 10_000, doc = new Y.Doc() }: ConnectOptions = {},
): Promise<ConnectedClient> {
  await ensureDocument(serverUrl, docId);
  const token = await organiserToken(serverUrl);
  const provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + COLLAB_PATH, docId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  onTestFinished(() => {
    provider.destroy();
    doc.destroy();
  });
  if (waitForSync) await waitForProviderSync(provider, timeout);
  return { doc, provider };
}

/** Resolves when the provider has received the server's sync step 2 on its current connection. */
export async function waitForProviderSync(provider: WebsocketProvider, timeout = 10_000): Promise<void> {
  if (provider.synced) return;
  let onSync: ((state: boolean) => void) | undefined;
  try {
    await withTimeout(
      new Promise<void>((resolve) => {
        onSync = (state) => {
          if (state) resolve();
        };
        provider.on('sync', onSync);
      }),
      timeout,
      `provider for "${provider.roomname}" to sync`,
    );
  } finally {
    if (onSync) provider.off('sync', onSync);
  }
}

const saveWaiters = new WeakMap<WebsocketProvider, Map<number, () => void>>();

/**
 * Sends `[100, seq]` on the provider's current socket, after every update it has already sent, and
 * resolves when the server echoes it: from then on those updates are on disk.
 */
export async function requestSave(provider: WebsocketProvider, seq: number, timeout = 5000): Promise<void> {
  let waiters = saveWaiters.get(provider);
  if (!waiters) {
    const byseq = new Map<number, () => void>();
    waiters = byseq;
    saveWaiters.set(provider, byseq);
    provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
      const acked = decoding.readVarUint(decoder);
      byseq.get(acked)?.();
      byseq.delete(acked);
    };
  }
  const ws = provider.ws;
  if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error('provider is not connected');
  const acked = new Promise<void>((resolve) => waiters.set(seq, resolve));
  ws.send(saveRequestFrame(seq));
  await withTimeout(acked, timeout, `the server to acknowledge save ${seq}`);
}

/**
 * Drops the provider's TCP connection without a close frame or a goodbye awareness update, as a
 * crashed browser would, and keeps it from reconnecting.
 */
export function dropConnection(provider: WebsocketProvider): void {
  provider.shouldConnect = false;
  (provider.ws as unknown as WebSocket | null)?.terminate();
}
