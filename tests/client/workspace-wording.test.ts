// How meetings, invitations, signatories and lost access read and are decided on the client: the
// small rules behind the lobby's words, checked without a browser.
import { describe, expect, it } from 'vitest';
import type { MemberView } from '../../shared/workspace.js';
import { ACCESS_LOSS_TEXT, judgeAccess } from '../../client/src/collab/access-loss.js';
import { EXPIRY_CHOICES, formatExpiry, invitationStatus } from '../../client/src/workspace/invitations.js';
import { TIME_ZONE_CHOICES, formatMeetingDate, timeZoneLabel } from '../../client/src/workspace/meeting-time.js';
import { signatoryCandidates } from '../../client/src/workspace/signatories.js';
import { asDelegation, isolate } from '../../client/src/workspace/wording.js';
import { describeRoles } from '../../client/src/lobby/MembersPanel.js';

describe('meeting time zones and dates', () => {
  it('offers the two capitals and UTC, named by city and offset', () => {
    expect(TIME_ZONE_CHOICES).toEqual([
      { value: 'Asia/Karachi', label: 'Islamabad (PKT, UTC+5)' },
      { value: 'Asia/Kabul', label: 'Kabul (AFT, UTC+4:30)' },
      { value: 'UTC', label: 'UTC' },
    ]);
    expect(timeZoneLabel('Asia/Kabul')).toBe('Kabul (AFT, UTC+4:30)');
    expect(timeZoneLabel('Europe/Oslo')).toBe('Europe/Oslo'); // set by a script: shown as it is
  });

  it('the offsets in the labels are the real ones', () => {
    const offset = (timeZone: string) =>
      new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date('2025-06-01T00:00:00Z')).find((p) => p.type === 'timeZoneName')?.value;
    expect(offset('Asia/Karachi')).toBe('GMT+05:00');
    expect(offset('Asia/Kabul')).toBe('GMT+04:30');
  });

  it('writes a meeting day as a calendar day, whatever the reader’s own zone', () => {
    // ICU versions differ on the comma after the weekday; the day itself must not move.
    expect(formatMeetingDate('2025-03-12')).toMatch(/^Wednesday,? 12 March 2025$/);
    expect(formatMeetingDate(null)).toBe('Date to be set');
    expect(formatMeetingDate('soon')).toBe('soon');
  });
});

describe('invitation status', () => {
  const now = Date.parse('2025-03-12T10:00:00Z');
  it('is active until it expires, and revoked whatever its date', () => {
    expect(invitationStatus({ revoked: false, expiresAt: '2025-03-13T10:00:00Z' }, now)).toBe('active');
    expect(invitationStatus({ revoked: false, expiresAt: '2025-03-12T10:00:00Z' }, now)).toBe('expired');
    expect(invitationStatus({ revoked: true, expiresAt: '2025-03-13T10:00:00Z' }, now)).toBe('revoked');
    expect(invitationStatus({ revoked: true, expiresAt: '2025-03-01T10:00:00Z' }, now)).toBe('revoked');
    expect(invitationStatus({ revoked: false, expiresAt: 'garbage' }, now)).toBe('expired');
  });

  it('offers expiries from a day to a month, all within what the server accepts (a year)', () => {
    expect(EXPIRY_CHOICES.map((c) => c.label)).toEqual(['1 day', '1 week', '2 weeks', '30 days']);
    for (const choice of EXPIRY_CHOICES) expect(choice.hours).toBeLessThanOrEqual(24 * 365);
  });

  it('shows the expiry in the reader’s zone', () => {
    expect(formatExpiry('2025-03-12T09:30:00.000Z', 'en-GB', 'Asia/Kabul')).toBe('12 Mar 2025, 14:00');
    expect(formatExpiry('not a date')).toBe('not a date');
  });
});

