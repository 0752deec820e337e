// @vitest-environment jsdom
// The start page's list of documents opened in this browser.
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECENT_DOCUMENTS, loadRecentDocuments, rememberDocument } from '../../client/src/recent-documents.js';

beforeEach(() => window.localStorage.clear());

describe('recent documents', () => {
  it('puts the latest first, keeps a known title, and caps the list', () => {
    rememberDocument('first', 'Agenda', localStorage, 1);
    rememberDocument('second', null, localStorage, 2);
    rememberDocument('first', null, localStorage, 3);
    expect(loadRecentDocuments().map((d) => [d.documentId, d.title])).toEqual([
      ['first', 'Agenda'],
      ['second', ''],
    ]);
    for (let i = 0; i < 20; i++) rememberDocument(`doc${i}`, null, localStorage, 10 + i);
    expect(loadRecentDocuments()).toHaveLength(MAX_RECENT_DOCUMENTS);
    expect(loadRecentDocuments()[0]?.documentId).toBe('doc19');
  });

  it('drops entries that are not valid', () => {
    localStorage.setItem('concord.recentDocuments', JSON.stringify([{ documentId: '../etc', title: '', openedAt: 1 }, { documentId: 'ok', title: 'T', openedAt: 2 }, 5]));
    expect(loadRecentDocuments().map((d) => d.documentId)).toEqual(['ok']);
    localStorage.setItem('concord.recentDocuments', 'nonsense');
    expect(loadRecentDocuments()).toEqual([]);
  });
});
