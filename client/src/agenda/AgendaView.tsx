// The timetable of a meeting's agenda, co-edited live: sessions with their items, each item's time in
// Islamabad (PKT) and Kabul (AFT) side by side, inline fields, reordering by drag (mouse or keyboard,
// through @dnd-kit) and by "Move up"/"Move down" buttons, and the schedule's problems said in words.
// Everything it shows comes from readAgenda + computeSchedule (shared/agenda.ts); everything it
// changes goes through that module's writers, so peers only ever see sanitised values.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import {
  LOCAL_LANGUAGES,
  LOCAL_LANGUAGE_NAMES,
  ORPHANS_SESSION_ID,
  addItem,
  addSession,
  computeSchedule,
  deleteItem,
  deleteSession,
  displayTitle,
  insertSampleAgenda,
  moveItem,
  moveSession,
  todayIn,
  updateItem,
  updateSession,
  type LocalLanguage,
  type RepairFlag,
  type ScheduleFlag,
  type ScheduledItem,
  type ScheduledSession,
  type Speaker,
  type ZonedTime,
} from '../../../shared/agenda.js';
import { DISPLAY_ZONES, formatWallTime, parseWallTime, wallClockAt } from '../../../shared/agenda-time.js';
import { DELEGATIONS, DELEGATION_NAMES, type Delegation } from '../../../shared/workspace.js';
import { detectArabicScriptLanguage } from '../editor/script-language.js';
import { formatMeetingDate, timeZoneLabel } from '../workspace/meeting-time.js';
import { useAgenda } from './use-agenda.js';

export interface AgendaMeeting {
  date: string | null;
  timeZone: string;
  city?: string;
}

/** Without a meeting (a document outside any meeting), times are entered in Islamabad time. */
const NO_MEETING: AgendaMeeting = { date: null, timeZone: 'Asia/Karachi' };

const FLAG_TEXT: Record<ScheduleFlag | RepairFlag, string> = {
  overlap: 'Overlaps another item',
  overrun: 'Runs past the session’s end',
  'invalid-duration': 'Duration was invalid; shown as 0 min',
  untitled: 'No title',
  'invalid-fixed-start': 'Fixed time was invalid; flows instead',
  'invalid-speakers': 'Some speakers were invalid',
  'invalid-link': 'Linked document id was invalid',
  'invalid-start': 'Start was invalid; shown as 09:00',
  'invalid-end': 'End was invalid; ignored',
  'invalid-zone': 'Time zone was unknown; meeting zone used',
  orphaned: 'Its session was deleted',
};

interface AgendaViewProps {
  doc: Y.Doc;
  meeting: AgendaMeeting | null;
  editable: boolean;
}

export function AgendaView({ doc, meeting, editable }: AgendaViewProps) {
  const agenda = useAgenda(doc);
  const when = meeting ?? NO_MEETING;
  const schedule = useMemo(() => computeSchedule(agenda, when, todayIn(when.timeZone)), [agenda, when]);

  return (
    <section className="agenda" aria-labelledby="agenda-heading">
      <header className="agenda-header">
        <h2 id="agenda-heading">Timetable</h2>
        <p>
          {formatMeetingDate(schedule.dateIsFallback ? null : schedule.date)}. Times are entered in {timeZoneLabel(schedule.timeZone)} and shown in both capitals’ time: {DISPLAY_ZONES.map((z) => `${z.label} (${z.city})`).join(' and ')}.
        </p>
        {schedule.dateIsFallback && (
          <p className="notice notice--warn" role="note">
            The meeting’s date is not set yet, so times are worked out for today ({schedule.date}). They change only if a clock change falls
            between now and the meeting; set the date in the lobby to be sure.
          </p>
        )}
        {schedule.zoneRepaired && (
          <p className="notice notice--warn" role="note">
            This agenda names a time zone Concord does not know; its times are read in {timeZoneLabel(schedule.timeZone)}.
          </p>
        )}
      </header>
      {schedule.sessions.length === 0 && (
        <div className="agenda-empty">
          <p>No sessions yet.</p>
          {editable && (
            <button type="button" onClick={() => insertSampleAgenda(doc)}>
              Start from a sample timetable
            </button>
          )}
        </div>
      )}
      {schedule.sessions.map((scheduled, index) => (
        <SessionBlock
          key={scheduled.session.id}
          doc={doc}
          scheduled={scheduled}
          index={index}
          count={schedule.sessions.length}
          editable={editable}
          timeZone={schedule.timeZone}
          sessionIds={schedule.sessions.filter((s) => s.session.id !== ORPHANS_SESSION_ID).map((s) => ({ id: s.session.id, title: s.session.title }))}
        />
      ))}
      {editable && (
        <p className="agenda-add">
          <button type="button" onClick={() => addSession(doc, { title: `Session ${schedule.sessions.length + 1}`, start: nextSessionStart(schedule.sessions) })}>
            Add session
          </button>
        </p>
      )}
    </section>
  );
}

