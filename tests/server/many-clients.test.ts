// Scale in one document: 200 clients join at once (190 minimal y-protocols clients plus 10 stock
// WebsocketProviders), ten of them type concurrently, and all 200 end with the same text holding every
// insertion. The server runs as a child process so it has a core of its own.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectProvider } from '../helpers/provider.js';
import { seededRandom } from '../helpers/seed.js';
import { SyncClient } from '../helpers/sync-client.js';
import { getHealth, internalErrorsIn, makeDataDir, spawnServerProcess } from '../helpers/test-server.js';
import { startTyping, tagsIn } from '../helpers/typist.js';
import { waitFor } from '../helpers/wait-for.js';

const CLIENTS = 200;
const TYPISTS = 10;
const TAGS_EACH = 25;
const DOC = 'crowded';

describe('many clients in one document', () => {
  it(`${CLIENTS} clients converge while ${TYPISTS} of them type`, { timeout: 60_000 }, async () => {
    const { rng } = seededRandom();
    const server = await spawnServerProcess({ dataDir: await makeDataDir() });

    // Join in waves of 20 (all at once would only measure the accept queue).
    const listeners: SyncClient[] = [];
    while (listeners.length < CLIENTS - TYPISTS) {
      const batch = Math.min(20, CLIENTS - TYPISTS - listeners.length);
      listeners.push(...(await Promise.all(Array.from({ length: batch }, () => SyncClient.connect(server.url, DOC)))));
    }
    const writers = await Promise.all(Array.from({ length: TYPISTS }, () => connectProvider(server.url, DOC)));
    expect(listeners.length + writers.length).toBe(CLIENTS);

    const typists = writers.map(({ doc }, i) =>
      startTyping(doc.getText('text'), `w${i}`, prng.create(prng.uint32(rng, 0, 2 ** 31)), { everyMs: 20, count: TAGS_EACH }),
    );
    await Promise.all(typists.map((t) => t.done));
    const expected = typists.flatMap((t) => t.typed).sort();
    expect(expected).toHaveLength(TYPISTS * TAGS_EACH);

    const texts = (): Array<{ who: string; text: Y.Text }> => [
      ...writers.map(({ doc }, i) => ({ who: `writer ${i}`, text: doc.getText('text') })),
      ...listeners.map((client, i) => ({ who: `listener ${i}`, text: client.text })),
    ];
    await waitFor(
      () => {
        const reference = writers[0]!.doc.getText('text').toJSON();
        const behind = texts().filter(({ text }) => text.toJSON() !== reference);
        if (behind.length > 0) throw new Error(`${behind.length} clients differ, e.g. ${behind[0]!.who}`);
        expect(tagsIn(reference).sort()).toEqual(expected);
        return true;
      },
      { timeout: 30_000, interval: 50, message: `all ${CLIENTS} clients to hold the same complete text` },
    );
    expect((await getHealth(server.url)).status).toBe(200);
    expect(internalErrorsIn(server.output())).toEqual([]);

    // And a newcomer after the storm gets the same document.
    const late = await SyncClient.connect(server.url, DOC);
    expect(late.text.toJSON()).toBe(writers[0]!.doc.getText('text').toJSON());
  });
});
