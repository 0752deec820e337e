// The joint agenda of a meeting: its shape in the Y.Doc, how values read from it are validated and
// repaired, the only functions that write it, and its timetable in both capitals' time.
//
// Shape (in the same Y.Doc as the document's text, next to the editor's fragment `default`), three
// top-level types:
//   agenda           Y.Map { timeZone?: string }   zone times are entered in; absent → the meeting's
//   agenda:sessions  Y.Map<sessionId, Y.Map>       { title, day, start 'HH:MM', end 'HH:MM', order }
//   agenda:items     Y.Map<itemId, Y.Map>          { sessionId, order, kind, titleEn, titleLocal,
//                                                    localLang, startMode, fixedStart, duration,
//                                                    speakers, moderator, note, linkedDocumentId }
// The two row maps are top-level types rather than entries of `agenda`: two people adding the first
// session at once would each create a nested map under the same key, and one of them would be lost.
// Rows live in maps keyed by id, ordered by a fractional `order` key (shared/agenda-order.ts), so
// concurrent moves, edits and deletions converge without duplicates; every field is last-writer-wins.
// Items point to their session (rather than nesting) so that moving an item between sessions is one
// field write, not a copy.
//
// Repair rules — applied by readAgenda to whatever a peer wrote; nothing here ever throws on data:
//   duration: not a finite number or negative → 0; fractional → rounded; over 24 h → 24 h   [flag]
//   title: English and local titles both empty → shown as "(untitled)"                       [flag]
//   localLang: not ur / fa / ps → null (the view guesses from the letters)
//   kind, startMode: unknown → 'item', 'flow'
//   startMode 'fixed' with no valid fixedStart → flows                                       [flag]
//   speakers: not a list → []; entries without a name dropped; unknown delegation → ''      [flag]
//   linkedDocumentId: not a valid document id → null                                         [flag]
//   session start invalid → 09:00, end invalid → none (no overrun check), day → 0            [flag]
//   session title empty → "(untitled session)"                                               [flag]
//   agenda timeZone unknown to Intl → the meeting's zone; meeting zone unknown → UTC         [flag]
//   an item whose session is gone (deleted while someone added to it) → listed under a
//   synthetic "Items of a deleted session" block, never dropped                             [flag]
//   texts longer than their limit are cut.
// Writers sanitise with the same rules, so a well-behaved client never writes a value needing repair.
import * as Y from 'yjs';
import { isValidDocumentId } from './protocol.js';
import { DELEGATIONS, type Delegation } from './workspace.js';
import { compareByOrder, isValidOrderKey, keyBetween, spreadKeys } from './agenda-order.js';
import {
  DISPLAY_ZONES,
  MINUTE_MS,
  addDays,
  daysBetween,
  formatWallTime,
  isKnownTimeZone,
  isValidDay,
  parseWallTime,
  wallClockAt,
  zonedToInstant,
} from './agenda-time.js';

/** Names of the agenda's top-level types in the Y.Doc. */
export const AGENDA_ROOT = 'agenda';
export const AGENDA_SESSIONS = 'agenda:sessions';
export const AGENDA_ITEMS = 'agenda:items';
export const UNTITLED = '(untitled)';
export const UNTITLED_SESSION = '(untitled session)';
/** Id of the synthetic block that holds items whose session was deleted. */
export const ORPHANS_SESSION_ID = '~orphans';

