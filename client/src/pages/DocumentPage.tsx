// A document open for editing (or reading): first asks the server what it is and what you may do
// with it (`GET /api/documents/:id`), then holds its connection for as long as the page shows it,
// with the header (where the document belongs), the status line, the people in it and the editor.
// It also decides what to do when the server refuses the socket: switch to read-only, reconnect
// after a role change, or stop and say that access was revoked — never loop against a refusal.
import { useEffect, useRef, useState } from 'react';
import type { MeView } from '../../../shared/workspace.js';
import { CloseCodes } from '../../../shared/protocol.js';
import { colourFor } from '../../../shared/workspace.js';
import { ACCESS_LOSS_TEXT, judgeAccess, type AccessLoss } from '../collab/access-loss.js';
import { connectToDocument, type DocumentConnection } from '../collab/connection.js';
import { PeopleList } from '../collab/PeopleList.js';
import { StatusLine } from '../collab/StatusLine.js';
import { Editor } from '../editor/Editor.js';
import { AgendaDocument } from '../agenda/AgendaDocument.js';
import { AppLink } from '../AppLink.js';
import { AccountMenu } from '../workspace/AccountMenu.js';
import { ApiError, describeApiError, workspaceApi, type DocumentDetails } from '../workspace/workspace-api.js';
import { DOCUMENT_KIND_NAMES } from '../workspace/wording.js';
import { VersionsPanel } from '../versions/VersionsPanel.js';
import { ExportMenu } from '../export/ExportMenu.js';

/** After a socket that never opened, ask the API at most this often whether we may still come in. */
const NOT_ADMITTED_CHECK_MS = 5_000;
/**
 * A socket closed as "access changed" is reopened when the API still lets us in (the role changed).
 * A second such close this soon means the two disagree; stop rather than loop.
 */
const READMIT_WINDOW_MS = 10_000;

type Loading = { status: 'loading' } | { status: 'ready'; details: DocumentDetails } | { status: 'failed'; error: unknown };

interface DocumentPageProps {
  documentId: string;
  me: MeView;
  onSignOut: () => Promise<void>;
}

type CopyState = 'idle' | 'copied' | 'failed';

