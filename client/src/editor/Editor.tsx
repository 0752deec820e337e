// The collaborative editor of one document: the shared schema, bound to the document's Yjs fragment,
// with everyone's named carets, per-paragraph direction and language, and the toolbar above it.
// Read-only (observers, or after access was lost) keeps the live text and carets but takes input away.
import { useEffect } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { editorSchemaExtensions } from '../../../shared/editor-extensions.js';
import { EDITOR_FRAGMENT } from '../../../shared/protocol.js';
import type { Delegation, Role } from '../../../shared/workspace.js';
import type { DocumentConnection } from '../collab/connection.js';
import { labelTextColour } from '../collab/label-colour.js';
import { ScriptLanguage } from './script-language.js';
import { Toolbar } from './Toolbar.js';

/**
 * What this tab says about itself in presence. The server overwrites it with the session's identity
 * before anyone else sees it; this tab's own copy is never relayed back, so it must already say the
 * same (the people list shows your own delegation from it).
 */
export interface CaretUser {
  name: string;
  /** `#rrggbb`: the caret extension ignores any other form. */
  color: string;
  delegation: Delegation;
  personId: string;
  role: Role | null;
}

/** Another person's caret: a thin bar in their colour with their name above it, in black or white, whichever reads. */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user['color'] === 'string' && /^#[0-9a-fA-F]{6}$/.test(user['color']) ? user['color'] : '#6b7280';
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  // Delegation colours run from dark green to bright orange; white text is unreadable on some.
  label.style.color = labelTextColour(color);
  // Names may be Urdu or Pashto; let each label find its own direction.
  label.dir = 'auto';
  label.textContent = typeof user['name'] === 'string' ? user['name'] : '';
  caret.append(label);
  return caret;
}

function textAttributes(editable: boolean): Record<string, string> {
  return {
    id: 'document-text',
    class: 'document-text',
    'aria-label': 'Document text',
    'aria-multiline': 'true',
    'aria-readonly': String(!editable),
    role: 'textbox',
    spellcheck: 'true',
  };
}

interface EditorProps {
  connection: DocumentConnection;
  user: CaretUser;
  /** False for observers and once access is lost: the text stays live, typing is refused. */
  editable: boolean;
}

export function Editor({ connection, user, editable }: EditorProps) {
  const editor = useEditor(
    {
      extensions: [
        ...editorSchemaExtensions(),
        Collaboration.configure({ document: connection.doc, field: EDITOR_FRAGMENT }),
        CollaborationCaret.configure({ provider: connection.provider, user, render: renderCaret }),
        ScriptLanguage,
      ],
      // The shared schema carries TextDirection itself, so export sees the same `dir` attributes.
      enableCoreExtensions: { textDirection: false },
      editable,
      editorProps: { attributes: textAttributes(editable) },
    },
    [connection],
  );

  // Access can change while the document is open (the server said read-only, or revoked it): switch
  // in place, keeping the text and the carets on screen.
  useEffect(() => {
    if (!editor || editor.isDestroyed || editor.isEditable === editable) return;
    editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: textAttributes(editable) } });
    editor.setEditable(editable);
  }, [editor, editable]);

  return (
    <div className="editor">
      <Toolbar editor={editor} disabled={!editable} />
      <div className="sheet">
        <EditorContent editor={editor} />
      </div>
    </div>
  );
}
