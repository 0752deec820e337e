// @vitest-environment jsdom
// URLs of the two pages, new document ids, and reading an id out of a pasted link.
import { describe, expect, it } from 'vitest';
import { DOCUMENT_ID_PATTERN } from '../../shared/protocol.js';
import { documentIdFromInput, documentPath, navigate, newDocumentId, parseRoute, NEW_DOCUMENT_ID_LENGTH } from '../../client/src/routes.js';

describe('parseRoute', () => {
  it('knows the start page and document pages', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('/d/AbC-123_x')).toEqual({ page: 'document', documentId: 'AbC-123_x' });
    expect(parseRoute('/d/AbC-123_x/')).toEqual({ page: 'document', documentId: 'AbC-123_x' });
  });

  it('refuses ids the server would refuse, and other paths', () => {
    expect(parseRoute('/d/has%20space').page).toBe('not-found');
    expect(parseRoute('/d/' + 'a'.repeat(65)).page).toBe('not-found');
    expect(parseRoute('/d/%E0%A4%A').page).toBe('not-found');
    expect(parseRoute('/d/').page).toBe('not-found');
    expect(parseRoute('/elsewhere').page).toBe('not-found');
  });
});

describe('newDocumentId', () => {
  it('makes 12 URL-safe characters the server accepts', () => {
    for (let i = 0; i < 50; i++) {
      const id = newDocumentId();
      expect(id).toHaveLength(NEW_DOCUMENT_ID_LENGTH);
      expect(id).toMatch(DOCUMENT_ID_PATTERN);
      expect(parseRoute(documentPath(id))).toEqual({ page: 'document', documentId: id });
    }
  });

  it('maps random bytes onto the whole alphabet', () => {
    const id = newDocumentId((bytes) => bytes.map((_, i) => i * 21));
    expect(id).toBe('AVq_Up-To9Sn');
  });
});

describe('documentIdFromInput', () => {
  it('accepts a bare id, a full link, or a path', () => {
    expect(documentIdFromInput('  abc123  ')).toBe('abc123');
    expect(documentIdFromInput('https://concord.example.org/d/Xy_9-z')).toBe('Xy_9-z');
    expect(documentIdFromInput('http://127.0.0.1:8787/d/Xy_9-z?x=1#top')).toBe('Xy_9-z');
    expect(documentIdFromInput('/d/Xy_9-z')).toBe('Xy_9-z');
  });

  it('returns null for anything else', () => {
    expect(documentIdFromInput('')).toBeNull();
    expect(documentIdFromInput('not an id')).toBeNull();
    expect(documentIdFromInput('https://example.org/other/page')).toBeNull();
  });
});

describe('navigate', () => {
  it('changes the URL and tells listeners, without reloading', () => {
    let heard = 0;
    const listener = () => heard++;
    window.addEventListener('popstate', listener);
    navigate('/d/abc');
    expect(window.location.pathname).toBe('/d/abc');
    navigate('/d/abc'); // same place: nothing to do
    window.removeEventListener('popstate', listener);
    expect(heard).toBe(1);
  });
});
