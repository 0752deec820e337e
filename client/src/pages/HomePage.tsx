// The start page: create a new document, open one from a link or id, or return to a recent one.
import { useId, useState, type FormEvent } from 'react';
import { loadRecentDocuments } from '../recent-documents.js';
import { documentIdFromInput, documentPath, navigate, newDocumentId } from '../routes.js';
import type { Identity } from '../identity.js';
import { AppLink } from '../AppLink.js';

interface HomePageProps {
  identity: Identity | null;
  onEditIdentity: () => void;
}

export function HomePage({ identity, onEditIdentity }: HomePageProps) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [recent] = useState(() => loadRecentDocuments());
  const ids = useId();

  function open(event: FormEvent) {
    event.preventDefault();
    const documentId = documentIdFromInput(input);
    if (documentId === null) {
      setError('That is not a Concord link or document id. Ids use letters, digits, - and _.');
      return;
    }
    navigate(documentPath(documentId));
  }

  return (
    <main className="home">
      <h1 className="home-title">Concord</h1>
      <p className="home-tagline">Draft agendas, recommendations and joint communiqués together, live, in English, Urdu, Dari and Pashto.</p>

      <section className="home-section" aria-labelledby={`${ids}-new`}>
        <h2 id={`${ids}-new`}>Start a new document</h2>
        <p>Anyone with the link can read and edit it.</p>
        <button type="button" className="primary" onClick={() => navigate(documentPath(newDocumentId()))}>
          New document
        </button>
      </section>

      <section className="home-section" aria-labelledby={`${ids}-open`}>
        <h2 id={`${ids}-open`}>Open a document</h2>
        <form className="open-form" onSubmit={open} noValidate>
          <label htmlFor={`${ids}-input`}>Link or document id</label>
          <div className="open-row">
            <input
              id={`${ids}-input`}
              type="text"
              dir="ltr"
              spellCheck={false}
              autoComplete="off"
              value={input}
              aria-invalid={error !== null}
              aria-describedby={error ? `${ids}-error` : undefined}
              onChange={(event) => {
                setInput(event.target.value);
                setError(null);
              }}
            />
            <button type="submit">Open</button>
          </div>
          {error && (
            <p id={`${ids}-error`} className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      </section>

      {recent.length > 0 && (
        <section className="home-section" aria-labelledby={`${ids}-recent`}>
          <h2 id={`${ids}-recent`}>Recently opened here</h2>
          <ul className="recent-list">
            {recent.map((entry) => (
              <li key={entry.documentId}>
                <AppLink href={documentPath(entry.documentId)}>
                  <span dir="auto" className="recent-title">
                    {entry.title || 'Untitled document'}
                  </span>{' '}
                  <code className="recent-id">{entry.documentId}</code>
                </AppLink>
              </li>
            ))}
          </ul>
        </section>
      )}

      <p className="home-identity">
        {identity ? (
          <>
            You appear to others as{' '}
            <strong dir="auto" style={{ color: identity.color }}>
              {identity.name}
            </strong>
            .{' '}
          </>
        ) : (
          'You will be asked for the name others see when you open a document. '
        )}
        <button type="button" className="link-button" onClick={onEditIdentity}>
          {identity ? 'Change name or colour' : 'Choose it now'}
        </button>
      </p>
    </main>
  );
}
