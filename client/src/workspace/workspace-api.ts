// The client's side of the JSON API under /api (server/workspace/workspace-routes.ts): one function
// per route, typed with the shared views, and one error type. The session travels as the httpOnly
// cookie the server sets, so no token is ever handled (or stored) by this code.
import type {
  ApiErrorBody,
  Delegation,
  DocumentKind,
  DocumentView,
  InitiativeView,
  InvitationView,
  MeView,
  MemberView,
  PersonView,
  Role,
} from '../../../shared/workspace.js';

/**
 * A refused or failed request. `status` is the HTTP status, or 0 when the server could not be reached
 * (offline, restarting): callers tell "you may not" from "try again" by it.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get unreachable(): boolean {
    return this.status === 0;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** One JSON request to `/api` with the cookie session; failures become ApiError (status 0: unreachable). */
export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'unreachable', 'Could not reach the Concord server. Check the connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // A proxy's HTML error page, or an empty body: reported below by status alone.
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message);
    throw new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status}.`);
  }
  return parsed as T;
}

/** What `GET /api/documents/:id` answers: the document, where it belongs, and what you may do with it. */
export interface DocumentDetails {
  id: string;
  kind: DocumentKind;
  title: string;
  archived: boolean;
  access: 'write' | 'read';
  meeting: { id: string; number: number; city: string; date: string | null; timeZone: string } | null;
  group: { id: string; name: string } | null;
  online: PersonView[];
}

export interface MeetingInput {
  number: number;
  city: string;
  date: string | null;
  timeZone: string;
}

export interface InvitationInput {
  role: Role;
  groupId: string | null;
  delegation: Delegation;
  name: string | null;
  expiresInHours: number;
}

export const workspaceApi = {
  signIn: (invitation: string, name: string) => request<{ token: string; person: PersonView }>('POST', '/session', { invitation, name }),
  signOut: () => request<void>('DELETE', '/session'),
  me: (signal?: AbortSignal) => request<MeView>('GET', '/me', undefined, signal),
  initiative: (signal?: AbortSignal) => request<InitiativeView>('GET', '/initiative', undefined, signal),
  document: (id: string, signal?: AbortSignal) => request<DocumentDetails>('GET', `/documents/${encodeURIComponent(id)}`, undefined, signal),

  createGroup: (name: string) => request<unknown>('POST', '/groups', { name }),
  updateGroup: (id: string, change: { name?: string; archived?: boolean }) => request<unknown>('PATCH', `/groups/${encodeURIComponent(id)}`, change),
  createMeeting: (groupId: string, meeting: MeetingInput) => request<unknown>('POST', `/groups/${encodeURIComponent(groupId)}/meetings`, meeting),
  updateMeeting: (id: string, change: Partial<MeetingInput> & { archived?: boolean }) =>
    request<unknown>('PATCH', `/meetings/${encodeURIComponent(id)}`, change),
  createDocument: (meetingId: string, kind: DocumentKind, title: string) =>
    request<DocumentView>('POST', `/meetings/${encodeURIComponent(meetingId)}/documents`, { kind, title }),
  updateDocument: (id: string, change: { title?: string; archived?: boolean }) => request<unknown>('PATCH', `/documents/${encodeURIComponent(id)}`, change),

  invitations: (signal?: AbortSignal) => request<InvitationView[]>('GET', '/invitations', undefined, signal),
  createInvitation: (input: InvitationInput) => request<InvitationView>('POST', '/invitations', input),
  revokeInvitation: (code: string) => request<{ revoked: boolean; disconnected: number }>('DELETE', `/invitations/${encodeURIComponent(code)}`),

  members: (signal?: AbortSignal) => request<MemberView[]>('GET', '/members', undefined, signal),
  revokeMember: (id: string) => request<{ revoked: boolean }>('DELETE', `/members/${encodeURIComponent(id)}`),
  setSignatory: (groupId: string, delegation: 'pk' | 'af', personId: string | null) =>
    request<unknown>('PUT', `/groups/${encodeURIComponent(groupId)}/signatories`, { delegation, personId }),
};

/** A sentence for a failed request, for an alert beside the control that made it. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.unreachable) return error.message;
  switch (error.status) {
    case 401:
      return 'Your session has ended. Sign in again with your invitation link.';
    case 403:
      return 'You are not allowed to do this.';
    case 404:
      return 'It no longer exists; someone may have just changed it.';
    case 429:
      return 'Too many requests at once; wait a few seconds and try again.';
    default:
      // The server's own message names the field at fault (e.g. "city: …").
      return error.status === 400 || error.status === 409 ? capitalise(error.message) : `The server could not do this (${error.message}).`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
