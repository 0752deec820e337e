// Agenda time arithmetic in both capitals' zones (Intl only), the timetable rules (flow, fixed,
// overlap, overrun) and the documented repair of invalid values.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ORPHANS_SESSION_ID,
  UNTITLED,
  addItem,
  addSession,
  agendaItems,
  agendaRoot,
  agendaSessions,
  computeSchedule,
  deleteSession,
  displayTitle,
  formatBothZones,
  readAgenda,
  todayIn,
  updateItem,
} from '../../shared/agenda.js';
import { isKnownTimeZone, wallClockAt, zonedToInstant } from '../../shared/agenda-time.js';

const KARACHI = { date: '2025-03-12', timeZone: 'Asia/Karachi' };

function startsOf(doc: Y.Doc, meeting = KARACHI): string[][] {
  return computeSchedule(readAgenda(doc), meeting, '2000-01-01').sessions.map((s) => s.items.map((i) => formatBothZones(i.times)));
}

describe('zone arithmetic', () => {
  it('turns a wall time in either capital into the same instant as UTC says', () => {
    expect(new Date(zonedToInstant('2025-03-12', 10 * 60, 'Asia/Karachi')).toISOString()).toBe('2025-03-12T05:00:00.000Z');
    expect(new Date(zonedToInstant('2025-03-12', 10 * 60, 'Asia/Kabul')).toISOString()).toBe('2025-03-12T05:30:00.000Z');
    expect(wallClockAt(Date.parse('2025-03-12T05:00:00Z'), 'Asia/Kabul')).toEqual({ day: '2025-03-12', minutes: 9 * 60 + 30, seconds: 0 });
  });

  it('handles a zone with clock changes (Europe/London) without a fixed offset', () => {
    // 30 March 2025: clocks go from 01:00 to 02:00 in London.
    expect(new Date(zonedToInstant('2025-03-30', 0, 'Europe/London')).toISOString()).toBe('2025-03-30T00:00:00.000Z');
    expect(new Date(zonedToInstant('2025-03-30', 3 * 60, 'Europe/London')).toISOString()).toBe('2025-03-30T02:00:00.000Z');
  });

  it('knows the zones Intl knows', () => {
    expect(isKnownTimeZone('Asia/Kabul')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone(42)).toBe(false);
  });

  it('shows a meeting day that crosses midnight in one zone only', () => {
    const doc = new Y.Doc();
    const evening = addSession(doc, { title: 'Evening', start: '23:00', end: '01:00' });
    addItem(doc, evening, { titleEn: 'Dinner', duration: 45 });
    addItem(doc, evening, { titleEn: 'Late talk', duration: 30 }); // 23:45 PKT
    addItem(doc, evening, { titleEn: 'After midnight', duration: 30 }); // 00:15 PKT next day
    expect(startsOf(doc)).toEqual([['23:00 PKT / 22:30 AFT', '23:45 PKT / 23:15 AFT', '00:15 PKT +1d / 23:45 AFT']]);
    const schedule = computeSchedule(readAgenda(doc), KARACHI, '2000-01-01');
    const last = schedule.sessions[0]?.items[2];
    expect(last?.times.map((t) => [t.label, t.startDayOffset])).toEqual([
      ['PKT', 1],
      ['AFT', 0],
    ]);
    expect(new Date(last!.start).toISOString()).toBe('2025-03-12T19:15:00.000Z');
    // The session ends at 01:00 PKT the next day: no overrun.
    expect(last?.flags).toEqual([]);
  });

  it('reads times entered in Kabul time for a Kabul meeting', () => {
    const doc = new Y.Doc();
    const s = addSession(doc, { title: 'Opening', start: '09:30' });
    addItem(doc, s, { titleEn: 'Welcome', duration: 30 });
    expect(startsOf(doc, { date: '2025-03-12', timeZone: 'Asia/Kabul' })).toEqual([['10:00 PKT / 09:30 AFT']]);
  });
});

