// What a version stores, read from a Y.Doc: the same ProseMirror document the editor's y-prosemirror
// conversion builds (marks, headings, lists, hard breaks, four scripts), without ever writing to the
// doc it reads; the item id behind every position; plain text; and a hash that moves with the text.
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EDITOR_FRAGMENT } from '../../shared/protocol.js';
import type { EditorJson } from '../../shared/versions.js';
import { describeContent, itemIdsByPosition, readEditorDocument } from '../../server/versions/version-content.js';
import { docJson, schema, setBlocks } from './versions-support.js';
import { updateYFragment } from '@tiptap/y-tiptap';

const rich: EditorJson = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Joint communiqué' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'The delegations ' },
        { type: 'text', text: 'agreed', marks: [{ type: 'bold' }, { type: 'italic' }] },
        { type: 'hardBreak' },
        { type: 'text', text: 'توصیه‌های مشترک', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }] },
      ],
    },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'د سولې او همکارۍ' }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'پاکستان اور افغانستان' }] }] },
      ],
    },
    { type: 'horizontalRule' },
    { type: 'paragraph' },
  ],
};

function docWith(json: EditorJson): Y.Doc {
  const doc = new Y.Doc();
  updateYFragment(doc, doc.getXmlFragment(EDITOR_FRAGMENT), schema.nodeFromJSON(json), { mapping: new Map(), isOMark: new Map() });
  return doc;
}

describe('version content', () => {
  it('reads the same document as y-prosemirror, with plain text, characters and hash', () => {
    const doc = docWith(rich);
    const node = readEditorDocument(doc, schema);
    expect(node.eq(yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(EDITOR_FRAGMENT), schema))).toBe(true);
    expect(node.eq(schema.nodeFromJSON(rich))).toBe(true);
    const content = describeContent(node);
    expect(content.text).toBe('Joint communiqué\nThe delegations agreed\nتوصیه‌های مشترک\nد سولې او همکارۍ\nپاکستان اور افغانستان\n');
    expect(content.characters).toBe([...'Joint communiquéThe delegations agreedتوصیه‌های مشترکد سولې او همکارۍپاکستان اور افغانستان'].length);
    expect(content.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(describeContent(schema.nodeFromJSON(rich)).contentHash).toBe(content.contentHash);
    // One removed zero-width non-joiner is a different text.
    const withoutZwnj = JSON.parse(JSON.stringify(rich).replace('\u200c', '')) as EditorJson;
    expect(describeContent(schema.nodeFromJSON(withoutZwnj)).contentHash).not.toBe(content.contentHash);
  });

  it('never writes to the doc it reads: what the schema cannot hold is skipped, not deleted', () => {
    const doc = new Y.Doc();
    setBlocks(doc, ['Kept.']);
    const fragment = doc.getXmlFragment(EDITOR_FRAGMENT);
    fragment.insert(1, [new Y.XmlElement('noSuchNode')]);
    const stray = new Y.XmlText();
    stray.insert(0, 'text outside any block');
    fragment.insert(2, [stray]);
    const before = Y.encodeStateAsUpdate(doc);
    let changes = 0;
    doc.on('update', () => changes++);
    const node = readEditorDocument(doc, schema);
    expect(node.toJSON()).toEqual(schema.nodeFromJSON(docJson(['Kept.'])).toJSON());
    expect(changes).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('knows the Yjs item behind every position', () => {
    const doc = docWith(rich);
    const node = readEditorDocument(doc, schema);
    const ids = itemIdsByPosition({ doc, node });
    expect(ids).not.toBeNull();
    if (!ids) return;
    // Every position has an item, and they are all this doc's.
    expect(Array.from(ids.client).every((client) => client === doc.clientID)).toBe(true);
    // A character typed later by someone else is theirs.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const heading = other.getXmlFragment(EDITOR_FRAGMENT).get(0) as Y.XmlElement;
    (heading.get(0) as Y.XmlText).insert(0, 'X');
    const after = readEditorDocument(other, schema);
    const afterIds = itemIdsByPosition({ doc: other, node: after });
    expect(afterIds?.client[1]).toBe(other.clientID); // position 1: the first character of the heading
    expect(afterIds?.client[2]).toBe(doc.clientID);
  });
});
