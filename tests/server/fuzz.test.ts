// Hostile input never takes the server down. Thousands of seeded fuzz frames (see helpers/fuzz-frames)
// go to a server child process over several concurrent sockets; each frame is followed by a save
// request, whose echo proves the frame was accepted and whose absence comes with the close code.
// Meanwhile two providers edit another document and must keep converging; afterwards every fuzzed
// document still loads, also after a restart, and the server logged no internal error.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { describeFrame, makeFuzzFrames, type FuzzFrame } from '../helpers/fuzz-frames.js';
import { connectProvider, type ConnectedClient } from '../helpers/provider.js';
import { RawSocket, type BarrierResult } from '../helpers/raw-socket.js';
import { seededRandom } from '../helpers/seed.js';
import { getHealth, internalErrorsIn, makeDataDir, spawnServerProcess } from '../helpers/test-server.js';
import { startTyping, tagsIn, type Typist } from '../helpers/typist.js';
import { waitFor, withTimeout } from '../helpers/wait-for.js';

const FRAMES = 1600;
const LANES = 4;
const MAX_MESSAGE_BYTES = 64 * 1024;
/** Well above any seq a fuzz frame could echo by chance: `[100, n]` frames are part of the corpus. */
const BARRIER_SEQ_BASE = 2 ** 40;
const text = (doc: Y.Doc): Y.Text => doc.getText('text');

interface Outcome {
  frame: FuzzFrame;
  result: BarrierResult;
  docId: string;
}

function unexpected({ frame, result }: Outcome): boolean {
  if (result.acked) return !frame.mayStayOpen;
  return !frame.closeCodes.includes(result.close.code);
}

/** Both typists' tags typed so far reach the other client. */
async function expectConverging(a: ConnectedClient, b: ConnectedClient, typists: Typist[], when: string): Promise<void> {
  const typed = typists.flatMap((t) => t.typed);
  for (const client of [a, b]) {
    await waitFor(
      () => {
        const have = new Set(tagsIn(text(client.doc).toJSON()));
        return typed.every((tag) => have.has(tag));
      },
      { timeout: 10_000, message: `the calm document to converge ${when}` },
    );
  }
}

describe('fuzzing the websocket protocol', () => {
  it(`survives ${FRAMES} hostile frames while another document keeps syncing`, { timeout: 90_000 }, async () => {
    const { rng, seed } = seededRandom();
    const dataDir = await makeDataDir();
    const env = { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), UNLOAD_DELAY_MS: '20', COMPACT_AFTER_UPDATES: '50' };
    const server = await spawnServerProcess({ dataDir, env });

    const calmA = await connectProvider(server.url, 'calm');
    const calmB = await connectProvider(server.url, 'calm');
    const typists = [
      startTyping(text(calmA.doc), 'a', prng.create(seed + 1), { everyMs: 15 }),
      startTyping(text(calmB.doc), 'b', prng.create(seed + 2), { everyMs: 15 }),
    ];

    const frames = makeFuzzFrames(rng, FRAMES, { maxMessageBytes: MAX_MESSAGE_BYTES });
    const outcomes: Outcome[] = [];
    const fuzzedDocs = new Set<string>();
    let nextSeq = BARRIER_SEQ_BASE;

    async function runLane(lane: number, laneFrames: FuzzFrame[], laneRng: prng.PRNG): Promise<void> {
      // Each lane has its own documents, so one lane's frame can only ever close that lane's sockets.
      let socket: RawSocket | undefined;
      let docId = `fuzz-${lane}`;
      for (const frame of laneFrames) {
        if (!socket?.isOpen) {
          // Mostly the lane's main document, sometimes one of a few others (loaded and unloaded again).
          docId = prng.int32(laneRng, 0, 9) === 0 ? `fuzz-${lane}-${prng.int32(laneRng, 0, 4)}` : `fuzz-${lane}`;
          fuzzedDocs.add(docId);
          socket = await RawSocket.open(server.url, docId);
        }
        socket.send(frame.data);
        const result = await socket.saveBarrier(nextSeq++, 5000).catch((error: unknown) => {
          throw new Error(`seed ${seed}: no answer to ${describeFrame(frame)} on ${docId}: ${String(error)}\n${server.output()}`);
        });
        outcomes.push({ frame, result, docId });
        if (!result.acked) socket = undefined;
      }
    }

    let fuzzing = true;
    let checkpoints = 0;
    const monitor = (async () => {
      while (fuzzing) {
        expect((await getHealth(server.url)).status, 'healthz while fuzzing').toBe(200);
        await expectConverging(calmA, calmB, typists, 'while fuzzing');
        checkpoints++;
      }
    })();

    const laneFrames = Array.from({ length: LANES }, (_, lane) => frames.filter((_, i) => i % LANES === lane));
    // One PRNG per lane: the lanes interleave differently on every run, their choices must not.
    const laneRngs = laneFrames.map(() => prng.create(prng.uint32(rng, 0, 2 ** 31)));
    try {
      await Promise.all(laneFrames.map((f, lane) => runLane(lane, f, laneRngs[lane]!)));
    } finally {
      fuzzing = false;
    }
    await monitor;

    const wrong = outcomes.filter(unexpected);
    const summary = wrong
      .slice(0, 15)
      .map((o) => `  ${describeFrame(o.frame)} on ${o.docId} → ${o.result.acked ? 'accepted' : `closed ${o.result.close.code} ${o.result.close.reason}`}`)
      .join('\n');
    expect(wrong.length, `seed ${seed}: ${wrong.length} frames handled wrongly, e.g.:\n${summary}`).toBe(0);
    expect(outcomes).toHaveLength(FRAMES);
    expect(checkpoints, 'convergence was checked while fuzzing').toBeGreaterThanOrEqual(2);
    const accepted = outcomes.filter((o) => o.result.acked).length;
    expect(accepted, 'some frames were accepted (the controls at least)').toBeGreaterThan(FRAMES / 20);

    for (const typist of typists) typist.stop();
    await expectConverging(calmA, calmB, typists, 'after fuzzing');
    expect(text(calmA.doc).toJSON()).toBe(text(calmB.doc).toJSON());
    expect((await getHealth(server.url)).status).toBe(200);

    // Every fuzzed document can still be served, now and after a restart (so nothing unloadable was stored).
    for (const docId of fuzzedDocs) {
      const reader = await connectProvider(server.url, docId);
      reader.provider.destroy();
    }
    const calmText = text(calmA.doc).toJSON();
    const stopped = await withTimeout(server.kill('SIGTERM'), 15_000, 'the server to stop');
    expect(stopped, server.output()).toEqual({ code: 0, signal: null });
    // Bad input is answered with a close code; it must never reach a generic error path.
    expect(internalErrorsIn(server.output()).slice(0, 10), `seed ${seed}: the server hit internal errors while fuzzed`).toEqual([]);

    const restarted = await spawnServerProcess({ dataDir, env });
    const calmAgain = await connectProvider(restarted.url, 'calm');
    expect(text(calmAgain.doc).toJSON()).toBe(calmText);
    for (const docId of fuzzedDocs) {
      const reader = await connectProvider(restarted.url, docId);
      reader.provider.destroy();
    }
  });
});
