// The shape of a dialogue, shared by server and client: roles and what they may do, delegations,
// kinds of document, and the JSON the API answers with.

export const ROLES = ['organiser', 'rapporteur', 'delegate', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const DELEGATIONS = ['pk', 'af', 'org'] as const;
export type Delegation = (typeof DELEGATIONS)[number];
/** The two delegations that sign agreed texts. */
export const SIGNING_DELEGATIONS = ['pk', 'af'] as const satisfies readonly Delegation[];

export const DELEGATION_NAMES: Record<Delegation, string> = {
  pk: 'Pakistan',
  af: 'Afghanistan',
  org: 'Organisers',
};

export const DOCUMENT_KINDS = ['agenda', 'recommendations', 'communique', 'notes'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Time zones a meeting may be held in (the two capitals; UTC for online sessions). */
export const MEETING_TIME_ZONES = ['Asia/Karachi', 'Asia/Kabul', 'UTC'] as const;

export function canEdit(role: Role): boolean {
  return role !== 'observer';
}

export function canManage(role: Role): boolean {
  return role === 'organiser';
}

/**
 * Colour families per delegation, so carets and presence say at a glance which side someone is on:
 * greens for Pakistan, reds/oranges for Afghanistan, blues/purples for the organisers.
 */
export const DELEGATION_COLOURS: Record<Delegation, readonly string[]> = {
  pk: ['#15803d', '#047857', '#4d7c0f', '#0f766e', '#166534', '#65a30d'],
  af: ['#b91c1c', '#c2410c', '#be123c', '#9a3412', '#dc2626', '#ea580c'],
  org: ['#1d4ed8', '#6d28d9', '#0369a1', '#4338ca', '#7c3aed', '#2563eb'],
};

export function colourFor(delegation: Delegation, personId: string): string {
  const family = DELEGATION_COLOURS[delegation];
  let hash = 0;
  for (let i = 0; i < personId.length; i++) hash = (hash * 31 + personId.charCodeAt(i)) >>> 0;
  return family[hash % family.length] ?? family[0] ?? '#6b7280';
}

/** The session cookie (httpOnly, SameSite=Lax) and the websocket query parameter carrying a token. */
export const SESSION_COOKIE = 'concord_session';
export const TOKEN_QUERY_PARAMETER = 'token';

export interface PersonView {
  id: string;
  name: string;
  delegation: Delegation;
}

export interface DocumentView {
  id: string;
  kind: DocumentKind;
  title: string;
  archived: boolean;
  /** People with the document open right now. */
  online: PersonView[];
}

export interface MeetingView {
  id: string;
  number: number;
  city: string;
  /** YYYY-MM-DD, or null until the organisers set it. */
  date: string | null;
  timeZone: string;
  archived: boolean;
  documents: DocumentView[];
}

export interface GroupView {
  id: string;
  name: string;
  archived: boolean;
  /** Your role in this group. */
  role: Role;
  /** Who signs agreed texts for each delegation in this group. */
  signatories: Partial<Record<Delegation, PersonView>>;
  meetings: MeetingView[];
}

export interface InitiativeView {
  id: string;
  name: string;
  /** Your initiative-wide role, if any (organisers usually have one). */
  role: Role | null;
  groups: GroupView[];
}

export interface MeView extends PersonView {
  /** Initiative-wide role (null when the person only belongs to some groups). */
  initiativeRole: Role | null;
  groupRoles: Record<string, Role>;
}

export interface InvitationView {
  code: string;
  url: string;
  role: Role;
  groupId: string | null;
  delegation: Delegation;
  name: string | null;
  expiresAt: string;
  revoked: boolean;
  createdAt: string;
  /** People who joined through this link. */
  joined: number;
}

export interface MemberView extends PersonView {
  initiativeRole: Role | null;
  groupRoles: Record<string, Role>;
  revoked: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
