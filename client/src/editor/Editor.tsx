// The collaborative editor of one document: the shared schema, bound to the document's Yjs fragment,
// with everyone's named carets, per-paragraph direction and language, and the toolbar above it.
import { useEffect } from 'react';
import { EditorContent, useEditor, type Editor as TiptapEditor } from '@tiptap/react';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { editorSchemaExtensions } from '../../../shared/editor-extensions.js';
import { EDITOR_FRAGMENT } from '../../../shared/protocol.js';
import type { DocumentConnection } from '../collab/connection.js';
import type { Identity } from '../identity.js';
import { ScriptLanguage } from './script-language.js';
import { Toolbar } from './Toolbar.js';

/** Another person's caret: a thin bar in their colour with their name above it. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user['color'] === 'string' ? user['color'] : '#6b7280';
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  // Names may be Urdu or Pashto; let each label find its own direction.
  label.dir = 'auto';
  label.textContent = typeof user['name'] === 'string' ? user['name'] : '';
  caret.append(label);
  return caret;
}

/** The first non-empty line of the document, for the tab title and the recent-documents list. */
export function documentTitle(editor: TiptapEditor): string {
  let title = '';
  editor.state.doc.descendants((node) => {
    if (title !== '') return false;
    if (node.isTextblock) {
      title = node.textContent.replace(/\s+/g, ' ').trim();
      return false;
    }
    return true;
  });
  return title;
}

interface EditorProps {
  connection: DocumentConnection;
  identity: Identity;
  onTitleChange?: (title: string) => void;
}

export function Editor({ connection, identity, onTitleChange }: EditorProps) {
  const editor = useEditor(
    {
      extensions: [
        ...editorSchemaExtensions(),
        Collaboration.configure({ document: connection.doc, field: EDITOR_FRAGMENT }),
        CollaborationCaret.configure({ provider: connection.provider, user: identity, render: renderCaret }),
        ScriptLanguage,
      ],
      // The shared schema carries TextDirection itself, so export sees the same `dir` attributes.
      enableCoreExtensions: { textDirection: false },
      editorProps: {
        attributes: {
          id: 'document-text',
          class: 'document-text',
          'aria-label': 'Document text',
          'aria-multiline': 'true',
          role: 'textbox',
          spellcheck: 'true',
        },
      },
    },
    [connection],
  );

  // Name or colour edited later: tell the others without rebuilding the editor.
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.updateUser({ name: identity.name, color: identity.color });
  }, [editor, identity.name, identity.color]);

  useEffect(() => {
    if (!editor || !onTitleChange) return;
    const report = () => onTitleChange(documentTitle(editor));
    report();
    editor.on('update', report);
    return () => {
      editor.off('update', report);
    };
  }, [editor, onTitleChange]);

  return (
    <div className="editor">
      <Toolbar editor={editor} />
      <div className="sheet">
        <EditorContent editor={editor} />
      </div>
    </div>
  );
}
