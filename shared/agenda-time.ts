// Zone-aware time arithmetic for agendas, with Intl only: no offset is written down anywhere. A wall
// time in a zone becomes an instant by asking Intl what the zone's offset is at a guess and correcting
// once; instants are shown in a zone with Intl.DateTimeFormat. Calendar days are plain `YYYY-MM-DD`
// strings and day arithmetic on them is done on UTC dates, where every day has 24 hours.

/** The two capitals' zones, in the order their columns are shown, with the names delegates use. */
export const DISPLAY_ZONES = [
  { timeZone: 'Asia/Karachi', label: 'PKT', city: 'Islamabad' },
  { timeZone: 'Asia/Kabul', label: 'AFT', city: 'Kabul' },
] as const;

export const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
export const MINUTE_MS = 60_000;

const zoneCheck = new Map<string, boolean>();

/** Whether Intl knows `timeZone` (an IANA name such as `Asia/Kabul`). */
export function isKnownTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '' || timeZone.length > 64) return false;
  let known = zoneCheck.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      known = true;
    } catch {
      known = false;
    }
    zoneCheck.set(timeZone, known);
  }
  return known;
}

/** `HH:MM` → minutes after midnight, or null when it is not a valid 24-hour time. */
export function parseWallTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = HH_MM.exec(value);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

export function formatWallTime(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function isValidDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** `2025-03-12` plus `days` (may be negative). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  const at = (day: string): number => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((at(to) - at(from)) / 86_400_000);
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar day and wall time an instant has in `timeZone`. */
export function wallClockAt(instant: number, timeZone: string): { day: string; minutes: number; seconds: number } {
  const parts: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const hour = Number(parts['hour']) % 24;
  return {
    day: `${parts['year']}-${parts['month']}-${parts['day']}`,
    minutes: hour * 60 + Number(parts['minute']),
    seconds: Number(parts['second']),
  };
}

/** The zone's offset from UTC at `instant`, in milliseconds (as Intl reports it). */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClockAt(instant, timeZone);
  const [y, m, d] = wall.day.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d) + wall.minutes * MINUTE_MS + wall.seconds * 1000;
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which clocks in `timeZone` show `minutes` after midnight of `day` (minutes may pass
 * 1440: the next day). A wall time skipped by a forward clock change resolves to the later offset;
 * one that happens twice resolves to its first occurrence. (Neither capital has changed its clocks
 * since 2009, but the arithmetic does not assume so.)
 */
export function zonedToInstant(day: string, minutes: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d) + minutes * MINUTE_MS;
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  if (first === second) return first;
  // Around a change the two guesses differ: keep the earlier one that really shows this wall time.
  const [early, late] = first < second ? [first, second] : [second, first];
  return asUtc - offsetAt(early, timeZone) === early ? early : late;
}
