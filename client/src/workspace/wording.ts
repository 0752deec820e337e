// How the dialogue's vocabulary reads on screen: roles, delegations, kinds of document. One place,
// so the lobby, the document header and the organiser forms all say the same thing.
import { DELEGATION_NAMES, type Delegation, type DocumentKind, type Role } from '../../../shared/workspace.js';

export const ROLE_NAMES: Record<Role, string> = {
  organiser: 'Organiser',
  rapporteur: 'Rapporteur',
  delegate: 'Delegate',
  observer: 'Observer',
};

/** What each role may do, for the invitation form (an organiser should not have to guess). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  organiser: 'manages groups, meetings, documents and invitations; edits',
  rapporteur: 'edits the drafts',
  delegate: 'edits the drafts',
  observer: 'reads live, cannot edit',
};

/** The short badge text beside a name: a colour alone says nothing to a colour-blind reader or a screen reader. */
export const DELEGATION_BADGES: Record<Delegation, string> = {
  pk: 'PK',
  af: 'AF',
  org: 'Org',
};

export function delegationName(delegation: Delegation): string {
  return DELEGATION_NAMES[delegation];
}

export const DOCUMENT_KIND_NAMES: Record<DocumentKind, string> = {
  agenda: 'Agenda',
  recommendations: 'Recommendations',
  communique: 'Joint communiqué',
  notes: 'Notes',
};

/** Reads a delegation sent by the server (e.g. in presence), refusing anything else. */
export function asDelegation(value: unknown): Delegation | null {
  return value === 'pk' || value === 'af' || value === 'org' ? value : null;
}

/**
 * Wraps a name in Unicode isolates (FSI … PDI) for use inside an English sentence: an Urdu or Pashto
 * name would otherwise reorder the words around it ("Revoke ایمان?" with the "?" on the wrong side).
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
