// Invitation links as the organiser's panel shows them: whether each still works, and the expiry
// choices offered when creating one.
import type { InvitationView } from '../../../shared/workspace.js';

export type InvitationStatus = 'active' | 'expired' | 'revoked';

/** Revoked wins over expired: an organiser who revoked a link wants to see that, whatever its date. */
export function invitationStatus(invitation: Pick<InvitationView, 'revoked' | 'expiresAt'>, now: number = Date.now()): InvitationStatus {
  if (invitation.revoked) return 'revoked';
  const expiresAt = Date.parse(invitation.expiresAt);
  return Number.isNaN(expiresAt) || expiresAt <= now ? 'expired' : 'active';
}

export const INVITATION_STATUS_NAMES: Record<InvitationStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

export interface ExpiryChoice {
  hours: number;
  label: string;
}

/** Short enough that a forwarded link dies on its own; long enough to cover a meeting week. */
export const EXPIRY_CHOICES: readonly ExpiryChoice[] = [
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '1 week' },
  { hours: 24 * 14, label: '2 weeks' },
  { hours: 24 * 30, label: '30 days' },
];

export const DEFAULT_EXPIRY_HOURS = 24 * 14;

/** `2025-03-12T09:30:00.000Z` → `12 Mar 2025, 14:30` in the reader's own zone (when the link stops working for them). */
export function formatExpiry(iso: string, locale = 'en-GB', timeZone?: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(instant);
}
