// A bare `ws` client for tests that send crafted frames and watch exactly what the server answers:
// every received frame is kept, and the close event ({ code, reason }) is a promise.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { readSaveAck, saveRequestFrame } from './frames.js';
import { authorizedCollabUrl } from './test-access.js';
import { withTimeout } from './wait-for.js';

export interface CloseInfo {
  code: number;
  reason: string;
}

export type BarrierResult = { acked: true } | { acked: false; close: CloseInfo };

export class RawSocket {
  readonly received: Uint8Array[] = [];
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  private readonly messageListeners = new Set<(data: Uint8Array) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      this.received.push(bytes);
      for (const listener of this.messageListeners) listener(bytes);
    });
    // Without a listener an 'error' event would be thrown; the close event carries what tests assert.
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        resolve(this.closeInfo);
      });
    });
  }

  /** Opens a socket to `/collab/<docId>`; it is terminated when the test finishes. */
  static async open(serverUrl: string, docId: string, { timeout = 5000 } = {}): Promise<RawSocket> {
    const ws = new WebSocket(await authorizedCollabUrl(serverUrl, docId));
    const socket = new RawSocket(ws);
    onTestFinished(() => socket.terminate());
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      }),
      timeout,
      `websocket to ${docId} to open`,
    );
    return socket;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a binary frame (Uint8Array) or a text frame (string). Errors after a close are ignored. */
  send(data: Uint8Array | string): void {
    if (!this.isOpen) return;
    this.ws.send(data, { binary: typeof data !== 'string' }, () => {});
  }

  /** Resolves with the first frame (received from now on) for which `match` returns a value. */
  async nextMessage<T>(match: (data: Uint8Array) => T | undefined, timeout = 5000): Promise<T> {
    let listener: ((data: Uint8Array) => void) | undefined;
    try {
      return await withTimeout(
        new Promise<T>((resolve, reject) => {
          listener = (data) => {
            const value = match(data);
            if (value !== undefined) resolve(value);
          };
          this.messageListeners.add(listener);
          void this.closed.then((close) => reject(new Error(`socket closed (${close.code} ${close.reason})`)));
        }),
        timeout,
        'a matching frame',
      );
    } finally {
      if (listener) this.messageListeners.delete(listener);
    }
  }

  /**
   * Sends `[100, seq]` and waits for the echo or for the socket to close, whichever comes first.
   * The server handles a socket's frames in order, so the echo proves every earlier frame was
   * accepted (and stored); a close reports how the server rejected one.
   */
  async saveBarrier(seq: number, timeout = 5000): Promise<BarrierResult> {
    if (this.closeInfo) return { acked: false, close: this.closeInfo };
    const outcome = this.nextMessage((data) => (readSaveAck(data) === seq ? true : undefined), timeout).then(
      (): BarrierResult => ({ acked: true }),
      // No echo: report the close if there was one, else the timeout.
      async (error: unknown): Promise<BarrierResult> => {
        if (this.closeInfo) return { acked: false, close: await this.closed };
        throw error instanceof Error ? new Error(`save ack ${seq}: ${error.message}`) : error;
      },
    );
    this.send(saveRequestFrame(seq));
    return outcome;
  }

  /** Drops the TCP connection without a close frame (like a crashed or unplugged client). */
  terminate(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }
}

/**
 * Sends a websocket upgrade request for an exact request path (no URL normalisation, so `..` and
 * odd escapes reach the server as written). Returns 101 if the server upgraded, else its response.
 */
export async function tryUpgrade(serverUrl: string, requestPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(serverUrl);
  return withTimeout(
    new Promise((resolve, reject) => {
      const request = http.request({
        host: hostname,
        port,
        path: requestPath,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
          'Sec-WebSocket-Version': '13',
        },
      });
      request.on('upgrade', (response, socket) => {
        socket.destroy();
        resolve({ status: response.statusCode ?? 101, body: '' });
      });
      request.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    }),
    5000,
    `an answer to the upgrade of ${requestPath}`,
  );
}
