// A stand-in for a `ws` socket, for tests that drive a Room and its Connections in memory.
/**
 * The subset of a `ws` socket that Connection uses; frames the server sends land in `inbox`
 * (Connection falls back to socket.send when it has no transport).
 */
export class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly inbox: Uint8Array[] = [];
  closedWith: number | null = null;
  send(data: Uint8Array, _opts: unknown, cb?: (err?: Error) => void): void {
    this.inbox.push(data);
    cb?.();
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  ping(): void {}
  on(): void {}
}