export const LOCAL_LANGUAGES = ['ur', 'fa', 'ps'] as const;
export type LocalLanguage = (typeof LOCAL_LANGUAGES)[number];
export const LOCAL_LANGUAGE_NAMES: Record<LocalLanguage, string> = { ur: 'Urdu', fa: 'Dari', ps: 'Pashto' };
export const ITEM_KINDS = ['item', 'break'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const START_MODES = ['flow', 'fixed'] as const;
export type StartMode = (typeof START_MODES)[number];

export const LIMITS = { title: 300, text: 1000, name: 120, speakers: 20, durationMinutes: 24 * 60, days: 14 } as const;
const DEFAULT_SESSION_START = '09:00';

export interface Speaker {
  name: string;
  /** '' when not said (or unknown). */
  delegation: Delegation | '';
}

export type RepairFlag =
  | 'invalid-duration'
  | 'untitled'
  | 'invalid-fixed-start'
  | 'invalid-speakers'
  | 'invalid-link'
  | 'invalid-start'
  | 'invalid-end'
  | 'invalid-zone'
  | 'orphaned';

export interface AgendaItem {
  id: string;
  sessionId: string;
  order: string | null;
  kind: ItemKind;
  titleEn: string;
  titleLocal: string;
  localLang: LocalLanguage | null;
  startMode: StartMode;
  /** `HH:MM` in the agenda's zone, when startMode is 'fixed'. */
  fixedStart: string | null;
  duration: number;
  speakers: Speaker[];
  moderator: string;
  note: string;
  linkedDocumentId: string | null;
  repairs: RepairFlag[];
}

export interface AgendaSession {
  id: string;
  order: string | null;
  title: string;
  /** Day of the meeting, 0 = the meeting's date. */
  day: number;
  start: string;
  end: string | null;
  items: AgendaItem[];
  repairs: RepairFlag[];
}

export interface Agenda {
  /** The zone stored in the agenda, if valid; null: the meeting's zone. */
  timeZone: string | null;
  sessions: AgendaSession[];
  repairs: RepairFlag[];
}

// ---------------------------------------------------------------------------------------------
// Reading and repair

function text(value: unknown, limit: number): string {
  return typeof value === 'string' ? value.slice(0, limit) : '';
}

function asMap(value: unknown): Y.Map<unknown> | null {
  return value instanceof Y.Map ? value : null;
}

export function repairDuration(value: unknown): { duration: number; repaired: boolean } {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return { duration: 0, repaired: true };
  if (value > LIMITS.durationMinutes) return { duration: LIMITS.durationMinutes, repaired: true };
  const rounded = Math.round(value);
  return { duration: rounded, repaired: rounded !== value };
}

export function repairSpeakers(value: unknown): { speakers: Speaker[]; repaired: boolean } {
  if (value === undefined) return { speakers: [], repaired: false };
  if (!Array.isArray(value)) return { speakers: [], repaired: true };
  let repaired = value.length > LIMITS.speakers;
  const speakers: Speaker[] = [];
  for (const entry of value.slice(0, LIMITS.speakers)) {
    const name = typeof entry === 'object' && entry !== null ? text((entry as Record<string, unknown>)['name'], LIMITS.name) : '';
    const delegation = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['delegation'] : undefined;
    if (name.trim() === '' && typeof entry === 'object' && entry !== null && delegation === undefined) {
      repaired = true;
      continue;
    }
    const known = (DELEGATIONS as readonly unknown[]).includes(delegation) ? (delegation as Delegation) : '';
    if (known === '' && delegation !== '') repaired = true;
    speakers.push({ name, delegation: known });
  }
  return { speakers, repaired };
}

export function readItem(id: string, map: Y.Map<unknown>): AgendaItem {
  const repairs: RepairFlag[] = [];
  const { duration, repaired: badDuration } = repairDuration(map.get('duration'));
  if (badDuration) repairs.push('invalid-duration');
  const titleEn = text(map.get('titleEn'), LIMITS.title);
  const titleLocal = text(map.get('titleLocal'), LIMITS.title);
  if (titleEn.trim() === '' && titleLocal.trim() === '') repairs.push('untitled');
  const lang = map.get('localLang');
  const kind = map.get('kind') === 'break' ? 'break' : 'item';
  let startMode: StartMode = map.get('startMode') === 'fixed' ? 'fixed' : 'flow';
  const rawFixed = map.get('fixedStart');
  const fixedStart = parseWallTime(rawFixed) === null ? null : (rawFixed as string);
  if (startMode === 'fixed' && fixedStart === null) {
    startMode = 'flow';
    repairs.push('invalid-fixed-start');
  }
  const { speakers, repaired: badSpeakers } = repairSpeakers(map.get('speakers'));
  if (badSpeakers) repairs.push('invalid-speakers');
  const rawLink = map.get('linkedDocumentId');
  let linkedDocumentId: string | null = null;
  if (typeof rawLink === 'string' && isValidDocumentId(rawLink)) linkedDocumentId = rawLink;
  else if (rawLink !== undefined && rawLink !== null && rawLink !== '') repairs.push('invalid-link');
  const order = map.get('order');
  return {
    id,
    sessionId: text(map.get('sessionId'), 64),
    order: isValidOrderKey(order) ? order : null,
    kind,
    titleEn,
    titleLocal,
    localLang: (LOCAL_LANGUAGES as readonly unknown[]).includes(lang) ? (lang as LocalLanguage) : null,
    startMode,
    fixedStart,
    duration,
    speakers,
    moderator: text(map.get('moderator'), LIMITS.name),
    note: text(map.get('note'), LIMITS.text),
    linkedDocumentId,
    repairs,
  };
}

function readSession(id: string, map: Y.Map<unknown>): AgendaSession {
  const repairs: RepairFlag[] = [];
  let title = text(map.get('title'), LIMITS.title);
  if (title.trim() === '') {
    title = UNTITLED_SESSION;
    repairs.push('untitled');
  }
  const rawStart = map.get('start');
  let start = DEFAULT_SESSION_START;
  if (parseWallTime(rawStart) !== null) start = rawStart as string;
  else repairs.push('invalid-start');
  const rawEnd = map.get('end');
  let end: string | null = null;
  if (parseWallTime(rawEnd) !== null) end = rawEnd as string;
  else if (rawEnd !== undefined && rawEnd !== null && rawEnd !== '') repairs.push('invalid-end');
  const rawDay = map.get('day');
  let day = 0;
  if (typeof rawDay === 'number' && Number.isInteger(rawDay) && rawDay >= 0 && rawDay < LIMITS.days) day = rawDay;
  else if (rawDay !== undefined) repairs.push('invalid-start');
  const order = map.get('order');
  return { id, order: isValidOrderKey(order) ? order : null, title, day, start, end, items: [], repairs };
}

/** The agenda's settings map. Top-level types exist in every peer's doc: creating them never conflicts. */
export function agendaRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(AGENDA_ROOT);
}

