// What someone without a session sees at `/`: Concord is by invitation only, so the page explains
// that and takes the invitation link they were sent (pasted from a message) to the join step.
import { useId } from 'react';
import { invitationCodeFromInput, joinPath, navigate } from '../routes.js';
import { LinkForm } from './LinkForm.js';

export function SignedOutPage({ sessionEnded }: { sessionEnded: boolean }) {
  const ids = useId();

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
        <LinkForm
          label="Invitation link"
          submitText="Continue"
          primary
          hint="No link? Ask the organisers of your dialogue for one."
          parse={invitationCodeFromInput}
          invalidMessage="That does not look like a Concord invitation link. It looks like https://…/join/ followed by a code."
          onLink={(code) => navigate(joinPath(code))}
        />
      </section>
    </main>
  );
}
