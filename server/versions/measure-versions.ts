// Measures saving and comparing versions of a 50-page communiqué (~200,000 characters, typed with
// history by two delegations): end to end through a real server (HTTP + websocket + SQLite), and the
// pure parts a benchmark can call. Run: `npx tsx server/versions/measure-versions.ts [rounds]`.
// Budgets (from the issue): a version saves in under 200 ms and compares in under 1 s.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getSchema } from '@tiptap/core';
import * as prng from 'lib0/prng';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { editorSchemaExtensions } from '../../shared/editor-extensions.js';
import { COLLAB_PATH, EDITOR_FRAGMENT } from '../../shared/protocol.js';
import { readConfig } from '../config.js';
import { startConcord } from '../main.js';
import { changeSize, compareDocuments } from './compare.js';
import { contentOfState, itemIdsByPosition, loadState } from './version-content.js';

const TARGET_CHARACTERS = 200_000;
const WORDS = ['the', 'delegations', 'agree', 'to', 'reopen', 'trade', 'routes', 'water', 'sharing', 'visas', 'students', 'border', 'crossing', 'Torkham', 'Chaman', 'within', 'thirty', 'days', 'joint', 'committee', 'امن', 'تعاون', 'سفارشات', 'توصیه‌های', 'سولې', 'همکارۍ'];

