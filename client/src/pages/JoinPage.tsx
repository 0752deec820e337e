// `/join/<code>`: the step an invitation link opens. Asks for the name others will see, signs in
// (`POST /api/session`, which sets the session cookie), then goes to the lobby. Someone already
// signed in who opens another link just accepts it: the server adds its role to the same person.
import { useId, useState, type FormEvent } from 'react';
import type { MeView } from '../../../shared/workspace.js';
import { AppLink } from '../AppLink.js';
import { PersonName } from '../workspace/DelegationBadge.js';
import { ApiError, workspaceApi } from '../workspace/workspace-api.js';

export const MAX_NAME_LENGTH = 60;

/** Trims, collapses inner whitespace and caps the length; returns '' for a blank name. */
export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

/** Why a link did not work, in words a delegate can act on. */
export function describeJoinFailure(error: unknown): { message: string; linkIsDead: boolean } {
  if (error instanceof ApiError) {
    if (error.code === 'invitation_expired') return { message: 'This invitation link has expired. Ask the organisers for a new one.', linkIsDead: true };
    if (error.code === 'invitation_invalid')
      return { message: 'This invitation link does not work: it was revoked, or it was copied incompletely. Ask the organisers for a new one.', linkIsDead: true };
    if (error.status === 429) return { message: 'Too many attempts with this link. Wait a minute, then try again.', linkIsDead: false };
    if (error.unreachable) return { message: error.message, linkIsDead: false };
    if (error.status === 400) return { message: `The server did not accept this: ${error.message}.`, linkIsDead: false };
  }
  return { message: 'Something went wrong while joining. Please try again.', linkIsDead: false };
}

interface JoinPageProps {
  code: string;
  /** The person already signed in in this browser, if any. */
  me: MeView | null;
  /** Called after the server accepted the invitation; moves on (to the lobby, or the document that was asked for). */
  onJoined: () => Promise<void>;
}

export function JoinPage({ code, me, onJoined }: JoinPageProps) {
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; linkIsDead: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();

  async function join(event: FormEvent) {
    event.preventDefault();
    const cleaned = me ? me.name : cleanName(name);
    if (cleaned === '') {
      setNameError('Please enter the name others will see.');
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await workspaceApi.signIn(code, cleaned);
      await onJoined();
    } catch (error) {
      setFailure(describeJoinFailure(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="home join">
      <h1 className="home-title">Join Concord</h1>
      <p className="home-tagline">You have been invited to draft texts together with the other delegations.</p>
      <section className="home-section" aria-labelledby={`${ids}-heading`}>
        <h2 id={`${ids}-heading`}>{me ? 'Accept this invitation' : 'Who are you?'}</h2>
        {failure?.linkIsDead ? (
          <>
            <p className="field-error" role="alert">
              {failure.message}
            </p>
            <p>
              <AppLink href="/">{me ? 'Go to the lobby' : 'Go to the start page'}</AppLink>
            </p>
          </>
        ) : (
          <form onSubmit={(event) => void join(event)} noValidate>
            {me ? (
              <p>
                You are signed in as <PersonName name={me.name} delegation={me.delegation} />. Accepting adds this invitation&rsquo;s access to your
                account.
              </p>
            ) : (
              <>
                <p id={`${ids}-about`}>Others in the documents see this name beside your cursor and in the lists of who is present.</p>
                <label htmlFor={`${ids}-name`}>Your name</label>
                <input
                  id={`${ids}-name`}
                  name="name"
                  type="text"
                  dir="auto"
                  autoComplete="name"
                  autoFocus
                  required
                  maxLength={MAX_NAME_LENGTH}
                  value={name}
                  aria-invalid={nameError !== null}
                  aria-describedby={nameError ? `${ids}-about ${ids}-name-error` : `${ids}-about`}
                  onChange={(event) => {
                    setName(event.target.value);
                    setNameError(null);
                  }}
                />
                {nameError && (
                  <p id={`${ids}-name-error`} className="field-error" role="alert">
                    {nameError}
                  </p>
                )}
              </>
            )}
            {failure && (
              <p className="field-error" role="alert">
                {failure.message}
              </p>
            )}
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Joining…' : me ? 'Accept invitation' : 'Join'}
              </button>
            </div>
          </form>
        )}
      </section>
    </main>
  );
}
