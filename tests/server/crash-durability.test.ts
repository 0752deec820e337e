// Durability under SIGKILL: the server may only relay an update, or put it in a sync reply, after it
// is on disk. Several providers type continuously through a server child process, which is killed
// with SIGKILL at a random moment mid-typing; a new process on the same DATA_DIR must still hold every
// insertion that any client had received from the old one. Repeated over several kill rounds.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectProvider, type ConnectedClient } from '../helpers/provider.js';
import { seededRandom } from '../helpers/seed.js';
import { makeDataDir, spawnServerProcess, type ExitStatus, type ServerProcess } from '../helpers/test-server.js';
import { authorOf, startTyping, tagsIn } from '../helpers/typist.js';
import { waitFor, withTimeout } from '../helpers/wait-for.js';

const DOC = 'crash-me';
const ROUNDS = 9;
const TYPISTS = 3;
const text = (doc: Y.Doc): Y.Text => doc.getText('text');

/**
 * Tags in `client`'s doc that someone else typed. BroadcastChannel is off, so they can only have come
 * from the server; and a socket only delivers bytes the server wrote before it died.
 */
function receivedFromServer(client: ConnectedClient, self: string | null): string[] {
  return tagsIn(text(client.doc).toJSON()).filter((tag) => authorOf(tag) !== self);
}

describe('durability when the server is killed', () => {
  it('keeps every insertion any client received, across SIGKILLs at random moments', { timeout: 60_000 }, async () => {
    const { rng, seed } = seededRandom();
    const dataDir = await makeDataDir();
    const mustSurvive = new Set<string>();
    let server: ServerProcess = await spawnServerProcess({ dataDir });

    for (let round = 0; round < ROUNDS; round++) {
      const authors = Array.from({ length: TYPISTS }, (_, i) => `r${round}c${i}`);
      const typers = await Promise.all(authors.map(() => connectProvider(server.url, DOC)));
      const observer = await connectProvider(server.url, DOC);

      // Whatever survived the previous kill must be served again, in the first sync.
      for (const client of [...typers, observer]) {
        const have = new Set(tagsIn(text(client.doc).toJSON()));
        const missing = [...mustSurvive].filter((tag) => !have.has(tag));
        expect(missing, `round ${round}: tags lost after the previous kill (seed ${seed})`).toEqual([]);
      }

      const typists = typers.map(({ doc }, i) =>
        startTyping(text(doc), authors[i]!, prng.create(prng.uint32(rng, 0, 2 ** 31)), { everyMs: prng.int32(rng, 3, 12) }),
      );
      // Let traffic build up, then kill while everyone is still typing, in one of three ways.
      const typedThisRound = (): number => receivedFromServer(observer, null).filter((tag) => tag.startsWith(`[r${round}c`)).length;
      await waitFor(() => typedThisRound() >= 10, { timeout: 10_000 });
      const dying = server;
      let killed: Promise<ExitStatus> | undefined;
      let joiner: ConnectedClient;
      const mode = round % 3;
      if (mode === 2) {
        // The instant a client joining mid-typing has its first sync reply: that reply may only hold
        // what is on disk.
        joiner = await connectProvider(server.url, DOC, { waitForSync: false });
        joiner.provider.on('sync', (synced) => {
          if (synced) killed ??= dying.kill('SIGKILL');
        });
        await waitFor(() => killed, { timeout: 10_000, message: 'the joiner to sync' });
      } else {
        joiner = await connectProvider(server.url, DOC);
        const target = typedThisRound() + prng.int32(rng, 0, 60);
        if (mode === 0) {
          // The instant an update arrives, while a server that relays before committing would still
          // be writing it.
          const onUpdate = (_update: Uint8Array, origin: unknown): void => {
            if (origin === observer.provider && typedThisRound() >= target) killed ??= dying.kill('SIGKILL');
          };
          observer.doc.on('update', onUpdate);
          await waitFor(() => killed, { timeout: 10_000, message: 'the kill target' });
          observer.doc.off('update', onUpdate);
        } else {
          // Whenever the poll notices the target (unrelated to what the server is doing).
          await waitFor(() => typedThisRound() >= target, { timeout: 10_000 });
          killed = dying.kill('SIGKILL');
        }
      }
      const status = await withTimeout(killed!, 10_000, 'the killed server to exit');
      expect(status.signal).toBe('SIGKILL');
      for (const typist of typists) typist.stop();

      // Every socket is closed once the kernel has torn down the dead process's connections; by then
      // each client has read everything the server managed to send.
      const everyone = [...typers, observer, joiner];
      await waitFor(() => everyone.every(({ provider }) => !provider.wsconnected), { message: 'all sockets to close' });
      typers.forEach((client, i) => receivedFromServer(client, authors[i]!).forEach((tag) => mustSurvive.add(tag)));
      for (const watcher of [observer, joiner]) receivedFromServer(watcher, null).forEach((tag) => mustSurvive.add(tag));
      for (const { provider } of everyone) provider.destroy();
      const typed = typists.reduce((sum, t) => sum + t.typed.length, 0);

      server = await spawnServerProcess({ dataDir });
      const fresh = await connectProvider(server.url, DOC);
      const recovered = tagsIn(text(fresh.doc).toJSON());
      const recoveredSet = new Set(recovered);
      const lost = [...mustSurvive].filter((tag) => !recoveredSet.has(tag));
      expect(lost, `round ${round} (seed ${seed}): ${typed} typed, ${mustSurvive.size} seen by others, lost after SIGKILL`).toEqual([]);
      expect(recovered.length, 'no tag is duplicated or corrupted').toBe(recoveredSet.size);
      fresh.provider.destroy();
    }
    expect(mustSurvive.size).toBeGreaterThan(ROUNDS * 10);
  });
});
