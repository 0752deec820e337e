// Helpers for the version-history tests (tests/server/versions*.test.ts): JSON API calls, people with
// roles and delegations, signatories, and clients that edit the shared XmlFragment the way the
// editor's y-prosemirror binding does (updateYFragment from ProseMirror JSON) over real websockets.
import { getSchema } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { expect, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { editorSchemaExtensions } from '../../shared/editor-extensions.js';
import { COLLAB_PATH, EDITOR_FRAGMENT } from '../../shared/protocol.js';
import type { Delegation, Role } from '../../shared/workspace.js';
import { waitForProviderSync } from '../helpers/provider.js';
import { ensureDocument, organiserToken, signIn } from '../helpers/test-access.js';
import type { TestServer } from '../helpers/test-server.js';

export const schema = getSchema(editorSchemaExtensions());

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function api<T = Record<string, unknown>>(
  server: { url: string },
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // plain text answers (…/text) stay strings
  }
  return { status: response.status, body: parsed as T };
}

export interface TestPerson {
  token: string;
  id: string;
  name: string;
}

/** Invites someone into `groupId` through the real API and signs them in. */
export async function invite(server: TestServer, role: Role, groupId: string | null, delegation: Delegation, name: string): Promise<TestPerson> {
  const organiser = await organiserToken(server.url);
  const created = await api(server, organiser, 'POST', '/invitations', { role, groupId, delegation });
  expect(created.status).toBe(201);
  const token = await signIn(server.url, created.body['code'] as string, name);
  const me = await api(server, token, 'GET', '/me');
  return { token, id: me.body['id'] as string, name };
}

export async function makeSignatory(server: TestServer, groupId: string, delegation: 'pk' | 'af', personId: string): Promise<void> {
  const answer = await api(server, await organiserToken(server.url), 'PUT', `/groups/${groupId}/signatories`, { delegation, personId });
  expect(answer.status).toBe(200);
}

/** A stock WebsocketProvider for `docId` with someone's session, destroyed when the test ends. */
export async function connectAs(server: TestServer, docId: string, token: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  await ensureDocument(server.url, docId);
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + COLLAB_PATH, docId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  onTestFinished(() => {
    provider.destroy();
    doc.destroy();
  });
  await waitForProviderSync(provider);
  return { doc, provider };
}

export type Block = string | { type: string; text: string; attrs?: Record<string, unknown> };

export function docJson(blocks: readonly Block[]): Record<string, unknown> {
  return {
    type: 'doc',
    content: blocks.map((block) => {
      const { type, text, attrs } = typeof block === 'string' ? { type: 'paragraph', text: block, attrs: undefined } : block;
      return { type, ...(attrs ? { attrs } : {}), content: text ? [{ type: 'text', text }] : [] };
    }),
  };
}

export function pmDoc(blocks: readonly Block[]): ProseMirrorNode {
  return schema.nodeFromJSON(docJson(blocks));
}

/** Makes the doc's editor content `blocks`, with the same minimal edit the editor binding would make. */
export function setBlocks(doc: Y.Doc, blocks: readonly Block[]): void {
  updateYFragment(doc, doc.getXmlFragment(EDITOR_FRAGMENT), pmDoc(blocks), { mapping: new Map(), isOMark: new Map() });
}

/** Types `text` into block `index` at `offset` (as a keystroke run in the editor would). */
export function typeInto(doc: Y.Doc, index: number, offset: number, text: string): void {
  const block = doc.getXmlFragment(EDITOR_FRAGMENT).get(index);
  if (!(block instanceof Y.XmlElement)) throw new Error(`no block ${index}`);
  const first = block.get(0);
  if (first instanceof Y.XmlText) {
    first.insert(offset, text);
  } else {
    const created = new Y.XmlText();
    created.insert(0, text);
    block.insert(0, [created]);
  }
}

/** The text of each block of the doc's editor content (read on a copy, as the server does). */
export function blockTexts(doc: Y.Doc): string[] {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const node = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(EDITOR_FRAGMENT), schema);
  copy.destroy();
  const texts: string[] = [];
  node.forEach((child) => texts.push(child.textContent));
  return texts;
}