describe('timetable rules', () => {
  it('moves following items when a duration changes, but not fixed items; flags overlap and overrun', () => {
    const doc = new Y.Doc();
    const s = addSession(doc, { title: 'Session 1', start: '10:00', end: '12:00' });
    const first = addItem(doc, s, { titleEn: 'Statements', duration: 30 });
    addItem(doc, s, { titleEn: 'Debate', duration: 30 });
    addItem(doc, s, { titleEn: 'Tea', kind: 'break', startMode: 'fixed', fixedStart: '11:15', duration: 15 });
    addItem(doc, s, { titleEn: 'Wrap-up', duration: 30 });
    expect(startsOf(doc)).toEqual([['10:00 PKT / 09:30 AFT', '10:30 PKT / 10:00 AFT', '11:15 PKT / 10:45 AFT', '11:30 PKT / 11:00 AFT']]);

    updateItem(doc, first, { duration: 60 });
    const schedule = computeSchedule(readAgenda(doc), KARACHI, '2000-01-01');
    const items = schedule.sessions[0]!.items;
    expect(items.map((i) => formatBothZones(i.times))).toEqual(['10:00 PKT / 09:30 AFT', '11:00 PKT / 10:30 AFT', '11:15 PKT / 10:45 AFT', '11:30 PKT / 11:00 AFT']);
    expect(items.map((i) => i.flags)).toEqual([[], ['overlap'], ['overlap'], []]);

    updateItem(doc, first, { duration: 120 });
    const later = computeSchedule(readAgenda(doc), KARACHI, '2000-01-01').sessions[0]!.items;
    expect(later.map((i) => formatBothZones(i.times))).toEqual(['10:00 PKT / 09:30 AFT', '12:00 PKT / 11:30 AFT', '11:15 PKT / 10:45 AFT', '12:30 PKT / 12:00 AFT']);
    expect(later.map((i) => i.flags)).toEqual([[], ['overlap', 'overrun'], ['overlap'], ['overrun']]);
  });

  it('uses the fallback date when the meeting has none', () => {
    const doc = new Y.Doc();
    addItem(doc, addSession(doc, { title: 'S', start: '09:00' }), { titleEn: 'A' });
    const schedule = computeSchedule(readAgenda(doc), { date: null, timeZone: 'Asia/Karachi' }, '2025-06-01');
    expect(schedule).toMatchObject({ date: '2025-06-01', dateIsFallback: true });
    expect(todayIn('Asia/Kabul', Date.parse('2025-03-11T20:00:00Z'))).toBe('2025-03-12');
  });
});

describe('repair of invalid values', () => {
  it('repairs what a misbehaving peer wrote, in the documented way, without throwing', () => {
    const doc = new Y.Doc();
    const s = addSession(doc, { title: 'S', start: '10:00', end: '11:00' });
    const id = addItem(doc, s, { titleEn: 'ok' });
    const map = agendaItems(doc).get(id) as Y.Map<unknown>;
    map.set('duration', -15);
    map.set('titleEn', '');
    map.set('startMode', 'fixed');
    map.set('fixedStart', '25:99');
    map.set('speakers', [{ name: 'Amina', delegation: 'xx' }, 'junk', { nope: 1 }]);
    map.set('linkedDocumentId', '../etc/passwd');
    map.set('kind', 'party');
    agendaRoot(doc).set('timeZone', 'Mars/Olympus');
    (agendaSessions(doc).get(s) as Y.Map<unknown>).set('start', 'soon');

    const agenda = readAgenda(doc);
    const item = agenda.sessions[0]!.items[0]!;
    expect(item).toMatchObject({ duration: 0, startMode: 'flow', fixedStart: null, kind: 'item', linkedDocumentId: null });
    expect(item.speakers).toEqual([
      { name: 'Amina', delegation: '' },
      { name: '', delegation: '' },
    ]);
    expect(displayTitle(item)).toBe(UNTITLED);
    expect(item.repairs.sort()).toEqual(['invalid-duration', 'invalid-fixed-start', 'invalid-link', 'invalid-speakers', 'untitled']);
    expect(agenda.repairs).toEqual(['invalid-zone']);
    expect(agenda.sessions[0]).toMatchObject({ start: '09:00', repairs: ['invalid-start'] });
    const schedule = computeSchedule(agenda, KARACHI, '2000-01-01');
    expect(schedule).toMatchObject({ timeZone: 'Asia/Karachi', zoneRepaired: true });
    expect(computeSchedule(agenda, { date: 'not a date', timeZone: 'Nowhere/Else' }, '2025-01-01')).toMatchObject({ timeZone: 'UTC', dateIsFallback: true });
  });

  it('keeps items of a session deleted concurrently, under a block of their own', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const s = addSession(a, { title: 'S' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    deleteSession(a, s);
    addItem(b, s, { titleEn: 'Added meanwhile' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) {
      const agenda = readAgenda(doc);
      expect(agenda.sessions.map((x) => x.id)).toEqual([ORPHANS_SESSION_ID]);
      expect(agenda.sessions[0]?.items.map((i) => [i.titleEn, i.repairs])).toEqual([['Added meanwhile', ['orphaned']]]);
    }
  });

  it('ignores rows of the wrong type instead of crashing', () => {
    const doc = new Y.Doc();
    agendaSessions(doc).set('s', 'not a map');
    agendaItems(doc).set('i', 42);
    expect(readAgenda(doc)).toEqual({ timeZone: null, sessions: [], repairs: [] });
  });
});
