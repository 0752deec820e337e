// The dialog that shows one version read-only, or a compare. A modal <dialog>: focus moves to its
// heading when it opens (so a screen reader announces what it shows), stays inside while it is open,
// Escape or "Close" shut it, and focus goes back to the button that opened it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import { editorSchemaExtensions } from '../../../shared/editor-extensions.js';
import type { EditorJson, VersionDetail, VersionDiff } from '../../../shared/versions.js';
import { ScriptLanguage } from '../editor/script-language.js';
import { DiffView } from './DiffView.js';
import { describeVersionError, versionsApi } from './versions-api.js';
import { ExportMenu } from '../export/ExportMenu.js';

export type Opened = { kind: 'view'; versionId: string; title: string } | { kind: 'compare'; fromId: string; toId: string; title: string };

function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    // jsdom has no showModal; the dialog is then simply shown open.
    if (element && !element.open && typeof element.showModal === 'function') element.showModal();
    heading.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="version-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="version-dialog-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="version-dialog-body">{children}</div>
    </dialog>
  );
}

/** A version's editor JSON in a read-only editor with the document's own schema and typefaces. */
export function VersionText({ content }: { content: EditorJson }) {
  const editor = useEditor(
    {
      extensions: [...editorSchemaExtensions(), ScriptLanguage],
      enableCoreExtensions: { textDirection: false },
      content,
      editable: false,
      editorProps: { attributes: { class: 'version-text', 'aria-label': 'Text of this version', 'aria-readonly': 'true' } },
    },
    [content],
  );
  return <EditorContent editor={editor} />;
}

type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; message: string };

function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const abort = new AbortController();
    setState({ status: 'loading' });
    latest.current(abort.signal).then(
      (value) => setState({ status: 'ready', value }),
      (error: unknown) => {
        if (!abort.signal.aborted) setState({ status: 'failed', message: describeVersionError(error) });
      },
    );
    return () => abort.abort();
  }, [key]);
  return state;
}

function ViewBody({ documentId, versionId }: { documentId: string; versionId: string }) {
  const loaded = useLoad<VersionDetail>((signal) => versionsApi.version(documentId, versionId, signal), `${documentId}/${versionId}`);
  if (loaded.status === 'loading') return <p role="status">Loading the version…</p>;
  if (loaded.status === 'failed') return <p role="alert">{loaded.message}</p>;
  return (
    <>
      <p className="muted">
        {loaded.value.characters} characters · content hash <code className="hash hash--inline">{loaded.value.contentHash}</code>
      </p>
      <VersionText content={loaded.value.content} />
    </>
  );
}

function CompareBody({ documentId, fromId, toId }: { documentId: string; fromId: string; toId: string }) {
  const loaded = useLoad<VersionDiff>((signal) => versionsApi.compare(documentId, fromId, toId, signal), `${documentId}/${fromId}/${toId}`);
  if (loaded.status === 'loading') return <p role="status">Comparing…</p>;
  if (loaded.status === 'failed') return <p role="alert">{loaded.message}</p>;
  return <DiffView diff={loaded.value} />;
}

export function VersionDialog({ documentId, opened, onClose }: { documentId: string; opened: Opened; onClose: () => void }) {
  return (
    <Modal title={opened.title} onClose={onClose}>
      {opened.kind === 'view' ? (
        <>
          <ExportMenu documentId={documentId} versionId={opened.versionId} />
          <ViewBody documentId={documentId} versionId={opened.versionId} />
        </>
      ) : (
        <CompareBody documentId={documentId} fromId={opened.fromId} toId={opened.toId} />
      )}
    </Modal>
  );
}