export function agendaSessions(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(AGENDA_SESSIONS);
}

export function agendaItems(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(AGENDA_ITEMS);
}

/** A plain, validated and repaired copy of the agenda in `doc`. Never throws on what peers wrote. */
export function readAgenda(doc: Y.Doc): Agenda {
  const root = agendaRoot(doc);
  const repairs: RepairFlag[] = [];
  const rawZone = root.get('timeZone');
  let timeZone: string | null = null;
  if (isKnownTimeZone(rawZone)) timeZone = rawZone;
  else if (rawZone !== undefined && rawZone !== null) repairs.push('invalid-zone');

  const sessions = new Map<string, AgendaSession>();
  agendaSessions(doc).forEach((value, id) => {
    const map = asMap(value);
    if (map) sessions.set(id, readSession(id, map));
  });
  const orphans: AgendaItem[] = [];
  agendaItems(doc).forEach((value, id) => {
    const map = asMap(value);
    if (!map) return;
    const item = readItem(id, map);
    const session = sessions.get(item.sessionId);
    if (session) session.items.push(item);
    else orphans.push({ ...item, repairs: [...item.repairs, 'orphaned'] });
  });
  const list = [...sessions.values()].sort(compareByOrder);
  for (const session of list) session.items.sort(compareByOrder);
  if (orphans.length > 0) {
    orphans.sort(compareByOrder);
    list.push({ id: ORPHANS_SESSION_ID, order: null, title: 'Items of a deleted session', day: 0, start: DEFAULT_SESSION_START, end: null, items: orphans, repairs: ['orphaned'] });
  }
  return { timeZone, sessions: list, repairs };
}

/** What a title reads as: English, else the local title, else "(untitled)". */
export function displayTitle(item: Pick<AgendaItem, 'titleEn' | 'titleLocal'>): string {
  return item.titleEn.trim() || item.titleLocal.trim() || UNTITLED;
}

// ---------------------------------------------------------------------------------------------
// Writing. Every change is one transaction; values are sanitised before they are written.

export interface SessionInput {
  title?: string;
  day?: number;
  start?: string;
  end?: string | null;
}

export interface ItemInput {
  kind?: ItemKind;
  titleEn?: string;
  titleLocal?: string;
  localLang?: LocalLanguage | null;
  startMode?: StartMode;
  fixedStart?: string | null;
  duration?: number;
  speakers?: Speaker[];
  moderator?: string;
  note?: string;
  linkedDocumentId?: string | null;
}

function newId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 14);
}

function sanitiseSession(input: SessionInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.title !== undefined) out['title'] = input.title.slice(0, LIMITS.title);
  if (input.day !== undefined) out['day'] = Math.min(LIMITS.days - 1, Math.max(0, Math.round(input.day) || 0));
  if (input.start !== undefined && parseWallTime(input.start) !== null) out['start'] = input.start;
  if (input.end !== undefined) out['end'] = input.end !== null && parseWallTime(input.end) !== null ? input.end : null;
  return out;
}

