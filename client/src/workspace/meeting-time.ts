// Where and when a meeting is held, as people in Islamabad and Kabul read it. Meetings carry an IANA
// time zone; the lobby names it by its city and offset (Pakistan and Afghanistan are half an hour
// apart, which is exactly the kind of detail that makes people miss the start of a session).
import { MEETING_TIME_ZONES } from '../../../shared/workspace.js';

export type MeetingTimeZone = (typeof MEETING_TIME_ZONES)[number];

export interface TimeZoneChoice {
  value: MeetingTimeZone;
  label: string;
}

const TIME_ZONE_LABELS: Record<MeetingTimeZone, string> = {
  'Asia/Karachi': 'Islamabad (PKT, UTC+5)',
  'Asia/Kabul': 'Kabul (AFT, UTC+4:30)',
  UTC: 'UTC',
};

/** The choices of the meeting form, in the server's order. */
export const TIME_ZONE_CHOICES: readonly TimeZoneChoice[] = MEETING_TIME_ZONES.map((value) => ({ value, label: TIME_ZONE_LABELS[value] }));

/** A readable name for a meeting's time zone; an unknown zone (set by a script) is shown as it is. */
export function timeZoneLabel(timeZone: string): string {
  return (TIME_ZONE_LABELS as Record<string, string | undefined>)[timeZone] ?? timeZone;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `2025-03-12` → `Wednesday 12 March 2025`. The date is a calendar day where the meeting is held, not
 * an instant, so it is formatted as a UTC day: the reader's own time zone must not move it.
 */
export function formatMeetingDate(date: string | null, locale = 'en-GB'): string {
  if (date === null) return 'Date to be set';
  const match = ISO_DATE.exec(date);
  if (!match) return date;
  const [, year, month, day] = match;
  const instant = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number.isNaN(instant.getTime())) return date;
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(instant);
}
