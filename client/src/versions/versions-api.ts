// The client's side of the version-history API (server/versions/version-routes.ts): list, save, read,
// compare and restore versions, the sign-off steps and the audit trail. One function per route, typed
// with the shared views; failures are the workspace API's `ApiError`, so callers tell 403/409 apart
// by `code` (`not_signatory`, `already_signed`…) the same way everywhere.
import {
  LIVE_VERSION_ID,
  type AuditEntry,
  type LiveContentView,
  type RestoreAnswer,
  type SaveVersionAnswer,
  type SigningDelegation,
  type SignOffView,
  type VersionDetail,
  type VersionDiff,
  type VersionListView,
} from '../../../shared/versions.js';
import { ApiError, request } from '../workspace/workspace-api.js';

const documentPath = (documentId: string): string => `/documents/${encodeURIComponent(documentId)}`;
const versionPath = (documentId: string, versionId: string): string => `${documentPath(documentId)}/versions/${encodeURIComponent(versionId)}`;

export const versionsApi = {
  list: (documentId: string, signal?: AbortSignal) => request<VersionListView>('GET', `${documentPath(documentId)}/versions`, undefined, signal),
  save: (documentId: string, name: string) => request<SaveVersionAnswer>('POST', `${documentPath(documentId)}/versions`, { name }),
  version: (documentId: string, versionId: string, signal?: AbortSignal) => request<VersionDetail>('GET', versionPath(documentId, versionId), undefined, signal),
  live: (documentId: string, signal?: AbortSignal) => request<LiveContentView>('GET', versionPath(documentId, LIVE_VERSION_ID), undefined, signal),
  /** What changed from `fromId` to `toId` (a version id or `live`). */
  compare: (documentId: string, fromId: string, toId: string, signal?: AbortSignal) =>
    request<VersionDiff>('GET', `${versionPath(documentId, fromId)}/diff?to=${encodeURIComponent(toId)}`, undefined, signal),
  restore: (documentId: string, versionId: string) => request<RestoreAnswer>('POST', `${versionPath(documentId, versionId)}/restore`),

  signOff: (documentId: string, signal?: AbortSignal) => request<SignOffView>('GET', `${documentPath(documentId)}/sign-off`, undefined, signal),
  propose: (documentId: string, versionId: string) => request<SignOffView>('POST', `${versionPath(documentId, versionId)}/propose`),
  /** `contentHash`: the hash the signer was shown; the server refuses (409 hash_mismatch) if it is not the version's. */
  sign: (documentId: string, versionId: string, delegation: SigningDelegation, contentHash: string) =>
    request<SignOffView>('POST', `${versionPath(documentId, versionId)}/sign`, { delegation, contentHash }),
  withdraw: (documentId: string, versionId: string, delegation: SigningDelegation) =>
    request<SignOffView>('POST', `${versionPath(documentId, versionId)}/withdraw`, { delegation }),

  audit: (documentId: string, signal?: AbortSignal) =>
    request<{ documentId: string; events: AuditEntry[] }>('GET', `${documentPath(documentId)}/audit`, undefined, signal),
};

/** Sign-off refusals in words a signatory can act on (the server's own message is terse). */
const SIGN_OFF_MESSAGES: Record<string, string> = {
  not_rapporteur: 'Only rapporteurs and organisers can propose a version as final.',
  not_signatory: 'You are not the signatory for that delegation.',
  no_proposal: 'No version is proposed as final any more.',
  not_proposed: 'This version is not the one proposed as final.',
  proposal_superseded: 'This proposal was replaced by a newer one; sign the version now proposed.',
  already_proposed: 'This version is already proposed as final.',
  already_signed: 'Your delegation has already signed this version.',
  not_signed: 'Your delegation has not signed this version.',
  already_agreed: 'This version is already agreed; an agreement cannot be changed.',
  hash_mismatch: 'The version changed since you looked at it (its content hash differs); check it again before signing.',
  version_unreadable: 'This version cannot be restored: it does not fit the current editor.',
  storage_unavailable: 'The restore is applied but not yet stored; it will be once storage recovers.',
};

/** A sentence for a failed version or sign-off request. */
export function describeVersionError(error: unknown): string {
  if (error instanceof ApiError) {
    const known = SIGN_OFF_MESSAGES[error.code];
    if (known) return known;
    if (error.status === 403) return 'You are not allowed to do this (observers can read and compare only).';
    if (error.status === 404) return 'That version no longer exists.';
    if (error.status === 0) return error.message;
    if (error.status === 401) return 'Your session has ended. Sign in again with your invitation link.';
    return error.status === 400 || error.status === 409 ? error.message.charAt(0).toUpperCase() + error.message.slice(1) : `The server could not do this (${error.message}).`;
  }
  return 'Something went wrong. Please try again.';
}