function sanitiseItem(input: ItemInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.kind !== undefined) out['kind'] = input.kind === 'break' ? 'break' : 'item';
  if (input.titleEn !== undefined) out['titleEn'] = input.titleEn.slice(0, LIMITS.title);
  if (input.titleLocal !== undefined) out['titleLocal'] = input.titleLocal.slice(0, LIMITS.title);
  if (input.localLang !== undefined) out['localLang'] = input.localLang !== null && LOCAL_LANGUAGES.includes(input.localLang) ? input.localLang : null;
  if (input.startMode !== undefined) out['startMode'] = input.startMode === 'fixed' ? 'fixed' : 'flow';
  if (input.fixedStart !== undefined) out['fixedStart'] = input.fixedStart !== null && parseWallTime(input.fixedStart) !== null ? input.fixedStart : null;
  if (input.duration !== undefined) out['duration'] = repairDuration(input.duration).duration;
  if (input.speakers !== undefined) out['speakers'] = repairSpeakers(input.speakers).speakers;
  if (input.moderator !== undefined) out['moderator'] = input.moderator.slice(0, LIMITS.name);
  if (input.note !== undefined) out['note'] = input.note.slice(0, LIMITS.text);
  if (input.linkedDocumentId !== undefined) {
    const link = input.linkedDocumentId?.trim() ?? '';
    out['linkedDocumentId'] = isValidDocumentId(link) ? link : null;
  }
  return out;
}

function writeFields(map: Y.Map<unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    // Writing an unchanged value would still be an update (and win against a concurrent real edit).
    const current = map.get(key);
    if (JSON.stringify(current) !== JSON.stringify(value)) map.set(key, value);
  }
}

/** Keys of the rows of one list, as currently ordered (repaired read). */
function orderedRows(maps: Y.Map<unknown>, filter: (map: Y.Map<unknown>) => boolean): Array<{ id: string; order: string | null; map: Y.Map<unknown> }> {
  const rows: Array<{ id: string; order: string | null; map: Y.Map<unknown> }> = [];
  maps.forEach((value, id) => {
    const map = asMap(value);
    if (!map || !filter(map)) return;
    const order = map.get('order');
    rows.push({ id, order: isValidOrderKey(order) ? order : null, map });
  });
  return rows.sort(compareByOrder);
}

/**
 * Puts `moving` at `index` among `rows` (which do not include it) by giving it a key between its new
 * neighbours; when they have equal or invalid keys, renumbers the whole list in its new order.
 */
function placeAt(rows: Array<{ order: string | null; map: Y.Map<unknown> }>, moving: Y.Map<unknown>, index: number): void {
  const at = Math.max(0, Math.min(rows.length, index));
  const before = at > 0 ? rows[at - 1]?.order : '';
  const after = at < rows.length ? rows[at]?.order : null;
  if (before !== null && before !== undefined && after !== undefined && (after === null || before < after)) {
    moving.set('order', keyBetween(before, after));
    return;
  }
  const all = [...rows.slice(0, at).map((r) => r.map), moving, ...rows.slice(at).map((r) => r.map)];
  spreadKeys(all.length).forEach((key, i) => {
    if (all[i]?.get('order') !== key) all[i]?.set('order', key);
  });
}

export function addSession(doc: Y.Doc, input: SessionInput = {}): string {
  const id = newId();
  doc.transact(() => {
    const sessions = agendaSessions(doc);
    const rows = orderedRows(sessions, () => true);
    const map = new Y.Map<unknown>();
    sessions.set(id, map);
    writeFields(map, { title: '', day: 0, start: DEFAULT_SESSION_START, end: null, ...sanitiseSession(input) });
    placeAt(rows, map, rows.length);
  });
  return id;
}

export function updateSession(doc: Y.Doc, id: string, input: SessionInput): void {
  doc.transact(() => {
    const map = asMap(agendaSessions(doc).get(id));
    if (map) writeFields(map, sanitiseSession(input));
  });
}

/** Deletes the session and the items it has now; items someone adds to it meanwhile become orphans. */
export function deleteSession(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    agendaSessions(doc).delete(id);
    const items = agendaItems(doc);
    for (const row of orderedRows(items, (map) => map.get('sessionId') === id)) items.delete(row.id);
  });
}

