// What someone without a session sees at `/`: Concord is by invitation only, so the page explains
// that and takes the invitation link they were sent (pasted from a message) to the join step.
import { useId, useState, type FormEvent } from 'react';
import { invitationCodeFromInput, joinPath, navigate } from '../routes.js';

export function SignedOutPage({ sessionEnded }: { sessionEnded: boolean }) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const code = invitationCodeFromInput(input);
    if (code === null) {
      setError('That does not look like a Concord invitation link. It looks like https://…/join/ followed by a code.');
      return;
    }
    navigate(joinPath(code));
  }

  return (
    <main className="home">
      <h1 className="home-title">Concord</h1>
      <p className="home-tagline">Draft agendas, recommendations and joint communiqués together, live, in English, Urdu, Dari and Pashto.</p>
      {sessionEnded && (
        <p className="notice notice--warn" role="alert">
          You have been signed out. Your session ended or your access was revoked by the organisers.
        </p>
      )}
      <section className="home-section" aria-labelledby={`${ids}-heading`}>
        <h2 id={`${ids}-heading`}>Sign in with your invitation link</h2>
        <p>
          Concord is used by invitation only: drafts are shared with the people the organisers invited. Open the invitation link you were sent,
          or paste it here.
        </p>
        <form className="open-form" onSubmit={submit} noValidate>
          <label htmlFor={`${ids}-input`}>Invitation link</label>
          <div className="open-row">
            <input
              id={`${ids}-input`}
              type="text"
              dir="ltr"
              spellCheck={false}
              autoComplete="off"
              value={input}
              aria-invalid={error !== null}
              aria-describedby={error ? `${ids}-error` : `${ids}-hint`}
              onChange={(event) => {
                setInput(event.target.value);
                setError(null);
              }}
            />
            <button type="submit" className="primary">
              Continue
            </button>
          </div>
          {error ? (
            <p id={`${ids}-error`} className="field-error" role="alert">
              {error}
            </p>
          ) : (
            <p id={`${ids}-hint`} className="field-note">
              No link? Ask the organisers of your dialogue for one.
            </p>
          )}
        </form>
      </section>
    </main>
  );
}