/** Builds the text paragraph by paragraph, typing words at random places and deleting some again. */
function typeCommuniqué(docs: readonly Y.Doc[], rng: prng.PRNG): void {
  let characters = 0;
  for (let p = 0; characters < TARGET_CHARACTERS; p++) {
    const doc = docs[p % docs.length] as Y.Doc;
    const fragment = doc.getXmlFragment(EDITOR_FRAGMENT);
    const paragraph = new Y.XmlElement(p % 25 === 0 ? 'heading' : 'paragraph');
    if (p % 25 === 0) paragraph.setAttribute('level', 2 as unknown as string);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.push([paragraph]);
    const words = p % 25 === 0 ? 4 : 28;
    for (let w = 0; w < words; w++) {
      const word = `${prng.oneOf(rng, WORDS)} `;
      text.insert(prng.uint32(rng, 0, text.length), word);
      if (prng.uint32(rng, 0, 5) === 0 && text.length > 10) text.delete(prng.uint32(rng, 0, text.length - 5), 4);
    }
    characters += text.length;
    // The other delegation's doc hears about it, as over the wire.
    for (const other of docs) if (other !== doc) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Times `run` over `rounds`; for requests (`stalls`) also the longest the event loop was held up while
 * they were answered: this process is the server, so that is how long every room's live edits wait.
 */
async function timed<T>(label: string, rounds: number, run: (round: number) => Promise<T> | T, { stalls = false } = {}): Promise<T> {
  const times: number[] = [];
  let result: T | undefined;
  let longestStall = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const stall = await longestStallWhile(async () => {
      result = await run(round);
    });
    times.push(performance.now() - started);
    longestStall = Math.max(longestStall, stall);
  }
  report(label, times, stalls ? longestStall : null);
  return result as T;
}

function report(label: string, times: number[], longestStall: number | null): void {
  const stall = longestStall === null ? '' : `   longest event-loop stall ${longestStall.toFixed(1).padStart(6)} ms`;
  console.log(`${label.padEnd(58)} median ${median(times).toFixed(1).padStart(7)} ms   max ${Math.max(...times).toFixed(1).padStart(7)} ms${stall}`);
}

/** The longest the event loop was blocked (ms) while `run` ran. */
async function longestStallWhile(run: () => Promise<void>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  try {
    await run();
    // A block that ended just before `run` resolved is recorded by the sampling timer's next tick.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return delay.max / 1e6;
  } finally {
    delay.disable();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const rng = prng.create(20260303);
  const pk = new Y.Doc();
  const af = new Y.Doc();
  typeCommuniqué([pk, af], rng);
  const schema = getSchema(editorSchemaExtensions());
  const state = Y.encodeStateAsUpdate(pk);
  const content = contentOfState(state, schema);
  console.log(`document: ${content.characters} characters, ${content.node.childCount} blocks, Yjs state ${(state.byteLength / 1024).toFixed(0)} KiB`);

  // ---- end to end: a real server on a temp DATA_DIR ----
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concord-measure-'));
  const server = await startConcord(readConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', UNLOAD_DELAY_MS: '200' }));
  try {
    const code = server.organiserInvitationUrl?.split('/join/')[1] ?? '';
    const session = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invitation: code, name: 'Measure' }),
    });
    const { token } = (await session.json()) as { token: string };
    const call = async (method: string, route: string, body?: unknown): Promise<Record<string, unknown>> => {
      const response = await fetch(`${server.url}/api${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : null,
      });
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const documentId = 'communique-50-pages';
    await call('POST', '/meetings/security-m1/documents', { kind: 'communique', title: '50 pages', id: documentId });
    const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + COLLAB_PATH, documentId, pk, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    // The server has our text (every edit so far) once its live hash matches ours.
    const untilServerHasOurText = async (): Promise<void> => {
      const ours = contentOfState(Y.encodeStateAsUpdate(pk), schema).contentHash;
      while ((await call('GET', `/documents/${documentId}/versions/live`))['contentHash'] !== ours) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await untilServerHasOurText();

    const ids: string[] = [];
    await timed(
      'POST /versions (save; first version of the document)',
      1,
      async () => {
        ids.push(String((await call('POST', `/documents/${documentId}/versions`, { name: 'first' }))['id']));
      },
      { stalls: true },
    );
    const fragment = pk.getXmlFragment(EDITOR_FRAGMENT);
    const saveTimes: number[] = [];
    let longestSaveStall = 0;
    for (let round = 0; round < rounds; round++) {
      for (let e = 0; e < 20; e++) {
        const block = fragment.get(prng.uint32(rng, 0, fragment.length - 1)) as Y.XmlElement;
        const text = block.get(0) as Y.XmlText;
        text.insert(prng.uint32(rng, 0, text.length), `edit ${round}.${e} `);
      }
      // Let the edits reach the server first: only the save itself is timed.
      await untilServerHasOurText();
      const started = performance.now();
      const stall = await longestStallWhile(async () => {
        ids.push(String((await call('POST', `/documents/${documentId}/versions`, { name: `round ${round}` }))['id']));
      });
      saveTimes.push(performance.now() - started);
      longestSaveStall = Math.max(longestSaveStall, stall);
    }
    report('POST /versions (save after 20 scattered edits)', saveTimes, longestSaveStall);
    const [first] = ids;
    const last = ids[ids.length - 1];
    await timed('GET diff: first → newest version (attributed)', rounds, () => call('GET', `/documents/${documentId}/versions/${first}/diff?to=${last}`), {
      stalls: true,
    });
    await timed('GET diff: first version → live', rounds, () => call('GET', `/documents/${documentId}/versions/${first}/diff?to=live`), { stalls: true });
    const listTimes: number[] = [];
    let longestListStall = 0;
    for (let round = 0; round < rounds; round++) {
      // One more keystroke, stored: the list must read the live text again (what each open versions
      // panel does every 4 s while people type).
      ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'x');
      await untilServerHasOurText();
      const started = performance.now();
      longestListStall = Math.max(longestListStall, await longestStallWhile(async () => void (await call('GET', `/documents/${documentId}/versions`))));
      listTimes.push(performance.now() - started);
    }
    report('GET /versions (list after an edit: live text read again)', listTimes, longestListStall);
    await timed('GET /versions (list, live hash cached)', rounds, () => call('GET', `/documents/${documentId}/versions`), { stalls: true });
    // The last person leaves after an edit: an automatic version is saved before the document unloads.
    ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'y');
    await untilServerHasOurText();
    const versionsBefore = ((await call('GET', `/documents/${documentId}/versions`))['versions'] as unknown[]).length;
    const leftAt = performance.now();
    const leaveStall = await longestStallWhile(async () => {
      provider.destroy();
      while (((await call('GET', `/documents/${documentId}/versions`))['versions'] as unknown[]).length === versionsBefore) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    report('last person leaves: automatic version, then unload', [performance.now() - leftAt], leaveStall);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  // ---- the pure parts ----
  const edited = Y.encodeStateAsUpdate(pk);
  await timed('contentOfState (copy, ProseMirror doc, JSON, text, SHA-256)', rounds, () => contentOfState(state, schema));
  const before = contentOfState(state, schema).node;
  const after = contentOfState(edited, schema).node;
  await timed('changeSize (size of change vs previous version)', rounds, () => changeSize(before, after));
  await timed('compareDocuments with item ids (no lookups)', rounds, () => {
    const a = loadState(state, schema);
    const b = loadState(edited, schema);
    itemIdsByPosition(a);
    itemIdsByPosition(b);
    const result = compareDocuments(a.node, b.node);
    a.doc.destroy();
    b.doc.destroy();
    return result;
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
