// @vitest-environment jsdom
// The toolbar as a keyboard and screen-reader user meets it: names, shortcuts, pressed states,
// one tab stop with arrow keys, and undo that follows the Yjs undo manager.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import * as Y from 'yjs';
import { Editor } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { editorSchemaExtensions } from '../../shared/editor-extensions.js';
import { EDITOR_FRAGMENT } from '../../shared/protocol.js';
import { Toolbar, ariaShortcut, shortcutLabel } from '../../client/src/editor/Toolbar.js';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | null = null;
let editor: Editor | null = null;
afterEach(() => {
  act(() => root?.unmount());
  editor?.destroy();
  root = null;
  editor = null;
  document.body.innerHTML = '';
});

function renderToolbar(disabled = false) {
  const element = document.createElement('div');
  document.body.append(element);
  editor = new Editor({
    element,
    extensions: [...editorSchemaExtensions(), Collaboration.configure({ document: new Y.Doc(), field: EDITOR_FRAGMENT })],
    enableCoreExtensions: { textDirection: false },
  });
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  const e = editor;
  act(() => root?.render(<Toolbar editor={e as never} disabled={disabled} />));
  const button = (name: string) => {
    const found = container.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);
    if (!found) throw new Error(`no button named ${name}`);
    return found;
  };
  return { editor: e, container, button };
}

describe('Toolbar', () => {
  it('names every control, with its shortcut in the title', () => {
    const { container } = renderToolbar();
    const toolbar = container.querySelector('[role="toolbar"]');
    expect(toolbar?.getAttribute('aria-label')).toBe('Formatting');
    const names = Array.from(container.querySelectorAll('button'), (b) => b.getAttribute('aria-label'));
    expect(names).toEqual([
      'Normal text',
      'Heading 1',
      'Heading 2',
      'Heading 3',
      'Bold',
      'Italic',
      'Underline',
      'Bulleted list',
      'Numbered list',
      'Quote',
      'Undo your last change',
      'Redo your last undone change',
    ]);
    for (const b of container.querySelectorAll('button')) expect(b.title).toMatch(/\((Ctrl|⌘)\+.+\)$/);
  });

  it('shows pressed state for marks and blocks', () => {
    const { editor: e, button } = renderToolbar();
    expect(button('Bold').getAttribute('aria-pressed')).toBe('false');
    act(() => {
      e.commands.insertContent('Joint statement');
      e.commands.selectAll();
    });
    act(() => button('Bold').click());
    expect(button('Bold').getAttribute('aria-pressed')).toBe('true');
    act(() => button('Heading 2').click());
    expect(button('Heading 2').getAttribute('aria-pressed')).toBe('true');
    expect(button('Normal text').getAttribute('aria-pressed')).toBe('false');
    expect(e.getHTML()).toContain('<h2 dir="auto"><strong>Joint statement</strong></h2>');
  });

  it('offers undo only when there is something of yours to undo, and it undoes it', () => {
    const { editor: e, button } = renderToolbar();
    expect(button('Undo your last change').getAttribute('aria-disabled')).toBe('true');
    expect(button('Undo your last change').hasAttribute('aria-pressed')).toBe(false);
    act(() => {
      e.commands.insertContent('draft');
    });
    expect(button('Undo your last change').getAttribute('aria-disabled')).toBe('false');
    act(() => button('Undo your last change').click());
    expect(e.getText()).toBe('');
    expect(button('Redo your last undone change').getAttribute('aria-disabled')).toBe('false');
  });

  it('is one tab stop; arrow keys, Home and End move between buttons', () => {
    const { container, button } = renderToolbar();
    const tabbable = () => Array.from(container.querySelectorAll('button')).filter((b) => b.tabIndex === 0);
    expect(tabbable().map((b) => b.getAttribute('aria-label'))).toEqual(['Normal text']);
    const toolbar = container.querySelector('[role="toolbar"]') as HTMLElement;
    act(() => button('Normal text').focus());
    act(() => {
      toolbar.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Heading 1');
    act(() => {
      toolbar.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Redo your last undone change');
    act(() => {
      toolbar.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Normal text');
    expect(tabbable()).toHaveLength(1);
  });
});

describe('Toolbar of a read-only document', () => {
  it('keeps every button focusable but disabled, and a click changes nothing', () => {
    const { editor: e, container, button } = renderToolbar(true);
    act(() => {
      e.commands.insertContent('Agreed text');
    });
    const buttons = Array.from(container.querySelectorAll('button'));
    expect(buttons.every((b) => b.getAttribute('aria-disabled') === 'true')).toBe(true);
    expect(buttons.some((b) => b.disabled)).toBe(false);
    act(() => button('Heading 1').click());
    expect(e.isActive('heading')).toBe(false);
    expect(container.querySelector('[role="toolbar"]')?.getAttribute('aria-disabled')).toBe('true');
  });
});

describe('shortcut labels', () => {
  it('spells shortcuts for people and for aria-keyshortcuts', () => {
    expect(shortcutLabel('Mod-Shift-8', false)).toBe('Ctrl+Shift+8');
    expect(shortcutLabel('Mod-Alt-1', true)).toBe('⌘+Option+1');
    expect(ariaShortcut('Mod-Shift-8', false)).toBe('Control+Shift+8');
    expect(ariaShortcut('Mod-Z', true)).toBe('Meta+Z');
  });
});
