// When a version was saved or signed, as both sides of the table read it: in the viewer's own time
// zone and in the meeting's ("14:05 your time · 14:35 PKT"). Islamabad and Kabul are half an hour
// apart, so a sign-off time read in the wrong zone is plainly wrong, not roughly right.

/** Short names people in the region use; Intl would say "GMT+5" and "GMT+4:30". */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Karachi': 'PKT',
  'Asia/Kabul': 'AFT',
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
};

export function zoneAbbreviation(timeZone: string, at: Date, locale = 'en-GB'): string {
  const known = ZONE_ABBREVIATIONS[timeZone];
  if (known) return known;
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

function validZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return null;
  }
}

export interface TwoZoneTime {
  /** "12 Mar, 14:05 your time · 14:35 PKT", or "12 Mar, 14:05 PKT" when both zones are the same. */
  text: string;
  /** The viewer's part alone: "12 Mar, 14:05". */
  yours: string;
  /** The meeting's part alone, with its zone: "14:35 PKT" (null when it is the viewer's zone too or unknown). */
  meeting: string | null;
}

/**
 * `iso` (a UTC instant) in the viewer's zone (`viewerTimeZone`, default the browser's) and in the
 * meeting's. The date is shown once, as the viewer reads it; the meeting's part adds its own date only
 * when it falls on another day there.
 */
export function formatTwoZones(iso: string, meetingTimeZone: string | null, viewerTimeZone?: string, locale = 'en-GB'): TwoZoneTime {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return { text: iso, yours: iso, meeting: null };
  const viewer = validZone(viewerTimeZone) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const meetingZone = validZone(meetingTimeZone);
  const day = (timeZone: string): string => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone }).format(at);
  const clock = (timeZone: string): string => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
  const yours = `${day(viewer)}, ${clock(viewer)}`;
  if (meetingZone === null || sameClock(at, viewer, meetingZone)) {
    const zone = meetingZone ?? viewer;
    return { text: `${yours} ${zoneAbbreviation(zone, at, locale)}`, yours, meeting: null };
  }
  const otherDay = day(meetingZone) !== day(viewer) ? `${day(meetingZone)}, ` : '';
  const meeting = `${otherDay}${clock(meetingZone)} ${zoneAbbreviation(meetingZone, at, locale)}`;
  return { text: `${yours} your time · ${meeting}`, yours, meeting };
}

/** Two zones that show the same wall-clock time at `at` (e.g. `UTC` and `Etc/UTC`) need no second reading. */
function sameClock(at: Date, a: string, b: string): boolean {
  if (a === b) return true;
  const format = (timeZone: string): string =>
    new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone }).format(at);
  return format(a) === format(b);
}
