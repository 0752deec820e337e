// An agenda document's timetable as every export format shows it, before the text: a heading per
// session, then one row per item with its times in both capitals (PKT, AFT), the English and the
// Urdu/Dari/Pashto title, the speakers with their delegations, and the duration. The rows are plain
// strings here; each format escapes them its own way. Without attribution (Chatham House) speakers
// appear by delegation only, never by name.
import { LOCAL_LANGUAGES, UNTITLED, formatBothZones, type ScheduledItem, type Schedule, type ZonedTime } from '../../shared/agenda.js';
import { DISPLAY_ZONES } from '../../shared/agenda-time.js';
import { DELEGATION_NAMES } from '../../shared/workspace.js';
import { arabicLanguageOf, type ArabicLanguage } from './script.js';

export const AGENDA_COLUMNS = [...DISPLAY_ZONES.map((zone) => `Time (${zone.label})`), 'Item', 'Speakers', 'Duration'] as const;

export interface AgendaRow {
  /** One `HH:MM–HH:MM` cell per display zone, in DISPLAY_ZONES order. */
  times: string[];
  titleEn: string;
  titleLocal: string;
  /** The local title's language: as stored, else guessed from its letters. */
  localLang: ArabicLanguage;
  isBreak: boolean;
  speakers: string[];
  duration: string;
}

export interface AgendaBlock {
  heading: string;
  rows: AgendaRow[];
}

function dayMark(offset: number): string {
  return offset === 0 ? '' : ` (${offset > 0 ? '+' : '−'}${Math.abs(offset)}d)`;
}

function timeCell(time: ZonedTime): string {
  return `${time.start}${dayMark(time.startDayOffset)}–${time.end}${dayMark(time.endDayOffset)}`;
}

export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function rowOf(scheduled: ScheduledItem, attribution: boolean): AgendaRow {
  const { item } = scheduled;
  const times = DISPLAY_ZONES.map(({ timeZone }) => {
    const time = scheduled.times.find((t) => t.timeZone === timeZone);
    return time ? timeCell(time) : '';
  });
  const speakers = item.speakers.map((speaker) => {
    const delegation = speaker.delegation ? DELEGATION_NAMES[speaker.delegation] : '';
    if (!attribution) return delegation || 'Speaker';
    return delegation ? `${speaker.name} (${delegation})` : speaker.name;
  });
  const localLang = item.localLang && (LOCAL_LANGUAGES as readonly string[]).includes(item.localLang) ? item.localLang : (arabicLanguageOf(item.titleLocal) ?? 'fa');
  return {
    times,
    titleEn: item.titleEn.trim() || (item.titleLocal.trim() ? '' : UNTITLED),
    titleLocal: item.titleLocal.trim(),
    localLang,
    isBreak: item.kind === 'break',
    speakers,
    duration: formatDuration(item.duration),
  };
}

/** The timetable's blocks: the session heading carries the session's start (and end) in both zones. */
export function agendaBlocks(schedule: Schedule, attribution: boolean): AgendaBlock[] {
  return schedule.sessions.map((scheduled) => {
    const { session } = scheduled;
    const range = scheduled.end === null ? formatBothZones(scheduled.times) : `${formatBothZones(scheduled.times)} – ${formatBothZones(scheduled.times, 'end')}`;
    return {
      heading: `${session.title} · ${range}`,
      rows: scheduled.items.map((item) => rowOf(item, attribution)),
    };
  });
}

/** `Agenda for 2025-05-12` (noting when the meeting has no date yet and today stands in). */
export function agendaCaption(schedule: Schedule): string {
  return schedule.dateIsFallback ? `Agenda (meeting date to be set; times shown for ${schedule.date})` : `Agenda for ${schedule.date}`;
}
