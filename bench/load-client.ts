// One simulated editor: a Y.Doc shaped like Concord's editor content, a `ws` socket, and the message
// handling of y-websocket's stock `WebsocketProvider`, without its per-client timers and BroadcastChannel.
// Hundreds of these run in one load process, so the hot paths (awareness in particular) stay lean while
// sending exactly the frames a browser with WebsocketProvider would send.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { EDITOR_FRAGMENT, MessageType, SyncMessageType } from '../shared/protocol.js';

/** y-protocols renews a client's own awareness after 15 s without a local change, checked every 3 s. */
const AWARENESS_RENEW_AFTER_MS = 15_000;
const AWARENESS_CHECK_EVERY_MS = 3_000;

const NULL_STATE = new TextEncoder().encode('null');
const TYPING_CORPUS =
  'The delegations agree to reconvene after consultations with their capitals. ' +
  'Paragraph four is bracketed pending legal review; the chair invites written comments by Friday. ' +
  'Recalling the commitments made at the previous session, members note with concern the delays. ';
const COLORS = ['#958DF1', '#F98181', '#FBBC88', '#FAF594', '#70CFF8', '#94FADB', '#B9F18D'];

export interface EditorClientOptions {
  /** Full socket URL: `<base>/<documentId>`, as WebsocketProvider builds it. */
  url: string;
  /** Shown in the awareness state, like a user name. */
  name: string;
  /**
   * Re-send every awareness entry applied from the server, as WebsocketProvider v1–v3 does (yjs/yjs#732).
   * In a room of N this turns one cursor move into N inbound messages at the server.
   */
  echoAwareness: boolean;
  /**
   * Keep the server's SyncStep2 undecoded and only note when it arrived. Used by the simultaneous-join
   * measurement, so 50 clients' Yjs apply work in this process does not queue behind the server's sends.
   */
  holdSyncStep2?: boolean;
}

/** Position of this editor's caret: paragraph index and offset inside that paragraph's text. */
interface Caret {
  paragraph: number;
  offset: number;
}

