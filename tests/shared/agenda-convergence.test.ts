// Concurrent agenda edits converge, proven in memory with a message pump the test controls: several
// Y.Docs exchange their updates only when the pump says so, in a seeded random order (with
// duplicates and long delays), while each peer reorders, edits, adds and deletes. At the end every
// peer reads the same agenda, and no row is duplicated or lost except by a deletion.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addItem,
  addSession,
  deleteItem,
  deleteSession,
  displayTitle,
  moveItem,
  moveSession,
  readAgenda,
  updateItem,
  type Agenda,
} from '../../shared/agenda.js';

/** Mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Peers whose updates wait in per-recipient queues until the test delivers them. */
class Pump {
  readonly docs: Y.Doc[];
  private readonly queues: Uint8Array[][];
  constructor(count: number) {
    this.docs = Array.from({ length: count }, () => new Y.Doc());
    this.queues = this.docs.map(() => []);
    this.docs.forEach((doc, from) => {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === this) return;
        this.queues.forEach((queue, to) => {
          if (to !== from) queue.push(update);
        });
      });
    });
  }
  /** Delivers one random pending update to one random peer (sometimes twice). */
  step(random: () => number): void {
    const to = Math.floor(random() * this.docs.length);
    const queue = this.queues[to]!;
    if (queue.length === 0) return;
    const [update] = queue.splice(Math.floor(random() * queue.length), 1);
    Y.applyUpdate(this.docs[to]!, update!, this);
    if (random() < 0.1) Y.applyUpdate(this.docs[to]!, update!, this);
  }
  flush(): void {
    this.queues.forEach((queue, to) => {
      while (queue.length > 0) Y.applyUpdate(this.docs[to]!, queue.shift()!, this);
    });
  }
}

function shape(agenda: Agenda): unknown {
  return agenda.sessions.map((s) => ({ id: s.id, title: s.title, items: s.items.map((i) => [i.id, displayTitle(i), i.duration]) }));
}

function expectConverged(docs: Y.Doc[]): Agenda {
  const first = readAgenda(docs[0]!);
  for (const doc of docs.slice(1)) expect(shape(readAgenda(doc))).toEqual(shape(first));
  const ids = first.sessions.flatMap((s) => s.items.map((i) => i.id));
  expect(new Set(ids).size).toBe(ids.length);
  return first;
}

describe('agenda convergence (in-memory pump)', () => {
  it('two people move the same item to different places while a third edits and another deletes', () => {
    const pump = new Pump(3);
    const [a, b, c] = pump.docs as [Y.Doc, Y.Doc, Y.Doc];
    const s = addSession(a, { title: 'Session 1', start: '10:00' });
    const ids = ['One', 'Two', 'Three', 'Four', 'Five'].map((titleEn) => addItem(a, s, { titleEn, duration: 10 }));
    pump.flush();

    moveItem(a, ids[0]!, 4); // One → last
    moveItem(b, ids[0]!, 2); // One → middle
    updateItem(c, ids[0]!, { titleEn: 'One (renamed)', duration: 25 });
    deleteItem(c, ids[2]!);
    moveItem(b, ids[4]!, 0); // Five → first
    pump.flush();

    const agenda = expectConverged(pump.docs);
    const titles = agenda.sessions[0]!.items.map(displayTitle);
    expect(titles.sort()).toEqual(['Five', 'Four', 'One (renamed)', 'Two']);
    expect(agenda.sessions[0]!.items.find((i) => i.id === ids[0])?.duration).toBe(25);
  });

  it('an item moved by one person and deleted by another stays deleted, once', () => {
    const pump = new Pump(2);
    const [a, b] = pump.docs as [Y.Doc, Y.Doc];
    const s = addSession(a, { title: 'S' });
    const x = addItem(a, s, { titleEn: 'X' });
    addItem(a, s, { titleEn: 'Y' });
    pump.flush();
    moveItem(a, x, 1);
    updateItem(a, x, { note: 'moved' });
    deleteItem(b, x);
    pump.flush();
    expect(expectConverged(pump.docs).sessions[0]!.items.map(displayTitle)).toEqual(['Y']);
  });

  for (const seed of [1, 2, 3, 7, 42, 1234]) {
    it(`random concurrent reorders, edits, adds and deletions converge (seed ${seed})`, () => {
      const random = prng(seed);
      const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
      const pump = new Pump(4);
      const s1 = addSession(pump.docs[0]!, { title: 'Opening' });
      const s2 = addSession(pump.docs[0]!, { title: 'Session 1' });
      for (let i = 0; i < 6; i++) addItem(pump.docs[0]!, i % 2 ? s1 : s2, { titleEn: `seed item ${i}` });
      pump.flush();
      let added = 0;
      for (let step = 0; step < 400; step++) {
        const doc = pick(pump.docs)!;
        const agenda = readAgenda(doc);
        const sessions = agenda.sessions;
        const session = pick(sessions);
        const item = session && pick(session.items);
        const roll = random();
        if (roll < 0.35 && item && session) moveItem(doc, item.id, Math.floor(random() * (session.items.length + 1)));
        else if (roll < 0.45 && item) moveItem(doc, item.id, 0, pick(sessions)!.id);
        else if (roll < 0.65 && item) updateItem(doc, item.id, { titleEn: `edited ${added++}`, duration: Math.floor(random() * 90) });
        else if (roll < 0.75 && session) addItem(doc, session.id, { titleEn: `added ${added++}` }, Math.floor(random() * 3));
        else if (roll < 0.82 && item) deleteItem(doc, item.id);
        else if (roll < 0.86 && session) moveSession(doc, session.id, Math.floor(random() * 3));
        else if (roll < 0.88 && session && sessions.length > 2) deleteSession(doc, session.id);
        else if (roll < 0.9) addSession(doc, { title: `session ${added++}` });
        for (let k = Math.floor(random() * 4); k > 0; k--) pump.step(random);
      }
      pump.flush();
      const agenda = expectConverged(pump.docs);
      // Every title written is unique, so a title shown twice would be a row copied by a move.
      const titles = agenda.sessions.flatMap((s) => s.items.map((i) => i.titleEn));
      expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
    });
  }
});