export function moveSession(doc: Y.Doc, id: string, toIndex: number): void {
  doc.transact(() => {
    const sessions = agendaSessions(doc);
    const map = asMap(sessions.get(id));
    if (!map) return;
    placeAt(
      orderedRows(sessions, () => true).filter((row) => row.id !== id),
      map,
      toIndex,
    );
  });
}

/** Adds an item at `index` of the session (default: the end). */
export function addItem(doc: Y.Doc, sessionId: string, input: ItemInput = {}, index?: number): string {
  const id = newId();
  doc.transact(() => {
    const items = agendaItems(doc);
    const rows = orderedRows(items, (map) => map.get('sessionId') === sessionId);
    const map = new Y.Map<unknown>();
    items.set(id, map);
    writeFields(map, {
      sessionId,
      kind: 'item',
      titleEn: '',
      titleLocal: '',
      startMode: 'flow',
      duration: 30,
      speakers: [],
      moderator: '',
      note: '',
      ...sanitiseItem(input),
    });
    placeAt(rows, map, index ?? rows.length);
  });
  return id;
}

export function updateItem(doc: Y.Doc, id: string, input: ItemInput): void {
  doc.transact(() => {
    const map = asMap(agendaItems(doc).get(id));
    if (map) writeFields(map, sanitiseItem(input));
  });
}

export function deleteItem(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    agendaItems(doc).delete(id);
  });
}

/**
 * Moves an item to `toIndex` in `toSessionId` (default: its own session); the index counts the
 * session's other items. A move of an item someone deleted meanwhile does nothing.
 */
export function moveItem(doc: Y.Doc, id: string, toIndex: number, toSessionId?: string): void {
  doc.transact(() => {
    const items = agendaItems(doc);
    const map = asMap(items.get(id));
    if (!map) return;
    const sessionId = toSessionId ?? text(map.get('sessionId'), 64);
    if (map.get('sessionId') !== sessionId) map.set('sessionId', sessionId);
    placeAt(
      orderedRows(items, (other) => other.get('sessionId') === sessionId).filter((row) => row.id !== id),
      map,
      toIndex,
    );
  });
}

/** A first timetable to edit, so nobody starts from an empty page. */
export function insertSampleAgenda(doc: Y.Doc): void {
  doc.transact(() => {
    const opening = addSession(doc, { title: 'Opening', start: '09:30', end: '10:30' });
    addItem(doc, opening, { titleEn: 'Welcome and introductions', titleLocal: 'خوش آمدید اور تعارف', localLang: 'ur', duration: 30 });
    addItem(doc, opening, { titleEn: 'Adoption of the agenda', titleLocal: 'تصویب آجندا', localLang: 'fa', duration: 15 });
    const trade = addSession(doc, { title: 'Session 1: Border trade and transit', start: '10:30', end: '13:00' });
    addItem(doc, trade, { titleEn: 'Opening statements', duration: 30 });
    addItem(doc, trade, { titleEn: 'Tea break', kind: 'break', startMode: 'fixed', fixedStart: '11:30', duration: 15 });
    addItem(doc, trade, { titleEn: 'Working group recommendations', duration: 60 });
    const close = addSession(doc, { title: 'Closing', start: '14:00', end: '17:00' });
    addItem(doc, close, { titleEn: 'Reading of the joint communiqué', duration: 45 });
    addItem(doc, close, { titleEn: 'Press conference', startMode: 'fixed', fixedStart: '16:00', duration: 30 });
  });
}

// ---------------------------------------------------------------------------------------------
// The timetable: instants and both capitals' times.

export type ScheduleFlag = 'overlap' | 'overrun';

export interface ZonedTime {
  timeZone: string;
  label: string;
  /** `HH:MM` in that zone. */
  start: string;
  end: string;
  /** Calendar days from the meeting date to the start's day in that zone (e.g. +1 after midnight). */
  startDayOffset: number;
  endDayOffset: number;
}

export interface ScheduledItem {
  item: AgendaItem;
  start: number;
  end: number;
  times: ZonedTime[];
  flags: ScheduleFlag[];
}

export interface ScheduledSession {
  session: AgendaSession;
  start: number;
  end: number | null;
  times: ZonedTime[];
  items: ScheduledItem[];
}

export interface MeetingTime {
  /** `YYYY-MM-DD`, or null when the organisers have not set it yet. */
  date: string | null;
  timeZone: string;
}