/** A new session starts where the last one ends (in the entered zone's wall time). */
function nextSessionStart(sessions: ScheduledSession[]): string {
  const last = sessions.filter((s) => s.session.id !== ORPHANS_SESSION_ID).at(-1);
  return last?.session.end ?? '09:00';
}

function dayMark(offset: number): string {
  return offset === 0 ? '' : ` (${offset > 0 ? '+' : '−'}${Math.abs(offset)} day)`;
}

function TimeCell({ time }: { time: ZonedTime | undefined }) {
  if (!time) return <td />;
  return (
    <td className="agenda-time">
      <span className="agenda-time-start">
        {time.start}
        {dayMark(time.startDayOffset)}
      </span>
      <span aria-hidden="true">–</span>
      <span className="visually-hidden"> to </span>
      <span className="agenda-time-end">
        {time.end}
        {dayMark(time.endDayOffset)}
      </span>
    </td>
  );
}

interface SessionBlockProps {
  doc: Y.Doc;
  scheduled: ScheduledSession;
  index: number;
  count: number;
  editable: boolean;
  /** The zone times are entered in. */
  timeZone: string;
  sessionIds: Array<{ id: string; title: string }>;
}

function SessionBlock({ doc, scheduled, index, count, editable, timeZone, sessionIds }: SessionBlockProps) {
  const { session } = scheduled;
  const orphans = session.id === ORPHANS_SESSION_ID;
  const headingId = `session-${session.id}`;
  const itemIds = scheduled.items.map((s) => s.item.id);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const titleOf = (id: unknown): string => {
    const found = scheduled.items.find((s) => s.item.id === id);
    return found ? displayTitle(found.item) : 'item';
  };
  const positionOf = (id: unknown): number => itemIds.indexOf(String(id)) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}, position ${positionOf(active.id)} of ${itemIds.length}.`,
    onDragOver: ({ active, over }) => (over ? `${titleOf(active.id)} is over position ${positionOf(over.id)} of ${itemIds.length}.` : undefined),
    onDragEnd: ({ active, over }) => (over ? `${titleOf(active.id)} dropped at position ${positionOf(over.id)} of ${itemIds.length}.` : `${titleOf(active.id)} dropped.`),
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled.`,
  };

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const to = itemIds.indexOf(String(over.id));
    if (to >= 0) moveItem(doc, String(active.id), to);
  }

  const sessionTime = scheduled.times.map((t) => `${t.start}${dayMark(t.startDayOffset)} ${t.label}`).join(' / ');
  const sessionEnd = scheduled.end === null ? null : scheduled.times.map((t) => `${t.end}${dayMark(t.endDayOffset)} ${t.label}`).join(' / ');

  return (
    <section className="agenda-session" aria-labelledby={headingId} data-session-id={session.id}>
      <div className="agenda-session-head">
        <h3 id={headingId}>
          <bdi dir="auto">{session.title}</bdi>
        </h3>
        <p className="agenda-session-time">
          {sessionTime}
          {sessionEnd && ` until ${sessionEnd}`}
        </p>
        {session.repairs.length > 0 && <Flags flags={session.repairs} />}
      </div>
      {editable && !orphans && (
        <fieldset className="agenda-session-fields">
          <legend className="visually-hidden">Session details</legend>
          <label>
            Session title
            <input dir="auto" value={session.title} onChange={(e) => updateSession(doc, session.id, { title: e.target.value })} />
          </label>
          <label>
            Day
            <NumberField min={1} max={14} value={session.day + 1} onCommit={(day) => updateSession(doc, session.id, { day: day - 1 })} />
          </label>
          <label>
            Starts
            <TimeField value={session.start} onCommit={(start) => start && updateSession(doc, session.id, { start })} />
          </label>
          <label>
            Ends
            <TimeField value={session.end ?? ''} onCommit={(end) => updateSession(doc, session.id, { end })} optional />
          </label>
          <span className="agenda-session-actions">
            <button type="button" disabled={index === 0} onClick={() => moveSession(doc, session.id, index - 1)} aria-label={`Move session ${session.title} up`}>
              Move up
            </button>
            <button type="button" disabled={index >= count - 1} onClick={() => moveSession(doc, session.id, index + 1)} aria-label={`Move session ${session.title} down`}>
              Move down
            </button>
            <button type="button" className="danger-button" onClick={() => deleteSession(doc, session.id)} aria-label={`Delete session ${session.title}`}>
              Delete session
            </button>
          </span>
        </fieldset>
      )}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements }}>
        <div className="table-scroll">
          <table className="agenda-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Order</span>
                </th>
                {DISPLAY_ZONES.map((zone) => (
                  <th scope="col" key={zone.timeZone}>
                    {zone.label}
                    <span className="agenda-zone-city"> {zone.city}</span>
                  </th>
                ))}
                <th scope="col">Item</th>
                <th scope="col">Timing</th>
                <th scope="col">People</th>
                <th scope="col">Note and outcome</th>
                <th scope="col">Problems</th>
              </tr>
            </thead>
            <SortableContext items={itemIds} strategy={verticalListSortingStrategy}>
              <tbody>
                {scheduled.items.map((item, position) => (
                  <ItemRow
                    key={item.item.id}
                    doc={doc}
                    scheduled={item}
                    position={position}
                    count={scheduled.items.length}
                    editable={editable}
                    timeZone={timeZone}
                    sessionIds={sessionIds}
                  />
                ))}
                {scheduled.items.length === 0 && (
                  <tr>
                    <td colSpan={8}>No items in this session yet.</td>
                  </tr>
                )}
              </tbody>
            </SortableContext>
          </table>
        </div>
      </DndContext>
      {editable && !orphans && (
        <p className="agenda-add">
          <button type="button" onClick={() => addItem(doc, session.id, { titleEn: '' })}>
            Add item to {session.title}
          </button>
          <button
            type="button"
            onClick={() => {
              // A break is fixed where the session's items end now, so later changes do not move it.
              const last = scheduled.items.at(-1);
              const fixedStart = last ? enteredWallTime(last.end, timeZone) : session.start;
              addItem(doc, session.id, { titleEn: 'Break', kind: 'break', startMode: 'fixed', fixedStart, duration: 15 });
            }}
          >
            Add break
          </button>
        </p>
      )}
    </section>
  );
}

