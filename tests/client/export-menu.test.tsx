// @vitest-environment jsdom
// The export menu: each button fetches the export route (with the version and the Chatham House
// option), shows progress while the file renders, saves it under the server's file name, and shows
// the server's message when an export is refused.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExportMenu, fileNameOf } from '../../client/src/export/ExportMenu.js';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

function mount(element: React.ReactElement): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root?.render(element));
  return container;
}

const button = (container: HTMLElement, label: string): HTMLButtonElement =>
  [...container.querySelectorAll('button')].find((b) => b.textContent === label) as HTMLButtonElement;

describe('ExportMenu', () => {
  it('fetches a Chatham House PDF of a version, shows progress, and saves it under the server name', async () => {
    let answer: (response: Response) => void = () => {};
    const fetchMock = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetchMock);
    const save = vi.fn();
    const container = mount(<ExportMenu documentId="communique" versionId="v 1" save={save} />);
    act(() => container.querySelector<HTMLInputElement>('input[type=checkbox]')?.click());
    act(() => button(container, 'PDF').click());
    expect(fetchMock).toHaveBeenCalledWith('/api/documents/communique/export?format=pdf&version=v+1&attribution=none', { credentials: 'same-origin' });
    expect(container.querySelector('[role=status]')?.textContent).toBe('Rendering PDF…');
    expect(button(container, 'DOCX').disabled).toBe(true);
    await act(async () => {
      answer(new Response('%PDF-', { status: 200, headers: { 'content-disposition': `attachment; filename="x.pdf"; filename*=UTF-8''${encodeURIComponent('بیانیه-v1-agreed.pdf')}` } }));
      for (let i = 0; i < 10 && save.mock.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    });
    expect(save).toHaveBeenCalledWith(expect.anything(), 'بیانیه-v1-agreed.pdf');
    expect(container.querySelector('[role=status]')?.textContent).toBe('Saved بیانیه-v1-agreed.pdf');
    expect(button(container, 'DOCX').disabled).toBe(false);
  });

  it('shows the server message when the export is refused', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(Response.json({ error: { code: 'export_unavailable', message: 'PDF export needs Chromium' } }, { status: 503 }))));
    const save = vi.fn();
    const container = mount(<ExportMenu documentId="communique" save={save} />);
    await act(async () => {
      button(container, 'PDF').click();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(container.querySelector('[role=alert]')?.textContent).toBe('PDF export needs Chromium');
    expect(save).not.toHaveBeenCalled();
  });

  it('reads plain and RFC 5987 file names', () => {
    expect(fileNameOf('attachment; filename="a.md"', 'f')).toBe('a.md');
    expect(fileNameOf(null, 'f')).toBe('f');
  });
});