export function DocumentPage({ documentId, me, onSignOut }: DocumentPageProps) {
  const [loading, setLoading] = useState<Loading>({ status: 'loading' });
  const [loadAttempt, setLoadAttempt] = useState(0);
  /** The server dropped an edit of ours: we may only read, whatever the API said when we opened. */
  const [writeRefused, setWriteRefused] = useState(false);
  const [lost, setLost] = useState<AccessLoss | null>(null);
  const [generation, setGeneration] = useState(0);
  const [connection, setConnection] = useState<DocumentConnection | null>(null);
  const [copyState, setCopyState] = useState<CopyState>('idle');
  const lastReadmit = useRef(0);
  /** The next cleanup must tear the connection down now: its unsaved changes can never be saved. */
  const discardOnCleanup = useRef(false);

  useEffect(() => {
    const abort = new AbortController();
    setLoading({ status: 'loading' });
    workspaceApi.document(documentId, abort.signal).then(
      (details) => setLoading({ status: 'ready', details }),
      (error: unknown) => {
        if (!abort.signal.aborted) setLoading({ status: 'failed', error });
      },
    );
    return () => abort.abort();
  }, [documentId, loadAttempt]);

  const details = loading.status === 'ready' ? loading.details : null;
  const access = details === null ? null : writeRefused ? 'read' : details.access;

  useEffect(() => {
    if (details) document.title = `${details.title} — Concord`;
  }, [details]);

  useEffect(() => {
    if (access === null) return;
    const abort = new AbortController();
    let checking = false;
    let lastNotAdmittedCheck = 0;

    const loseAccess = (loss: AccessLoss): void => {
      opened.stop(loss === 'signed-out' ? CloseCodes.unauthenticated.reason : CloseCodes.accessRevoked.reason);
      discardOnCleanup.current = true;
      setLost(loss);
    };

    /** Asks the API whether we may still be here; `closeCode` null: the socket never opened. */
    const recheck = async (closeCode: number | null): Promise<void> => {
      if (checking) return;
      if (closeCode === null) {
        if (Date.now() - lastNotAdmittedCheck < NOT_ADMITTED_CHECK_MS) return;
        lastNotAdmittedCheck = Date.now();
      }
      checking = true;
      let status: number;
      let fresh: DocumentDetails | null = null;
      try {
        fresh = await workspaceApi.document(documentId, abort.signal);
        status = 200;
      } catch (error) {
        if (abort.signal.aborted) return;
        status = error instanceof ApiError ? error.status : 0;
      } finally {
        checking = false;
      }
      const verdict = judgeAccess(closeCode, status);
      if (verdict.kind === 'lost') {
        loseAccess(verdict.loss);
        return;
      }
      // Not admitted but the API says yes: the server was restarting; the provider keeps retrying.
      if (verdict.kind !== 'readmit' || closeCode === null || fresh === null) return;
      if (Date.now() - lastReadmit.current < READMIT_WINDOW_MS) {
        loseAccess('revoked');
        return;
      }
      lastReadmit.current = Date.now();
      discardOnCleanup.current = true;
      setWriteRefused(false);
      setLoading({ status: 'ready', details: fresh });
      setGeneration((n) => n + 1);
    };

    const opened = connectToDocument(documentId, {
      onRefusal(refusal) {
        switch (refusal.kind) {
          case 'permission-denied':
            // Our edit was dropped; start over read-only from the server's text, so the page never
            // shows words that nobody else has. (Already read-only: nothing to change.)
            if (access === 'write') {
              discardOnCleanup.current = true;
              setWriteRefused(true);
            }
            return;
          case 'closed':
            if (refusal.code === CloseCodes.accessRevoked.code || refusal.code === CloseCodes.unauthenticated.code) void recheck(refusal.code);
            return;
          case 'not-admitted':
            void recheck(null);
            return;
        }
      },
    });
    setConnection(opened);
    return () => {
      abort.abort();
      if (discardOnCleanup.current) opened.destroy();
      else opened.close();
      discardOnCleanup.current = false;
      setConnection(null);
    };
  }, [documentId, access, generation]);

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  }

  if (loading.status !== 'ready') {
    return (
      <div className="document-page">
        <header className="document-header">
          <AppLink href="/" className="brand">
            Concord
          </AppLink>
          <AccountMenu me={me} onSignOut={onSignOut} />
        </header>
        <main className="home">
          {loading.status === 'loading' ? <p>Opening…</p> : <CannotOpen error={loading.error} onRetry={() => setLoadAttempt((n) => n + 1)} />}
        </main>
      </div>
    );
  }

  const { details: shown } = loading;
  const editable = access === 'write' && lost === null;
  const lossText = lost ? ACCESS_LOSS_TEXT[lost] : null;

  // Agenda documents show the timetable first; their rich text stays available as "Notes".
  const editorView = (open: DocumentConnection) => (
    <Editor
      key={open.doc.guid}
      connection={open}
      user={{
        name: me.name,
        color: colourFor(me.delegation, me.id),
        delegation: me.delegation,
        personId: me.id,
        role: (shown.group && me.groupRoles[shown.group.id]) ?? me.initiativeRole,
      }}
      editable={editable}
    />
  );

  return (
    <div className="document-page">
      <header className="document-header">
        <AppLink href="/" className="brand">
          Concord
        </AppLink>
        <div className="document-meta">
          <nav aria-label="Where this document belongs" className="breadcrumb">
            <ol>
              <li>
                <AppLink href="/">Lobby</AppLink>
              </li>
              {shown.group && (
                <li>
                  <bdi dir="auto">{shown.group.name}</bdi>
                </li>
              )}
              {shown.meeting && (
                <li>
                  Meeting {shown.meeting.number}, <bdi dir="auto">{shown.meeting.city}</bdi>
                </li>
              )}
            </ol>
          </nav>
          <h1 className="document-title">
            <bdi dir="auto">{shown.title}</bdi> <span className="kind-tag">{DOCUMENT_KIND_NAMES[shown.kind]}</span>
            {access === 'read' && <span className="read-only-tag">Read only</span>}
          </h1>
        </div>
        <button type="button" className="link-button" onClick={() => void copyLink()}>
          Copy link
        </button>
        <span className="copy-feedback" role="status">
          {copyState === 'copied' ? 'Link copied' : copyState === 'failed' ? 'Could not copy; use the address bar' : ''}
        </span>
        {connection && <StatusLine tracker={connection.saveTracker} readOnly={!editable} />}
        <AccountMenu me={me} onSignOut={onSignOut} />
      </header>
      {lossText && (
        <div className="access-lost" role="alert">
          <h2>{lossText.title}</h2>
          <p>{lossText.body}</p>
          <p>
            {/* A full load, not in-app navigation: the session (and everything cached) starts over. */}
            <a href="/">{lossText.linkText}</a>
          </p>
        </div>
      )}
      {writeRefused && !lost && (
        <p className="notice notice--warn" role="status">
          You can read this document but not edit it; the server did not accept your change.
        </p>
      )}
      <div className="document-body">
        <main className="document-main">
          {connection ? (
            shown.kind === 'agenda' ? (
              <AgendaDocument key={connection.doc.guid} connection={connection} meeting={shown.meeting} editable={editable} notes={editorView(connection)} />
            ) : (
              editorView(connection)
            )
          ) : (
            <p>Opening…</p>
          )}
        </main>
        <aside className="document-aside">
          {connection && <PeopleList awareness={connection.provider.awareness} />}
          {lost === null && <ExportMenu documentId={documentId} />}
          {lost === null && <VersionsPanel key={documentId} documentId={documentId} canWrite={editable} meetingTimeZone={shown.meeting?.timeZone ?? null} />}
        </aside>
      </div>
    </div>
  );
}

/** Why the document did not open, and the way out. */
function CannotOpen({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const status = error instanceof ApiError ? error.status : -1;
  if (status === 404) {
    return (
      <>
        <h1>No such document</h1>
        <p>There is no document at this address. It may have been mistyped, or removed.</p>
        <p>
          <AppLink href="/">Go to the lobby</AppLink>
        </p>
      </>
    );
  }
  if (status === 403) {
    return (
      <>
        <h1>You have no access to this document</h1>
        <p>It belongs to a working group you are not a member of. If you should see it, ask the organisers for an invitation to that group.</p>
        <p>
          <AppLink href="/">Go to the lobby</AppLink>
        </p>
      </>
    );
  }
  if (status === 401) {
    return (
      <>
        <h1>You are signed out</h1>
        <p>Sign in with your invitation link to open this document.</p>
        <p>
          <a href="/">Sign in</a>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>The document could not be opened</h1>
      <p role="alert">{describeApiError(error)}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </>
  );
}
