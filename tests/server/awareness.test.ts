// Presence through the server: a client's awareness state reaches every other client (including one
// that joins later), and disappears from all of them when the client leaves, whether it says goodbye
// or its connection just drops. The y-protocols timeout for silent peers is 30 s, so within these
// tests only the server can have removed a state. (The server stamps `user` with the session's
// identity, so these tests put what they track in fields of their own.)
import { describe, expect, it } from 'vitest';
import { connectProvider, dropConnection, type ConnectedClient } from '../helpers/provider.js';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

function stateOf(observer: ConnectedClient, subject: ConnectedClient): Record<string, unknown> | undefined {
  return observer.provider.awareness.getStates().get(subject.doc.clientID);
}

describe('awareness through the server', () => {
  it('relays a state and its changes to the others, and removes it when the connection drops', async () => {
    const server = await startTestServer();
    const [amina, bo, chen] = await Promise.all([0, 1, 2].map(() => connectProvider(server.url, 'presence')));

    amina!.provider.awareness.setLocalStateField('label', 'Amina');
    for (const observer of [bo!, chen!]) {
      await waitFor(() => expect(stateOf(observer, amina!)).toMatchObject({ label: 'Amina' }));
    }

    amina!.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 7 });
    for (const observer of [bo!, chen!]) {
      await waitFor(() => expect(stateOf(observer, amina!)).toMatchObject({ cursor: { anchor: 3, head: 7 } }));
    }

    // The server tells a newcomer who is already there.
    const dana = await connectProvider(server.url, 'presence');
    await waitFor(() => expect(stateOf(dana, amina!)).toMatchObject({ label: 'Amina', cursor: { head: 7 } }));

    // No goodbye message: only the server knows Amina is gone.
    dropConnection(amina!.provider);
    for (const observer of [bo!, chen!, dana]) {
      await waitFor(() => stateOf(observer, amina!) === undefined, { message: 'the dropped client’s state to be removed' });
    }
    // …while the others' own presence is untouched.
    bo!.provider.awareness.setLocalStateField('label', 'Bo');
    await waitFor(() => expect(stateOf(chen!, bo!)).toMatchObject({ label: 'Bo' }));
  });

  it('relays a burst of caret moves as the latest position, in a few messages rather than one per move', async () => {
    const server = await startTestServer({ PRESENCE_INTERVAL_MS: '100' });
    const mover = await connectProvider(server.url, 'presence-burst');
    const watcher = await connectProvider(server.url, 'presence-burst');
    mover.provider.awareness.setLocalStateField('label', 'Mover');
    await waitFor(() => stateOf(watcher, mover) !== undefined);

    let messagesAboutMover = 0;
    watcher.provider.awareness.on('update', ({ updated }: { updated: number[] }, origin: unknown) => {
      if (origin !== 'local' && updated.includes(mover.doc.clientID)) messagesAboutMover++;
    });
    // Someone typing fast: 40 caret positions in a row, each sent as its own awareness message.
    for (let position = 1; position <= 40; position++) {
      mover.provider.awareness.setLocalStateField('cursor', { anchor: position, head: position });
    }
    await waitFor(() => expect(stateOf(watcher, mover)).toMatchObject({ cursor: { head: 40 } }));
    // Relayed once per presence interval (100 ms by default), not 40 times: on a poor connection every
    // frame counts, and each relayed message makes a stock client send an echo back.
    expect(messagesAboutMover).toBeLessThanOrEqual(4);
  });

  it('removes the state of a client that disconnects cleanly', async () => {
    const server = await startTestServer();
    const leaver = await connectProvider(server.url, 'presence-clean');
    const stayer = await connectProvider(server.url, 'presence-clean');
    leaver.provider.awareness.setLocalStateField('label', 'Leaver');
    await waitFor(() => stateOf(stayer, leaver) !== undefined);
    leaver.provider.destroy();
    await waitFor(() => stateOf(stayer, leaver) === undefined);
  });

  it('lets a client that reconnects show up again at once', async () => {
    const server = await startTestServer();
    const mover = await connectProvider(server.url, 'presence-back');
    const watcher = await connectProvider(server.url, 'presence-back');
    mover.provider.awareness.setLocalStateField('label', 'Mover');
    await waitFor(() => stateOf(watcher, mover) !== undefined);

    // A network blip: the socket drops, the provider reconnects with the same awareness clock.
    (mover.provider.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => stateOf(watcher, mover) === undefined, { message: 'removal after the drop' });
    await waitFor(() => mover.provider.wsconnected, { message: 'the provider to reconnect' });
    await waitFor(() => expect(stateOf(watcher, mover)).toMatchObject({ label: 'Mover' }), {
      timeout: 3000,
      message: 'the reconnected client’s state to reappear (well before the 15 s heartbeat)',
    });
  });
});
