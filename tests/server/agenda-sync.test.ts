// Concurrent agenda edits over real websockets: two stock providers against the real server, each
// offline while it reorders, edits and deletes, then reconnected; both, and a third client that joins
// afterwards from what the server stored, read the same agenda.
import { describe, expect, it } from 'vitest';
import { connectProvider, waitForProviderSync } from '../helpers/provider.js';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { addItem, addSession, computeSchedule, deleteItem, displayTitle, formatBothZones, moveItem, readAgenda, updateItem } from '../../shared/agenda.js';
import type * as Y from 'yjs';

function view(doc: Y.Doc): string[] {
  const schedule = computeSchedule(readAgenda(doc), { date: '2025-03-12', timeZone: 'Asia/Karachi' }, '2025-03-12');
  return schedule.sessions.flatMap((s) => s.items.map((i) => `${displayTitle(i.item)} @ ${formatBothZones(i.times)}`));
}

describe('agenda over real websockets', () => {
  it('concurrent reorder, edit and delete converge on every client and in storage', async () => {
    const server = await startTestServer();
    const amina = await connectProvider(server.url, 'agenda-sync');
    const bilal = await connectProvider(server.url, 'agenda-sync');

    const session = addSession(amina.doc, { title: 'Session 1', start: '10:00', end: '12:00' });
    const ids = ['Statements', 'Debate', 'Recommendations', 'Wrap-up'].map((titleEn) => addItem(amina.doc, session, { titleEn, duration: 20 }));
    await waitFor(() => expect(view(bilal.doc)).toEqual(view(amina.doc)));

    // Both offline: their changes cross only when they reconnect.
    amina.provider.disconnect();
    bilal.provider.disconnect();
    moveItem(amina.doc, ids[3]!, 0); // Wrap-up first
    updateItem(amina.doc, ids[1]!, { duration: 45 });
    moveItem(bilal.doc, ids[3]!, 2); // Wrap-up third
    deleteItem(bilal.doc, ids[2]!);
    updateItem(bilal.doc, ids[0]!, { titleLocal: 'ابتدائی بیانات', localLang: 'ur' });
    amina.provider.connect();
    bilal.provider.connect();
    await waitForProviderSync(amina.provider);
    await waitForProviderSync(bilal.provider);

    await waitFor(() => expect(view(bilal.doc)).toEqual(view(amina.doc)), { timeout: 10_000 });
    const final = view(amina.doc);
    expect(final).toHaveLength(3);
    expect(final.map((line) => line.split(' @ ')[0]).sort()).toEqual(['Debate', 'Statements', 'Wrap-up']);
    const debate = readAgenda(amina.doc).sessions[0]!.items.find((i) => i.id === ids[1]);
    expect(debate?.duration).toBe(45);
    expect(readAgenda(amina.doc).sessions[0]!.items.find((i) => i.id === ids[0])?.titleLocal).toBe('ابتدائی بیانات');

    const late = await connectProvider(server.url, 'agenda-sync');
    await waitFor(() => expect(view(late.doc)).toEqual(final));
  });
});
