// A document open for editing: its connection for as long as the page shows it, the status line,
// the people in it, and the editor.
import { useCallback, useEffect, useRef, useState } from 'react';
import { connectToDocument, type DocumentConnection } from '../collab/connection.js';
import { PeopleList } from '../collab/PeopleList.js';
import { StatusLine } from '../collab/StatusLine.js';
import { Editor } from '../editor/Editor.js';
import type { Identity } from '../identity.js';
import { rememberDocument } from '../recent-documents.js';
import { AppLink } from '../AppLink.js';

interface DocumentPageProps {
  documentId: string;
  identity: Identity;
  onEditIdentity: () => void;
}

type CopyState = 'idle' | 'copied' | 'failed';

export function DocumentPage({ documentId, identity, onEditIdentity }: DocumentPageProps) {
  const [connection, setConnection] = useState<DocumentConnection | null>(null);
  const [copyState, setCopyState] = useState<CopyState>('idle');
  const lastTitle = useRef<string | null>(null);

  useEffect(() => {
    const opened = connectToDocument(documentId);
    setConnection(opened);
    lastTitle.current = null;
    rememberDocument(documentId, null);
    return () => {
      opened.close();
      setConnection(null);
    };
  }, [documentId]);

  const showTitle = useCallback(
    (title: string) => {
      if (title === lastTitle.current) return;
      lastTitle.current = title;
      document.title = `${title || 'Untitled document'} — Concord`;
      rememberDocument(documentId, title);
    },
    [documentId],
  );

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  }

  return (
    <div className="document-page">
      <header className="document-header">
        <AppLink href="/" className="brand">
          Concord
        </AppLink>
        <div className="document-meta">
          <h1 className="document-id">
            <span className="visually-hidden">Document </span>
            <code>{documentId}</code>
          </h1>
          <button type="button" className="link-button" onClick={() => void copyLink()}>
            Copy link
          </button>
          <span className="copy-feedback" role="status">
            {copyState === 'copied' ? 'Link copied' : copyState === 'failed' ? 'Could not copy; use the address bar' : ''}
          </span>
        </div>
        {connection && <StatusLine tracker={connection.saveTracker} />}
        <button type="button" className="identity-button" onClick={onEditIdentity} aria-label={`You are ${identity.name}. Change name or colour`}>
          <span className="person-swatch" style={{ backgroundColor: identity.color }} aria-hidden="true" />
          <span dir="auto">{identity.name}</span>
        </button>
      </header>
      <div className="document-body">
        <main className="document-main">
          {connection ? <Editor key={connection.doc.guid} connection={connection} identity={identity} onTitleChange={showTitle} /> : <p>Opening…</p>}
        </main>
        <aside className="document-aside">{connection && <PeopleList awareness={connection.provider.awareness} />}</aside>
      </div>
    </div>
  );
}