describe('signatoryCandidates', () => {
  const member = (id: string, overrides: Partial<MemberView>): MemberView => ({
    id,
    name: id,
    delegation: 'pk',
    initiativeRole: null,
    groupRoles: {},
    revoked: false,
    ...overrides,
  });
  const members = [
    member('zeb', { groupRoles: { security: 'delegate' } }),
    member('ali', { groupRoles: { security: 'rapporteur' } }),
    member('obs', { groupRoles: { security: 'observer' } }),
    member('gone', { groupRoles: { security: 'delegate' }, revoked: true }),
    member('other-group', { groupRoles: { 'civil-society': 'delegate' } }),
    member('afghan', { delegation: 'af', groupRoles: { security: 'delegate' } }),
    member('everywhere', { initiativeRole: 'delegate' }),
    member('observer-here', { initiativeRole: 'delegate', groupRoles: { security: 'observer' } }),
  ];

  it('lists members of the delegation who can edit in the group, by name', () => {
    expect(signatoryCandidates(members, 'security', 'pk').map((m) => m.id)).toEqual(['ali', 'everywhere', 'zeb']);
    expect(signatoryCandidates(members, 'security', 'af').map((m) => m.id)).toEqual(['afghan']);
    expect(signatoryCandidates(members, 'civil-society', 'pk').map((m) => m.id)).toEqual(['everywhere', 'observer-here', 'other-group']);
  });
});

describe('describeRoles', () => {
  it('names the initiative role and each group role', () => {
    const name = (id: string) => ({ security: 'Regional Security Group' })[id] ?? id;
    expect(describeRoles({ initiativeRole: 'organiser', groupRoles: { security: 'observer' } }, name)).toBe(
      'Organiser of the whole initiative; Observer in Regional Security Group',
    );
    expect(describeRoles({ initiativeRole: null, groupRoles: {} }, name)).toBe('No role');
  });
});

describe('judgeAccess (after the server refused a socket)', () => {
  it('a session close means signed out, whatever the API says', () => {
    expect(judgeAccess(4401, 200)).toEqual({ kind: 'lost', loss: 'signed-out' });
    expect(judgeAccess(4401, 0)).toEqual({ kind: 'lost', loss: 'signed-out' });
  });

  it('after a revocation close: reconnect if the API still lets us in (a role change), else revoked', () => {
    expect(judgeAccess(4403, 200)).toEqual({ kind: 'readmit' });
    expect(judgeAccess(4403, 401)).toEqual({ kind: 'lost', loss: 'revoked' });
    expect(judgeAccess(4403, 403)).toEqual({ kind: 'lost', loss: 'revoked' });
    expect(judgeAccess(4403, 404)).toEqual({ kind: 'lost', loss: 'removed' });
    expect(judgeAccess(4403, 0)).toEqual({ kind: 'lost', loss: 'revoked' });
  });

  it('a socket that never opened: lost only when the API says so; an unreachable server is retried', () => {
    expect(judgeAccess(null, 0)).toEqual({ kind: 'keep-trying' });
    expect(judgeAccess(null, 503)).toEqual({ kind: 'keep-trying' });
    expect(judgeAccess(null, 200)).toEqual({ kind: 'readmit' });
    expect(judgeAccess(null, 401)).toEqual({ kind: 'lost', loss: 'signed-out' });
    expect(judgeAccess(null, 403)).toEqual({ kind: 'lost', loss: 'revoked' });
  });

  it('has words for every loss', () => {
    for (const text of Object.values(ACCESS_LOSS_TEXT)) {
      expect(text.title).not.toBe('');
      expect(text.linkText).not.toBe('');
    }
  });
});

describe('wording helpers', () => {
  it('accepts only the three delegations', () => {
    expect(asDelegation('pk')).toBe('pk');
    expect(asDelegation('org')).toBe('org');
    expect(asDelegation('PK')).toBeNull();
    expect(asDelegation(undefined)).toBeNull();
  });

  it('isolates a name inside a sentence', () => {
    expect(`Revoke ${isolate('زرمینه')}?`).toBe('Revoke \u2068زرمینه\u2069?');
  });
});
