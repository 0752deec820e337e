// Everyone who has joined, with their delegation and roles, for the organisers. Revoking a person
// signs them out everywhere at once (the server closes their open documents); it cannot be undone
// here, only by inviting them again.
import type { InitiativeView, MeView, MemberView } from '../../../shared/workspace.js';
import { PersonName } from '../workspace/DelegationBadge.js';
import { describeApiError, workspaceApi } from '../workspace/workspace-api.js';
import { ROLE_NAMES, isolate } from '../workspace/wording.js';
import { RevokeButton } from './RevokeButton.js';

interface MembersPanelProps {
  me: MeView;
  initiative: InitiativeView;
  members: readonly MemberView[] | null;
  error: unknown;
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}

export function MembersPanel({ me, initiative, members, error, onChanged, onSessionEnded }: MembersPanelProps) {
  const canRevoke = me.initiativeRole === 'organiser';
  const groupName = (groupId: string): string => initiative.groups.find((g) => g.id === groupId)?.name ?? 'a group you do not manage';
  return (
    <section className="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {error !== null && (
        <p className="field-error" role="alert">
          {describeApiError(error)}
        </p>
      )}
      {members === null ? (
        error === null && <p>Loading…</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table members-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <MemberRow
                  key={member.id}
                  member={member}
                  isMe={member.id === me.id}
                  canRevoke={canRevoke}
                  roles={describeRoles(member, groupName)}
                  onChanged={onChanged}
                  onSessionEnded={onSessionEnded}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** "Organiser of the whole initiative; Delegate in Civil Society Group". */
export function describeRoles(member: Pick<MemberView, 'initiativeRole' | 'groupRoles'>, groupName: (id: string) => string): string {
  const parts: string[] = [];
  if (member.initiativeRole) parts.push(`${ROLE_NAMES[member.initiativeRole]} of the whole initiative`);
  for (const [groupId, role] of Object.entries(member.groupRoles)) parts.push(`${ROLE_NAMES[role]} in ${groupName(groupId)}`);
  return parts.length === 0 ? 'No role' : parts.join('; ');
}

function MemberRow({
  member,
  isMe,
  canRevoke,
  roles,
  onChanged,
  onSessionEnded,
}: {
  member: MemberView;
  isMe: boolean;
  canRevoke: boolean;
  roles: string;
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}) {
  return (
    <tr className={member.revoked ? 'is-revoked' : undefined} data-person-id={member.id}>
      <td>
        <PersonName name={member.name} delegation={member.delegation} />
        {isMe && <span className="muted"> (you)</span>}
      </td>
      <td>{roles}</td>
      <td>
        <span className={`status-tag status-tag--${member.revoked ? 'revoked' : 'active'}`}>{member.revoked ? 'Revoked' : 'Active'}</span>
      </td>
      <td className="row-actions">
        <div>
          <RevokeButton
            show={canRevoke && !isMe && !member.revoked}
            label={`Revoke ${member.name}`}
            question={`Revoke ${isolate(member.name)}? They are signed out at once and cannot open any document again.`}
            revoke={() => workspaceApi.revokeMember(member.id)}
            onChanged={onChanged}
            onSessionEnded={onSessionEnded}
          />
        </div>
      </td>
    </tr>
  );
}
