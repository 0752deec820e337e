// The document schema of Concord's editor, as one list of TipTap extensions. The web editor adds its
// collaboration extensions on top of this list; server-side export rebuilds the same schema from it
// (`getSchema(editorSchemaExtensions())`), so what the editor writes is exactly what export can read.
// Nothing here may touch React or the DOM when the module loads: the server imports it under Node.
import { extensions as coreExtensions, type AnyExtension } from '@tiptap/core';
import { StarterKit } from '@tiptap/starter-kit';

/** Heading levels offered in the toolbar; a communiqué needs a title, sections and sub-sections. */
export const HEADING_LEVELS = [1, 2, 3] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];

/**
 * Every block carries `dir="auto"`, so each paragraph takes its direction from its first strong
 * character: an Urdu, Dari or Pashto paragraph is right-to-left and an English one left-to-right in
 * the same document, and an exported HTML file renders the same way. The editor must disable the
 * core copy of this extension (`enableCoreExtensions: { textDirection: false }`) to avoid a duplicate.
 */
export const TEXT_DIRECTION = 'auto' as const;

export function editorSchemaExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Collaboration brings Yjs's undo manager, which undoes only this user's changes; ProseMirror's
      // own history would undo other people's typing too.
      undoRedo: false,
      // Each client would append its own trailing paragraph to the shared document at the same time.
      trailingNode: false,
      heading: { levels: [...HEADING_LEVELS] },
      link: { openOnClick: false, autolink: true },
    }),
    coreExtensions.TextDirection.configure({ direction: TEXT_DIRECTION }),
  ];
}
