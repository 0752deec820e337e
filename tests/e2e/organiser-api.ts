// The organisers' side of the API for browser tests to set the scene quickly: sign in with the
// server's first organiser invitation (as a script would, with a bearer token), create documents and
// invitation links, revoke them. What the tests then check happens in the browser.
import type { Delegation, InitiativeView, InvitationView, Role } from '../../shared/workspace.js';

export class OrganiserApi {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Signs in through `invitationUrl` (the code is read from it; the host may differ from `baseUrl`). */
  static async signIn(baseUrl: string, invitationUrl: string, name = 'Test Organiser'): Promise<OrganiserApi> {
    const response = await fetch(`${baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invitation: invitationCode(invitationUrl), name }),
    });
    if (response.status !== 201) throw new Error(`organiser sign-in failed: ${response.status} ${await response.text()}`);
    const { token } = (await response.json()) as { token: string };
    return new OrganiserApi(baseUrl, token);
  }

  /** The same session against another address of the same data (a restarted server on a new port). */
  at(baseUrl: string): OrganiserApi {
    return new OrganiserApi(baseUrl, this.token);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  initiative(): Promise<InitiativeView> {
    return this.request('GET', '/initiative');
  }

  /** A fresh document (so tests never see each other's text) in the first meeting of `groupId`. */
  async createDocument(label: string, groupId = 'security', kind: 'notes' | 'agenda' = 'notes'): Promise<string> {
    const initiative = await this.initiative();
    const meeting = initiative.groups.find((g) => g.id === groupId)?.meetings[0];
    if (!meeting) throw new Error(`group ${groupId} has no meeting`);
    const title = `e2e ${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const created = await this.request<{ id: string }>('POST', `/meetings/${meeting.id}/documents`, { kind, title });
    return created.id;
  }

  invite(input: { role: Role; groupId: string | null; delegation: Delegation; name?: string | null; expiresInHours?: number }): Promise<InvitationView> {
    return this.request('POST', '/invitations', { name: null, ...input });
  }

  revokeInvitation(code: string): Promise<unknown> {
    return this.request('DELETE', `/invitations/${code}`);
  }
}

/** The code at the end of `http://host/join/<code>`. */
export function invitationCode(invitationUrl: string): string {
  const code = /\/join\/([^/?#]+)/.exec(invitationUrl)?.[1];
  if (!code) throw new Error(`not an invitation link: ${invitationUrl}`);
  return code;
}
