// Concurrent editing through the real server: several stock WebsocketProviders edit one document at
// once (inserts, a concurrent bulk delete, rich-text paragraphs) and must end identical, and a client
// that joins afterwards must receive all of it from the server.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EDITOR_FRAGMENT } from '../../shared/protocol.js';
import { connectProvider } from '../helpers/provider.js';
import { seededRandom } from '../helpers/seed.js';
import { startTestServer } from '../helpers/test-server.js';
import { authorOf, startTyping, tagsIn } from '../helpers/typist.js';
import { waitFor } from '../helpers/wait-for.js';

const text = (doc: Y.Doc): Y.Text => doc.getText('text');
const fragment = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(EDITOR_FRAGMENT);

function appendParagraph(doc: Y.Doc, content: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(content)]);
  fragment(doc).push([paragraph]);
}

describe('concurrent editing through the server', () => {
  it('converges across four providers editing at once, and a late joiner receives everything', async () => {
    const { rng } = seededRandom();
    const server = await startTestServer();
    const clients = await Promise.all([0, 1, 2, 3].map(() => connectProvider(server.url, 'converge')));

    // Phase 1: everyone types at random places, concurrently, each keystroke its own update.
    const typists = clients.map(({ doc }, i) => startTyping(text(doc), `c${i}`, prng.create(prng.uint32(rng, 0, 2 ** 31)), { everyMs: 5, count: 40 }));
    clients.forEach(({ doc }, i) => appendParagraph(doc, i % 2 === 0 ? `paragraph from c${i}` : `فقرة من c${i} — پیراگراف`));
    await Promise.all(typists.map((t) => t.done));

    // Phase 2: c0 deletes every tag c1 has typed (as c0 sees them) while c2 and c3 keep typing.
    await waitFor(() => tagsIn(text(clients[0]!.doc).toJSON()).filter((t) => authorOf(t) === 'c1').length === 40, {
      message: 'c0 to receive all of c1’s tags',
    });
    const late = [2, 3].map((i) => startTyping(text(clients[i]!.doc), `c${i}b`, prng.create(i), { everyMs: 3, count: 20 }));
    const c0text = text(clients[0]!.doc);
    clients[0]!.doc.transact(() => {
      const current = c0text.toJSON();
      const spans = [...current.matchAll(/\[c1:\d+\]/g)].map((m) => [m.index, m[0].length] as const);
      for (const [index, length] of spans.reverse()) c0text.delete(index, length);
    });
    await Promise.all(late.map((t) => t.done));

    const expected = [...typists.filter((_, i) => i !== 1), ...late].flatMap((t) => t.typed).sort();
    const converged = async (doc: Y.Doc): Promise<void> => {
      await waitFor(() => expect(tagsIn(text(doc).toJSON()).sort()).toEqual(expected), { timeout: 10_000 });
    };
    for (const { doc } of clients) await converged(doc);
    const reference = clients[0]!.doc;
    for (const { doc } of clients) {
      expect(text(doc).toJSON()).toBe(text(reference).toJSON());
      expect(fragment(doc).toJSON()).toBe(fragment(reference).toJSON());
      expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(reference));
    }
    expect(fragment(reference).length).toBe(4);

    // A client joining now gets the whole document in its first sync (no waiting for more updates).
    const joiner = await connectProvider(server.url, 'converge');
    expect(text(joiner.doc).toJSON()).toBe(text(reference).toJSON());
    expect(fragment(joiner.doc).toJSON()).toBe(fragment(reference).toJSON());
  });

  it('keeps documents apart: edits in one document never reach another', async () => {
    const server = await startTestServer();
    const a = await connectProvider(server.url, 'room-a');
    const b = await connectProvider(server.url, 'room-b');
    const a2 = await connectProvider(server.url, 'room-a');
    text(a.doc).insert(0, 'only in A');
    text(b.doc).insert(0, 'only in B');
    await waitFor(() => text(a2.doc).toJSON() === 'only in A');
    const b2 = await connectProvider(server.url, 'room-b');
    expect(text(b2.doc).toJSON()).toBe('only in B');
    expect(text(a2.doc).toJSON()).toBe('only in A');
  });
});
