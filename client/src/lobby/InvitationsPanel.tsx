// The organisers' invitation links: create one for a role in a working group (or the whole
// initiative), for a delegation, with an expiry; copy it; see each link's state and how many joined
// through it; revoke it, which also signs out everyone who joined through it (the server closes their
// open documents within seconds).
import { useId, useState, type FormEvent } from 'react';
import { DELEGATIONS, ROLES, type Delegation, type InitiativeView, type InvitationView, type Role } from '../../../shared/workspace.js';
import { DEFAULT_EXPIRY_HOURS, EXPIRY_CHOICES, INVITATION_STATUS_NAMES, formatExpiry, invitationStatus } from '../workspace/invitations.js';
import { useRefreshing } from '../workspace/use-refreshing.js';
import { ApiError, describeApiError, workspaceApi } from '../workspace/workspace-api.js';
import { ROLE_DESCRIPTIONS, ROLE_NAMES, delegationName } from '../workspace/wording.js';
import { CopyButton, CopyField } from './CopyField.js';
import { RevokeButton } from './RevokeButton.js';
import { useAction } from './use-action.js';

interface InvitationsPanelProps {
  initiative: InitiativeView;
  onSessionEnded: () => void;
}

const INITIATIVE_SCOPE = '';

export function InvitationsPanel({ initiative, onSessionEnded }: InvitationsPanelProps) {
  const invitations = useRefreshing((signal) => workspaceApi.invitations(signal), 10_000, (error) => {
    if (error instanceof ApiError && error.status === 401) onSessionEnded();
  });
  const [created, setCreated] = useState<InvitationView | null>(null);
  const groupName = (groupId: string | null): string =>
    groupId === null ? `All of ${initiative.name}` : (initiative.groups.find((g) => g.id === groupId)?.name ?? 'A removed group');

  return (
    <div className="panel-stack">
      <section className="panel" aria-labelledby="new-invitation-heading">
        <h2 id="new-invitation-heading">New invitation link</h2>
        <InvitationForm
          initiative={initiative}
          onSessionEnded={onSessionEnded}
          onCreated={async (invitation) => {
            setCreated(invitation);
            await invitations.reload();
          }}
        />
        {created && (
          <div className="created-invitation" role="status">
            <p>
              Link created for a <strong>{ROLE_NAMES[created.role].toLowerCase()}</strong> of the {delegationName(created.delegation)} delegation in{' '}
              <strong>{groupName(created.groupId)}</strong>
              {created.name && (
                <>
                  {' '}
                  (<bdi dir="auto">{created.name}</bdi>)
                </>
              )}
              , valid until {formatExpiry(created.expiresAt)}. Send it to the person privately: anyone who has it can join.
            </p>
            <CopyField label="Link to send" value={created.url} />
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Invitation links</h2>
        {invitations.error !== null && (
          <p className="field-error" role="alert">
            {describeApiError(invitations.error)}
          </p>
        )}
        {invitations.data === null ? (
          invitations.error === null && <p>Loading…</p>
        ) : invitations.data.length === 0 ? (
          <p className="empty-note">No links yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table invitations-table">
              <thead>
                <tr>
                  <th scope="col">For</th>
                  <th scope="col">Role</th>
                  <th scope="col">Where</th>
                  <th scope="col">Delegation</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.data.map((invitation) => (
                  <InvitationRow
                    key={invitation.code}
                    invitation={invitation}
                    where={groupName(invitation.groupId)}
                    onSessionEnded={onSessionEnded}
                    onChanged={invitations.reload}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function InvitationRow({
  invitation,
  where,
  onSessionEnded,
  onChanged,
}: {
  invitation: InvitationView;
  where: string;
  onSessionEnded: () => void;
  onChanged: () => Promise<void>;
}) {
  const status = invitationStatus(invitation);
  // Accessible names are read in logical order, so only visible sentences need the name isolated.
  const who = invitation.name ?? `${ROLE_NAMES[invitation.role].toLowerCase()}s of ${delegationName(invitation.delegation)}`;
  const joined = invitation.joined === 1 ? 'the 1 person' : `the ${invitation.joined} people`;
  return (
    <tr className={`invitation-row invitation-row--${status}`} data-code={invitation.code}>
      <td>{invitation.name ? <bdi dir="auto">{invitation.name}</bdi> : <span className="muted">Anyone with the link</span>}</td>
      <td>{ROLE_NAMES[invitation.role]}</td>
      <td>
        <bdi dir="auto">{where}</bdi>
      </td>
      <td>{delegationName(invitation.delegation)}</td>
      <td>{formatExpiry(invitation.expiresAt)}</td>
      <td>
        <span className={`status-tag status-tag--${status}`}>{INVITATION_STATUS_NAMES[status]}</span>
      </td>
      <td>{invitation.joined}</td>
      <td className="row-actions">
        <div>
          {status === 'active' && <CopyButton label={`Copy the link for ${who}`} value={invitation.url} />}
          <RevokeButton
            show={!invitation.revoked}
            label={`Revoke the link for ${who}`}
            question={
              invitation.joined > 0
                ? `Revoke this link? ${joined.charAt(0).toUpperCase()}${joined.slice(1)} who joined through it will be signed out at once.`
                : 'Revoke this link? It will stop working at once.'
            }
            revoke={() => workspaceApi.revokeInvitation(invitation.code)}
            onChanged={onChanged}
            onSessionEnded={onSessionEnded}
          />
        </div>
      </td>
    </tr>
  );
}

function InvitationForm({
  initiative,
  onSessionEnded,
  onCreated,
}: {
  initiative: InitiativeView;
  onSessionEnded: () => void;
  onCreated: (invitation: InvitationView) => Promise<void>;
}) {
  const ids = useId();
  const action = useAction(onSessionEnded);
  // Organisers of the whole initiative may invite to it; group organisers only to their groups.
  const scopes = [
    ...(initiative.role === 'organiser' ? [{ value: INITIATIVE_SCOPE, label: `Whole initiative (all groups)` }] : []),
    ...initiative.groups.filter((g) => g.role === 'organiser' && !g.archived).map((g) => ({ value: g.id, label: g.name })),
  ];
  const [role, setRole] = useState<Role>('delegate');
  const [scope, setScope] = useState(scopes.find((s) => s.value !== INITIATIVE_SCOPE)?.value ?? scopes[0]?.value ?? INITIATIVE_SCOPE);
  const [delegation, setDelegation] = useState<Delegation>('pk');
  const [name, setName] = useState('');
  const [hours, setHours] = useState(DEFAULT_EXPIRY_HOURS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleanedName = name.replace(/\s+/g, ' ').trim();
    const result: { invitation?: InvitationView } = {};
    const done = await action.run(async () => {
      result.invitation = await workspaceApi.createInvitation({
        role,
        groupId: scope === INITIATIVE_SCOPE ? null : scope,
        delegation,
        name: cleanedName === '' ? null : cleanedName,
        expiresInHours: hours,
      });
    });
    if (done && result.invitation) {
      setName('');
      await onCreated(result.invitation);
    }
  }

  return (
    <form className="inline-form invitation-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-role`}>Role</label>
          <select id={`${ids}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)} aria-describedby={`${ids}-role-note`}>
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {ROLE_NAMES[value]}
              </option>
            ))}
          </select>
          <span id={`${ids}-role-note`} className="field-note">
            {ROLE_NAMES[role]}: {ROLE_DESCRIPTIONS[role]}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-scope`}>Where</label>
          <select id={`${ids}-scope`} value={scope} onChange={(event) => setScope(event.target.value)}>
            {scopes.map((option) => (
              <option key={option.value} value={option.value} dir="auto">
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-delegation`}>Delegation</label>
          <select id={`${ids}-delegation`} value={delegation} onChange={(event) => setDelegation(event.target.value as Delegation)}>
            {DELEGATIONS.map((value) => (
              <option key={value} value={value}>
                {value === 'org' ? 'Organisers and facilitators' : delegationName(value)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-expiry`}>Link expires after</label>
          <select id={`${ids}-expiry`} value={hours} onChange={(event) => setHours(Number(event.target.value))}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.hours} value={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Who it is for (optional)</label>
        <input
          id={`${ids}-name`}
          type="text"
          dir="auto"
          maxLength={120}
          value={name}
          aria-describedby={`${ids}-name-note`}
          onChange={(event) => setName(event.target.value)}
        />
        <span id={`${ids}-name-note`} className="field-note">
          For your list of links. The person still types the name others will see.
        </span>
      </div>
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy || scopes.length === 0}>
          {action.busy ? 'Creating…' : 'Create invitation link'}
        </button>
      </div>
    </form>
  );
}
