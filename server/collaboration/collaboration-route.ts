// The websocket route `GET /collab/:documentId`: checks the id before the upgrade, then ties a socket to
// its room. Frames that arrive while the document loads are queued and handled in order once it is ready.
import type { HttpBindings } from '@hono/node-server';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { WebSocket } from 'ws';
import { COLLAB_PATH, CloseCodes, isValidDocumentId } from '../../shared/protocol.js';
import { HttpError, ProtocolError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { Connection, type ConnectionIdentity } from './connection.js';
import { handleMessage } from './message-handler.js';
import type { Room } from './room.js';
import type { RoomRegistry } from './room-registry.js';

export interface CollaborationRouteOptions {
  registry: RoomRegistry;
  upgradeWebSocket: UpgradeWebSocket<WebSocket>;
  /** Every open connection (for keep-alive and shutdown). */
  connections: Set<Connection>;
  maxBufferedBytes: number;
  log: Logger;
  /**
   * Decides, before the upgrade, who is connecting and what they may do; throws an HttpError (401 no
   * session, 404 unknown document, 403 no right to it) to refuse with that status.
   */
  authorize(c: Context, documentId: string): Promise<SocketAccess>;
}

export interface SocketAccess {
  identity: ConnectionIdentity;
  canWrite: boolean;
}

const requireValidDocumentId: MiddlewareHandler = async (c, next) => {
  const documentId = c.req.param('documentId') ?? '';
  if (!isValidDocumentId(documentId)) {
    throw new HttpError(400, 'invalid_document_id', 'document ids are 1-64 characters of A-Z, a-z, 0-9, _ and -');
  }
  await next();
};

export function mountCollaborationRoute(app: Hono, options: CollaborationRouteOptions): void {
  const { registry, connections, log } = options;

  app.get(
    `${COLLAB_PATH}/:documentId`,
    requireValidDocumentId,
    options.upgradeWebSocket(async (c) => {
      const documentId = c.req.param('documentId') ?? '';
      const access = await options.authorize(c, documentId);
      let connection: Connection | null = null;
      let room: Room | null = null;
      let queued: Uint8Array[] = [];
      let queuedBytes = 0;

      const handleFrame = (frame: Uint8Array): void => {
        if (!room || !connection || !connection.isOpen) return;
        try {
          handleMessage(room, connection, frame);
        } catch (error) {
          if (error instanceof ProtocolError) {
            log.info(
              { documentId, connection: connection.id, code: error.closeReason.code, detail: error.message },
              'closing socket after bad input',
            );
            connection.close(error.closeReason);
          } else {
            log.error({ err: describeError(error), documentId, connection: connection.id }, 'message handling failed');
            connection.close(CloseCodes.internalError);
          }
        }
      };

      const onFrame = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void => {
        if (!connection) return;
        if (!isBinary) {
          connection.close(CloseCodes.textFrame);
          return;
        }
        // ws hands out views into the socket's read buffer; handleMessage copies what it keeps.
        const frame = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
        if (room) {
          handleFrame(frame);
          return;
        }
        queuedBytes += frame.byteLength;
        if (queuedBytes > options.maxBufferedBytes) {
          connection.close(CloseCodes.slowConsumer);
          return;
        }
        queued.push(new Uint8Array(frame));
      };

      return {
        onOpen(_event, ws) {
          const socket = ws.raw;
          if (!socket) return;
          // The upgrade request's socket is the transport ws took over (see Connection.sendBroadcast).
          const transport = (c.env as HttpBindings).incoming.socket;
          const opened = new Connection(documentId, socket, transport, options.maxBufferedBytes, log, access.identity, access.canWrite);
          connection = opened;
          connections.add(opened);
          // Frames are read off the ws socket itself, not through Hono's onMessage: for every frame that
          // would build a DOM MessageEvent and copy the bytes into a fresh ArrayBuffer, which cost the
          // relay ~4% of its CPU (perf, 1×16 bench). Hono calls onOpen in the same turn as it starts
          // listening, so no frame can arrive before this listener does (and, as there is no
          // onMessage, what Hono itself receives goes nowhere).
          socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => onFrame(data, isBinary));
          registry.getOrLoad(documentId).then(
            (loaded) => {
              if (!opened.isOpen) {
                if (loaded.connections.size === 0) registry.scheduleUnload(loaded);
                return;
              }
              room = loaded;
              loaded.addConnection(opened);
              loaded.greet(opened);
              const frames = queued;
              queued = [];
              queuedBytes = 0;
              for (const frame of frames) handleFrame(frame);
            },
            (error: unknown) => {
              log.error({ err: describeError(error), documentId }, 'document could not be loaded');
              opened.close(CloseCodes.documentUnavailable);
            },
          );
        },
        onClose() {
          if (!connection) return;
          connection.markClosed();
          connections.delete(connection);
          if (room) {
            room.removeConnection(connection);
            if (room.connections.size === 0) registry.scheduleUnload(room);
          }
        },
        // No onError here on purpose: @hono/node-ws builds an ErrorEvent for it, which Node 20 lacks
        // (ReferenceError on every socket error). Connection listens to the socket's errors itself.
      };
    }),
  );
}