export interface Schedule {
  /** The day used: the meeting's date, or `fallbackDate` when it has none. */
  date: string;
  dateIsFallback: boolean;
  /** The zone times are entered in. */
  timeZone: string;
  zoneRepaired: boolean;
  sessions: ScheduledSession[];
}

function zonedTimes(start: number, end: number, meetingDate: string): ZonedTime[] {
  return DISPLAY_ZONES.map(({ timeZone, label }) => {
    const s = wallClockAt(start, timeZone);
    const e = wallClockAt(end, timeZone);
    return {
      timeZone,
      label,
      start: formatWallTime(s.minutes),
      end: formatWallTime(e.minutes),
      startDayOffset: daysBetween(meetingDate, s.day),
      endDayOffset: daysBetween(meetingDate, e.day),
    };
  });
}

/**
 * Start and end of every item as instants and in both capitals' time. Within a session, wall times
 * are read in the 24 hours from the session's start (so an end or fixed time earlier than the start
 * is the next day). Flowing items follow one another from the session start; fixed items (and the
 * breaks the view creates fixed) keep their time and the next flowing item follows them. An item that
 * starts before the previous one ends is flagged `overlap` (both are); one that ends after the
 * session's end is flagged `overrun`.
 * `fallbackDate` (the view passes today in the meeting's zone) is used when the meeting has no date.
 */
export function computeSchedule(agenda: Agenda, meeting: MeetingTime, fallbackDate: string): Schedule {
  const meetingZone = isKnownTimeZone(meeting.timeZone) ? meeting.timeZone : 'UTC';
  const timeZone = agenda.timeZone ?? meetingZone;
  const zoneRepaired = agenda.repairs.includes('invalid-zone') || meetingZone !== meeting.timeZone;
  const dateIsFallback = !isValidDay(meeting.date);
  const date = dateIsFallback ? fallbackDate : (meeting.date as string);

  const sessions = agenda.sessions.map((session): ScheduledSession => {
    const day = addDays(date, session.day);
    const startMinutes = parseWallTime(session.start) ?? 0;
    const sessionStart = zonedToInstant(day, startMinutes, timeZone);
    const endMinutes = parseWallTime(session.end);
    const sessionEnd = endMinutes === null ? null : zonedToInstant(day, startMinutes + ((endMinutes - startMinutes + 1440) % 1440 || 1440), timeZone);
    let cursor = sessionStart;
    let previous: ScheduledItem | null = null;
    const items: ScheduledItem[] = [];
    for (const item of session.items) {
      const fixed = item.startMode === 'fixed' ? parseWallTime(item.fixedStart) : null;
      const start = fixed === null ? cursor : zonedToInstant(day, startMinutes + ((fixed - startMinutes + 1440) % 1440), timeZone);
      const end = start + item.duration * MINUTE_MS;
      const scheduled: ScheduledItem = { item, start, end, times: zonedTimes(start, end, date), flags: [] };
      if (previous && start < previous.end) {
        scheduled.flags.push('overlap');
        if (!previous.flags.includes('overlap')) previous.flags.push('overlap');
      }
      if (sessionEnd !== null && end > sessionEnd) scheduled.flags.push('overrun');
      items.push(scheduled);
      // After a fixed item the flow resumes at its end, unless earlier items already run past it.
      cursor = fixed === null ? end : Math.max(cursor, end);
      previous = scheduled;
    }
    for (const scheduled of items) scheduled.flags.sort();
    return {
      session,
      start: sessionStart,
      end: sessionEnd,
      times: zonedTimes(sessionStart, sessionEnd ?? sessionStart, date),
      items,
    };
  });
  return { date, dateIsFallback, timeZone, zoneRepaired, sessions };
}

/** `10:00 PKT / 09:30 AFT` (with `+1d` where the day differs from the meeting date). */
export function formatBothZones(times: readonly ZonedTime[], which: 'start' | 'end' = 'start'): string {
  return times
    .map((t) => {
      const offset = which === 'start' ? t.startDayOffset : t.endDayOffset;
      const suffix = offset === 0 ? '' : ` ${offset > 0 ? '+' : '−'}${Math.abs(offset)}d`;
      return `${which === 'start' ? t.start : t.end} ${t.label}${suffix}`;
    })
    .join(' / ');
}

/** Today's date in `timeZone` (the fallback for a meeting without a date). */
export function todayIn(timeZone: string, now = Date.now()): string {
  return wallClockAt(now, isKnownTimeZone(timeZone) ? timeZone : 'UTC').day;
}