export class EditorClient {
  readonly doc = new Y.Doc();
  readonly fragment: Y.XmlFragment = this.doc.getXmlFragment(EDITOR_FRAGMENT);
  /** performance.now() timestamps of the connection's milestones (NaN until reached). */
  createdAt = Number.NaN;
  openedAt = Number.NaN;
  step2ReceivedAt = Number.NaN;
  syncedAt = Number.NaN;
  /** The server's SyncStep2 update, when `holdSyncStep2` is set. */
  heldStep2: Uint8Array | undefined;
  closeCode: number | undefined;
  /** Frames and bytes in each direction, to compare what each server makes its clients handle. */
  readonly traffic = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, awarenessIn: 0, updatesIn: 0 };

  private socket: WebSocket | undefined;
  private synced = false;
  private awarenessClock = 0;
  private awarenessJson: string;
  private lastAwarenessPublishAt = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private heartbeatStart: NodeJS.Timeout | undefined;
  /** Remote awareness clocks, as y-protocols keeps them in `awareness.meta`, to decide what it would echo. */
  private readonly remoteClocks = new Map<number, number>();
  private readonly remotePresent = new Set<number>();
  private readonly caret: Caret = { paragraph: 0, offset: 0 };
  private corpusPosition: number;
  private readonly color: string;

  constructor(private readonly options: EditorClientOptions) {
    this.corpusPosition = Math.floor(Math.random() * TYPING_CORPUS.length);
    this.color = COLORS[Math.floor(Math.random() * COLORS.length)] ?? '#958DF1';
    this.awarenessJson = this.describeAwareness(null);
  }

  /** WebsocketProvider sends every local document change as a sync update message. */
  private readonly sendLocalUpdate = (update: Uint8Array): void => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    syncProtocol.writeUpdate(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  };

  /**
   * Makes a local change and sends it. The 'update' listener is attached only for the change: while a doc
   * has one, Yjs encodes an update for every transaction, including the thousands of remote ones per
   * second this process applies, which the provider then ignores. The frames sent are the same.
   */
  private changeLocally(change: () => void): void {
    this.doc.on('update', this.sendLocalUpdate);
    try {
      change();
    } finally {
      this.doc.off('update', this.sendLocalUpdate);
    }
  }

  get clientId(): number {
    return this.doc.clientID;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket and resolves once the server's SyncStep2 has been applied (or held). */
  connect(timeoutMs: number): Promise<void> {
    this.createdAt = performance.now();
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.options.name}: not synced after ${timeoutMs} ms`));
        socket.terminate();
      }, timeoutMs);
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      socket.on('open', () => {
        this.openedAt = performance.now();
        this.sendSyncStep1();
        this.publishAwareness();
      });
      socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        // The default binaryType ('nodebuffer') always delivers one Buffer per message.
        if (!isBinary || !(data instanceof Uint8Array)) return;
        this.traffic.framesIn++;
        this.traffic.bytesIn += data.byteLength;
        const wasSynced = this.synced;
        this.handleMessage(data);
        if (!wasSynced && this.synced) settle();
      });
      socket.on('error', (error) => {
        if (!this.synced) settle(error);
      });
      socket.on('close', (code) => {
        this.closeCode = code;
        this.stopHeartbeat();
        if (!this.synced) settle(new Error(`${this.options.name}: closed with ${code} before sync`));
      });
    });
  }

  /**
   * Starts the y-protocols awareness renewal. The phase is random so that clients that joined in the same
   * second do not renew in lockstep (which would be an artefact of the harness, not of real users).
   */
  startHeartbeat(): void {
    this.heartbeatStart = setTimeout(() => {
      this.heartbeat = setInterval(() => {
        if (performance.now() - this.lastAwarenessPublishAt >= AWARENESS_RENEW_AFTER_MS) this.publishAwareness();
      }, AWARENESS_CHECK_EVERY_MS);
    }, Math.random() * AWARENESS_CHECK_EVERY_MS);
  }

  /**
   * Types one character at the caret, the way a keystroke in the editor changes the Y.XmlText of the
   * current paragraph. Returns the Yjs id (this client, clock) of the inserted character, or undefined when
   * there is no paragraph to type in yet. `beforeChange` runs just before the change is made and sent.
   */
  typeCharacter(beforeChange: (clock: number) => void): number | undefined {
    const paragraphs = this.fragment.length;
    if (paragraphs === 0) return undefined;
    // Now and then the user clicks elsewhere, as when revising another clause.
    if (Math.random() < 0.05 || this.caret.paragraph >= paragraphs) {
      this.caret.paragraph = Math.floor(Math.random() * paragraphs);
      this.caret.offset = Number.POSITIVE_INFINITY;
    }
    const text = this.paragraphText(this.caret.paragraph);
    if (!text) return undefined;
    const offset = Math.min(this.caret.offset, text.length);
    const character = TYPING_CORPUS[this.corpusPosition] ?? ' ';
    this.corpusPosition = (this.corpusPosition + 1) % TYPING_CORPUS.length;
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    beforeChange(clock);
    this.changeLocally(() => text.insert(offset, character));
    this.caret.offset = offset + 1;
    return clock;
  }

  /** Publishes the caret as the collaboration-caret extension does: relative positions in the awareness state. */
  moveCursor(): void {
    const text = this.paragraphText(this.caret.paragraph);
    if (text) {
      const offset = Math.min(this.caret.offset, text.length);
      const position: unknown = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, offset));
      this.awarenessJson = this.describeAwareness(position);
    }
    this.publishAwareness();
  }

  /** Creates the document's first paragraphs (what opening a new agenda in the editor would do). */
  writeInitialParagraphs(count: number): void {
    this.changeLocally(() =>
      this.doc.transact(() => {
        for (let i = 0; i < count; i++) {
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(`Item ${i + 1}: ${TYPING_CORPUS.slice(0, 60)}`)]);
          this.fragment.insert(this.fragment.length, [paragraph]);
        }
      }),
    );
  }

  /**
   * Makes `updates` part of this client's document without sending them (as if typed offline), so that
   * the server relaying them back later is a no-op here.
   */
  holdOffline(updates: readonly Uint8Array[]): void {
    for (const update of updates) Y.applyUpdate(this.doc, update);
  }

  /** Sends updates as sync update messages, the way a client returning from an offline session does. */
  sendUpdates(updates: readonly Uint8Array[]): void {
    for (const update of updates) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    }
  }

  /** The document as the editor would render it, for convergence checks. */
  contentString(): string {
    return this.fragment.toJSON(); // the XML serialisation, e.g. <paragraph>…</paragraph>
  }

  close(): void {
    this.stopHeartbeat();
    this.socket?.close();
  }

  private paragraphText(index: number): Y.XmlText | undefined {
    const paragraph = this.fragment.get(index);
    if (!(paragraph instanceof Y.XmlElement)) return undefined;
    const text = paragraph.get(0);
    return text instanceof Y.XmlText ? text : undefined;
  }

  private describeAwareness(cursor: unknown): string {
    return JSON.stringify({
      user: { name: this.options.name, color: this.color },
      cursor: cursor === null ? null : { anchor: cursor, head: cursor },
    });
  }

  private stopHeartbeat(): void {
    clearTimeout(this.heartbeatStart);
    clearInterval(this.heartbeat);
  }

  private send(message: Uint8Array): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.traffic.framesOut++;
    this.traffic.bytesOut += message.byteLength;
    this.socket.send(message);
  }

  private sendSyncStep1(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.send(encoding.toUint8Array(encoder));
  }

  /** Sends this client's own awareness entry with a new clock, as `awareness.setLocalState` does. */
  private publishAwareness(): void {
    this.awarenessClock++;
    this.lastAwarenessPublishAt = performance.now();
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, this.doc.clientID);
    encoding.writeVarUint(inner, this.awarenessClock);
    encoding.writeVarString(inner, this.awarenessJson);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
    this.send(encoding.toUint8Array(encoder));
  }

  private handleMessage(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.sync) this.handleSync(decoder);
    else if (type === MessageType.awareness) {
      this.traffic.awarenessIn++;
      this.handleAwareness(decoding.readVarUint8Array(decoder), data);
    }
    else if (type === MessageType.queryAwareness) this.publishAwareness();
    // auth (2) and Concord's saved acknowledgement (100) need no answer from a plain editor.
  }

  private handleSync(decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder);
    if (subtype === SyncMessageType.step1) {
      // Answer the server's state vector with what it is missing (WebsocketProvider does the same).
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      syncProtocol.readSyncStep1(decoder, encoder, this.doc);
      this.send(encoding.toUint8Array(encoder));
      return;
    }
    if (subtype === SyncMessageType.step2) {
      if (Number.isNaN(this.step2ReceivedAt)) this.step2ReceivedAt = performance.now();
      if (this.options.holdSyncStep2 && !this.synced) {
        this.heldStep2 = decoding.readVarUint8Array(decoder);
      } else {
        syncProtocol.readSyncStep2(decoder, this.doc, this);
      }
      if (!this.synced) {
        this.synced = true;
        this.syncedAt = performance.now();
      }
      return;
    }
    if (subtype === SyncMessageType.update) {
      this.traffic.updatesIn++;
      syncProtocol.readUpdate(decoder, this.doc, this);
    }
  }

  /**
   * Tracks remote awareness clocks exactly as `applyAwarenessUpdate` decides what changed, and echoes those
   * entries back like WebsocketProvider's awareness 'update' handler. States are forwarded as bytes: the
   * provider would re-stringify the same JSON, and parsing it here would only cost the harness CPU.
   */
  private handleAwareness(update: Uint8Array, frame: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    let echoed: Array<[number, number, Uint8Array]> | undefined;
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarUint8Array(decoder);
      if (client === this.doc.clientID) continue; // our own entry relayed back: equal clock, no change
      const isNull = state.length === 4 && state.every((byte, j) => byte === NULL_STATE[j]);
      const known = this.remoteClocks.get(client);
      const current = known ?? 0; // y-protocols treats an unknown client as clock 0
      const present = this.remotePresent.has(client);
      if (!(current < clock || (current === clock && isNull && present))) continue;
      this.remoteClocks.set(client, clock);
      if (isNull) this.remotePresent.delete(client);
      else this.remotePresent.add(client);
      // y-protocols emits 'update' (and the provider echoes) for added, updated and removed states; a
      // removal of a state it never had changes nothing.
      if (known === undefined && isNull) continue;
      if (!this.options.echoAwareness) continue;
      (echoed ??= []).push([client, clock, isNull ? NULL_STATE : state]);
    }
    if (!echoed) return;
    // Usually every entry is new: the provider's re-encoding is then byte for byte the frame we received
    // (same ids, clocks and JSON text), so send that and skip building it again.
    if (echoed.length === count) {
      this.send(frame);
      return;
    }
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, echoed.length);
    for (const [client, clock, state] of echoed) {
      encoding.writeVarUint(inner, client);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarUint8Array(inner, state); // identical bytes to writeVarString(JSON)
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
    this.send(encoding.toUint8Array(encoder));
  }
}
