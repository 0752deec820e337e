// @vitest-environment jsdom
// URLs of the pages, and reading a document id or an invitation code out of a pasted link.
import { describe, expect, it } from 'vitest';
import { documentIdFromInput, documentPath, invitationCodeFromInput, joinPath, navigate, parseRoute } from '../../client/src/routes.js';

describe('parseRoute', () => {
  it('knows the start page and document pages', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute(documentPath('AbC-123_x'))).toEqual({ page: 'document', documentId: 'AbC-123_x' });
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

describe('invitation links', () => {
  it('reads /join/<code> as the join page, and refuses codes the server never makes', () => {
    expect(parseRoute('/join/Abc123_-xyzXYZ987654321')).toEqual({ page: 'join', code: 'Abc123_-xyzXYZ987654321' });
    expect(parseRoute('/join/Abc123_-xyzXYZ987654321/')).toEqual({ page: 'join', code: 'Abc123_-xyzXYZ987654321' });
    expect(parseRoute(joinPath('Abc123_-xyzXYZ987654321'))).toEqual({ page: 'join', code: 'Abc123_-xyzXYZ987654321' });
    expect(parseRoute('/join/short').page).toBe('not-found');
    expect(parseRoute('/join/has%20a%20space').page).toBe('not-found');
    expect(parseRoute('/join/').page).toBe('not-found');
  });

  it('takes a code out of whatever was pasted: a full link from another host, a path, or the bare code', () => {
    expect(invitationCodeFromInput(' https://concord.example.org/join/Abc123_-xyzXYZ987654321 ')).toBe('Abc123_-xyzXYZ987654321');
    expect(invitationCodeFromInput('http://10.0.0.5:8787/join/Abc123_-xyzXYZ987654321?utm=chat')).toBe('Abc123_-xyzXYZ987654321');
    expect(invitationCodeFromInput('/join/Abc123_-xyzXYZ987654321')).toBe('Abc123_-xyzXYZ987654321');
    expect(invitationCodeFromInput('Abc123_-xyzXYZ987654321')).toBe('Abc123_-xyzXYZ987654321');
  });

  it('returns null for a document link or text that is no code', () => {
    expect(invitationCodeFromInput('')).toBeNull();
    expect(invitationCodeFromInput('https://concord.example.org/d/Abc123_-xyz')).toBeNull();
    expect(invitationCodeFromInput('please let me in')).toBeNull();
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