/** `HH:MM` that clocks show at `instant` in the zone times are entered in. */
function enteredWallTime(instant: number, timeZone: string): string {
  return formatWallTime(wallClockAt(instant, timeZone).minutes);
}

interface ItemRowProps {
  doc: Y.Doc;
  scheduled: ScheduledItem;
  position: number;
  count: number;
  editable: boolean;
  timeZone: string;
  sessionIds: Array<{ id: string; title: string }>;
}

function ItemRow({ doc, scheduled, position, count, editable, timeZone, sessionIds }: ItemRowProps) {
  const { item } = scheduled;
  const title = displayTitle(item);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id, disabled: !editable });
  const set = (input: Parameters<typeof updateItem>[2]): void => updateItem(doc, item.id, input);
  const localLang: LocalLanguage | null = item.localLang ?? detectArabicScriptLanguage(item.titleLocal);
  const flags = [...scheduled.flags, ...item.repairs];
  const fieldId = (name: string): string => `item-${item.id}-${name}`;

  return (
    <tr
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`agenda-item agenda-item--${item.kind}${isDragging ? ' agenda-item--dragging' : ''}${flags.length > 0 ? ' agenda-item--flagged' : ''}`}
      data-item-id={item.id}
      aria-label={title}
    >
      <td className="agenda-order">
        <span className="agenda-position">{position + 1}</span>
        {editable && (
          <>
            <button type="button" ref={setActivatorNodeRef} className="agenda-handle" {...attributes} {...listeners} aria-label={`Drag to reorder ${title}`}>
              ⠿
            </button>
            <button type="button" className="agenda-move" disabled={position === 0} onClick={() => moveItem(doc, item.id, position - 1)} aria-label={`Move ${title} up`}>
              ↑
            </button>
            <button type="button" className="agenda-move" disabled={position >= count - 1} onClick={() => moveItem(doc, item.id, position + 1)} aria-label={`Move ${title} down`}>
              ↓
            </button>
          </>
        )}
      </td>
      {DISPLAY_ZONES.map((zone) => (
        <TimeCell key={zone.timeZone} time={scheduled.times.find((t) => t.timeZone === zone.timeZone)} />
      ))}
      <td className="agenda-titles">
        {item.kind === 'break' && <span className="agenda-kind">Break</span>}
        {editable ? (
          <>
            <label className="agenda-field">
              <span>Title (English)</span>
              <input lang="en" dir="auto" value={item.titleEn} onChange={(e) => set({ titleEn: e.target.value })} />
            </label>
            <label className="agenda-field">
              <span>Title ({localLang ? LOCAL_LANGUAGE_NAMES[localLang] : 'Urdu, Dari or Pashto'})</span>
              <input lang={localLang ?? undefined} dir="auto" className="agenda-local-title" value={item.titleLocal} onChange={(e) => set({ titleLocal: e.target.value })} />
            </label>
            <label className="agenda-field agenda-field--inline">
              <span>Language</span>
              <select value={item.localLang ?? ''} onChange={(e) => set({ localLang: (e.target.value || null) as LocalLanguage | null })}>
                <option value="">Detect</option>
                {LOCAL_LANGUAGES.map((lang) => (
                  <option key={lang} value={lang}>
                    {LOCAL_LANGUAGE_NAMES[lang]}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <div className="agenda-bilingual">
            <span lang="en" dir="auto" className="agenda-title-en">
              {item.titleEn || (item.titleLocal ? '' : title)}
            </span>
            {item.titleLocal && (
              <span lang={localLang ?? undefined} dir="auto" className="agenda-local-title">
                {item.titleLocal}
              </span>
            )}
          </div>
        )}
      </td>
      <td className="agenda-timing">
        <label className="agenda-field">
          <span>Duration (min)</span>
          <NumberField min={0} max={1440} value={item.duration} disabled={!editable} onCommit={(duration) => set({ duration })} id={fieldId('duration')} />
        </label>
        <label className="agenda-field">
          <span>Starts</span>
          <select value={item.startMode} disabled={!editable} onChange={(e) => set(e.target.value === 'fixed' ? { startMode: 'fixed', fixedStart: item.fixedStart ?? enteredWallTime(scheduled.start, timeZone) } : { startMode: 'flow' })}>
            <option value="flow">After the previous item</option>
            <option value="fixed">At a fixed time</option>
          </select>
        </label>
        {item.startMode === 'fixed' && (
          <label className="agenda-field">
            <span>Fixed at</span>
            <TimeField value={item.fixedStart ?? ''} disabled={!editable} onCommit={(fixedStart) => fixedStart && set({ fixedStart })} />
          </label>
        )}
        <label className="agenda-field">
          <span>Kind</span>
          <select value={item.kind} disabled={!editable} onChange={(e) => set({ kind: e.target.value === 'break' ? 'break' : 'item' })}>
            <option value="item">Item</option>
            <option value="break">Break</option>
          </select>
        </label>
      </td>
      <td className="agenda-people">
        <Speakers speakers={item.speakers} editable={editable} title={title} onChange={(speakers) => set({ speakers })} />
        <label className="agenda-field">
          <span>Moderator</span>
          <input dir="auto" value={item.moderator} disabled={!editable} onChange={(e) => set({ moderator: e.target.value })} />
        </label>
      </td>
      <td className="agenda-note">
        <label className="agenda-field">
          <span>Note</span>
          <textarea dir="auto" rows={2} value={item.note} disabled={!editable} onChange={(e) => set({ note: e.target.value })} />
        </label>
        <label className="agenda-field">
          <span>Produces document (id)</span>
          <LinkField value={item.linkedDocumentId} disabled={!editable} onCommit={(linkedDocumentId) => set({ linkedDocumentId })} />
        </label>
        {item.linkedDocumentId && (
          <a href={`/d/${encodeURIComponent(item.linkedDocumentId)}`} className="agenda-link">
            Open the linked document
          </a>
        )}
        {editable && (
          <label className="agenda-field">
            <span>Session</span>
            <select value={item.sessionId} onChange={(e) => moveItem(doc, item.id, Number.MAX_SAFE_INTEGER, e.target.value)}>
              {!sessionIds.some((s) => s.id === item.sessionId) && <option value={item.sessionId}>(deleted session)</option>}
              {sessionIds.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
        )}
      </td>
      <td className="agenda-flags">
        <Flags flags={flags} />
        {editable && (
          <button type="button" className="danger-button" onClick={() => deleteItem(doc, item.id)} aria-label={`Delete ${title}`}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

function Flags({ flags }: { flags: ReadonlyArray<ScheduleFlag | RepairFlag> }) {
  if (flags.length === 0) return null;
  return (
    <ul className="agenda-flag-list">
      {[...new Set(flags)].map((flag) => (
        <li key={flag} className={`agenda-flag agenda-flag--${flag}`}>
          <span aria-hidden="true">⚠ </span>
          {FLAG_TEXT[flag]}
        </li>
      ))}
    </ul>
  );
}

function Speakers({ speakers, editable, title, onChange }: { speakers: Speaker[]; editable: boolean; title: string; onChange: (speakers: Speaker[]) => void }) {
  const replace = (index: number, change: Partial<Speaker>): void => onChange(speakers.map((s, i) => (i === index ? { ...s, ...change } : s)));
  return (
    <fieldset className="agenda-speakers">
      <legend>Speakers</legend>
      {speakers.length === 0 && !editable && <p>None</p>}
      <ul>
        {speakers.map((speaker, index) => (
          <li key={index}>
            {editable ? (
              <>
                <input aria-label={`Speaker ${index + 1} name`} dir="auto" value={speaker.name} onChange={(e) => replace(index, { name: e.target.value })} />
                <select aria-label={`Speaker ${index + 1} delegation`} value={speaker.delegation} onChange={(e) => replace(index, { delegation: e.target.value as Delegation | '' })}>
                  <option value="">—</option>
                  {DELEGATIONS.map((d) => (
                    <option key={d} value={d}>
                      {DELEGATION_NAMES[d]}
                    </option>
                  ))}
                </select>
                <button type="button" aria-label={`Remove speaker ${speaker.name || index + 1}`} onClick={() => onChange(speakers.filter((_, i) => i !== index))}>
                  ×
                </button>
              </>
            ) : (
              <>
                <bdi dir="auto">{speaker.name}</bdi>
                {speaker.delegation && ` (${DELEGATION_NAMES[speaker.delegation]})`}
              </>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <button type="button" onClick={() => onChange([...speakers, { name: '', delegation: '' }])} aria-label={`Add a speaker to ${title}`}>
          Add speaker
        </button>
      )}
    </fieldset>
  );
}

/**
 * Inputs whose intermediate text is not a valid value (an empty number, half a time) keep a local
 * draft and write only valid values; the shared value replaces the draft whenever it changes.
 */
function useDraft<T>(value: T, show: (value: T) => string): [string, (text: string) => void] {
  const [draft, setDraft] = useState(show(value));
  const shown = show(value);
  useEffect(() => setDraft(shown), [shown]);
  return [draft, setDraft];
}

function NumberField({ value, min, max, disabled, id, onCommit }: { value: number; min: number; max: number; disabled?: boolean; id?: string; onCommit: (value: number) => void }) {
  const [draft, setDraft] = useDraft(value, String);
  return (
    <input
      id={id}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={1}
      value={draft}
      disabled={disabled}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value !== '' && Number.isInteger(n) && n >= min && n <= max) onCommit(n);
      }}
    />
  );
}

function TimeField({ value, disabled, optional, onCommit }: { value: string; disabled?: boolean; optional?: boolean; onCommit: (value: string | null) => void }) {
  const [draft, setDraft] = useDraft(value, (v) => v);
  return (
    <input
      type="time"
      value={draft}
      disabled={disabled}
      required={!optional}
      onChange={(e) => {
        setDraft(e.target.value);
        if (parseWallTime(e.target.value) !== null) onCommit(e.target.value);
        else if (optional && e.target.value === '') onCommit(null);
      }}
    />
  );
}

function LinkField({ value, disabled, onCommit }: { value: string | null; disabled?: boolean; onCommit: (value: string | null) => void }): ReactNode {
  const [draft, setDraft] = useDraft(value, (v) => v ?? '');
  return (
    <input
      value={draft}
      disabled={disabled}
      spellCheck={false}
      onChange={(e) => {
        setDraft(e.target.value);
        const text = e.target.value.trim();
        if (text === '' || /^[A-Za-z0-9_-]{1,64}$/.test(text)) onCommit(text === '' ? null : text);
      }}
    />
  );
}
