// One client's websocket in one room: sending with back-pressure protection, closing with a documented
// reason, and the awareness client ids this socket introduced (removed when it leaves).
import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { CloseReason } from '../../shared/protocol.js';
import { CloseCodes } from '../../shared/protocol.js';
import type { Logger } from '../log.js';
import type { Broadcast } from './messages.js';
import type { UpdateOrigin } from './origin.js';

let nextConnectionId = 1;

/** Who is behind a socket, as the server knows it from the session (never from the client). */
export interface ConnectionIdentity {
  readonly personId: string;
  readonly name: string;
  readonly delegation: string;
  readonly color: string;
  readonly role: string;
}

export class Connection {
  readonly id = nextConnectionId++;
  /** Passed as the Yjs transaction origin for this socket's updates (allocated once). */
  readonly origin: UpdateOrigin;
  /** Awareness client ids whose state this socket set; removed from the room when it closes. */
  readonly awarenessClientIds = new Set<number>();
  /** True until this socket's first awareness message (see Room.applyAwarenessUpdate). */
  awaitingFirstAwareness = true;
  /** The one awareness client id this socket speaks for (its Y.Doc's clientID), once it has sent it. */
  ownAwarenessClientId: number | null = null;
  private closed = false;
  private lastPongAt = Date.now();

  constructor(
    readonly documentId: string,
    private readonly socket: WebSocket,
    /**
     * The TCP (or TLS) socket under `socket`, which broadcasts are written to already framed (see
     * sendBroadcast); null where there is none (the in-memory message pump of the tests).
     */
    private readonly transport: Writable | null,
    private readonly maxBufferedBytes: number,
    readonly log: Logger,
    /** Null only for sockets of an unauthenticated deployment (tests of the bare relay). */
    readonly identity: ConnectionIdentity | null = null,
    /** False for observers: their updates are refused (see handleMessage). */
    readonly canWrite: boolean = true,
  ) {
    this.origin = { kind: 'connection', connection: this };
    socket.on('pong', () => {
      this.lastPongAt = Date.now();
    });
    // ws reports protocol violations (bad UTF-8, oversized frames, bad opcodes) here, then closes.
    socket.on('error', (error) => {
      this.log.info({ connection: this.id, documentId, detail: error.message }, 'socket error; closing');
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  send(message: Uint8Array): void {
    if (!this.mayWrite()) return;
    // No per-send callback: a failed write surfaces as the socket's 'error' and 'close' events.
    this.socket.send(message, { binary: true });
  }

  /**
   * Sends a relayed update or presence message: the frame built once for every receiver is written to
   * the transport as is, instead of ws framing the same bytes again for each socket. This is sound
   * because ws writes its own frames (replies, pings, the close frame) to the same transport at once
   * and in call order: it queues only while compressing, which the server never negotiates
   * (perMessageDeflate is off), or for Blob data, which we never send. Once ws is closing, isOpen is
   * false and nothing more is written.
   */
  sendBroadcast(broadcast: Broadcast): void {
    if (!this.transport) {
      this.send(broadcast.message);
      return;
    }
    if (!this.transport.writable || !this.mayWrite()) return;
    this.transport.write(broadcast.frame);
  }

  /**
   * False once the socket is closing, or once its backlog is over the limit, which closes it (4408).
   * A client that stopped reading would make us hold its backlog forever. It loses nothing by being
   * closed: on reconnect the sync handshake sends it whatever it is missing. bufferedAmount counts
   * the transport's own buffer, so broadcasts written to it directly are in it too.
   */
  private mayWrite(): boolean {
    if (!this.isOpen) return false;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCodes.slowConsumer);
      return false;
    }
    return true;
  }

  close(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close(reason.code, reason.reason);
    } catch (error) {
      this.log.debug({ err: error, connection: this.id }, 'close failed; terminating');
      this.socket.terminate();
    }
  }

  /** Called on the keep-alive interval: a socket that missed a whole interval of pongs is dead. */
  checkAlive(intervalMs: number): void {
    if (this.closed) return;
    if (Date.now() - this.lastPongAt > 2 * intervalMs) {
      this.closed = true;
      this.socket.terminate();
      return;
    }
    try {
      this.socket.ping();
    } catch {
      // The socket is closing; its close event cleans up.
    }
  }

  markClosed(): void {
    this.closed = true;
  }
}
