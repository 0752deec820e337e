// @vitest-environment jsdom
// Which Arabic-script language a paragraph is marked with, and that the editor renders the mark
// (lang) and the per-block direction (dir="auto") without writing either guess into the document.
import { afterEach, describe, expect, it } from 'vitest';
import { Editor } from '@tiptap/core';
import scripts from '../fixtures/scripts.json';
import { editorSchemaExtensions } from '../../shared/editor-extensions.js';
import { ScriptLanguage, detectArabicScriptLanguage, firstStrongDirection } from '../../client/src/editor/script-language.js';

function sample(lang: string): string {
  const found = scripts.samples.find((s) => s.lang === lang);
  if (!found) throw new Error(`no ${lang} sample in tests/fixtures/scripts.json`);
  return found.text;
}

describe('detectArabicScriptLanguage', () => {
  it('recognises the team samples', () => {
    expect(detectArabicScriptLanguage(sample('ur'))).toBe('ur');
    expect(detectArabicScriptLanguage(sample('ps'))).toBe('ps');
    expect(detectArabicScriptLanguage(sample('fa-AF'))).toBe('fa');
    expect(detectArabicScriptLanguage(sample('en'))).toBeNull();
  });

  it('leaves an English sentence with a short Dari quote English', () => {
    expect(detectArabicScriptLanguage(sample('mixed'))).toBeNull();
  });

  it('uses the letters each language has of its own', () => {
    expect(detectArabicScriptLanguage('بڑا')).toBe('ur'); // ڑ
    expect(detectArabicScriptLanguage('ټول')).toBe('ps'); // ټ
    expect(detectArabicScriptLanguage('ښه')).toBe('ps'); // ښ
    expect(detectArabicScriptLanguage('کتاب')).toBe('fa'); // shared letters only
  });

  it('ignores text without Arabic letters (digits, punctuation, empty)', () => {
    expect(detectArabicScriptLanguage('')).toBeNull();
    expect(detectArabicScriptLanguage('14:30 — ۱۴۰۳')).toBeNull();
  });
});

describe('ScriptLanguage in the editor', () => {
  let editor: Editor | null = null;
  afterEach(() => {
    editor?.destroy();
    editor = null;
  });

  function makeEditor(paragraphs: string[]): Editor {
    const element = document.createElement('div');
    document.body.append(element);
    editor = new Editor({
      element,
      extensions: [...editorSchemaExtensions(), ScriptLanguage],
      enableCoreExtensions: { textDirection: false },
      content: {
        type: 'doc',
        content: paragraphs.map((text) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] })),
      },
    });
    return editor;
  }

  it('marks each paragraph with its language and lets each find its own direction', () => {
    const e = makeEditor([sample('en'), sample('ur'), sample('fa-AF'), sample('ps'), sample('mixed')]);
    const paragraphs = Array.from(e.view.dom.querySelectorAll('p'));
    expect(paragraphs.map((p) => p.getAttribute('lang'))).toEqual([null, 'ur', 'fa', 'ps', null]);
    expect(paragraphs.every((p) => p.getAttribute('dir') === 'auto')).toBe(true);
  });

  it('keeps the zero-width non-joiner and the Pashto letters exactly', () => {
    const e = makeEditor([sample('fa-AF'), sample('ps')]);
    const texts = Array.from(e.view.dom.querySelectorAll('p'), (p) => p.textContent);
    expect(texts).toEqual([sample('fa-AF'), sample('ps')]);
    expect(texts[0]).toContain('\u200c');
  });

  it('updates the mark as a paragraph is retyped in another language', () => {
    const e = makeEditor(['']);
    e.commands.insertContent(sample('ps'));
    expect(e.view.dom.querySelector('p')?.getAttribute('lang')).toBe('ps');
    e.commands.setContent({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: sample('ur') }] }] });
    expect(e.view.dom.querySelector('p')?.getAttribute('lang')).toBe('ur');
  });

  it('stores direction in the document but never the language guess', () => {
    const e = makeEditor([sample('ur')]);
    const json = e.getJSON();
    expect(json.content?.[0]?.attrs).toEqual({ dir: 'auto' });
    expect(JSON.stringify(json)).not.toContain('"lang"');
  });
});

describe('direction of lists and quotes', () => {
  let editor: Editor | null = null;
  afterEach(() => {
    editor?.destroy();
    editor = null;
  });

  const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
  const item = (text: string) => ({ type: 'listItem', content: [paragraph(text)] });

  it('follows the first words of each item and quote (the browser would say ltr for all)', () => {
    const element = document.createElement('div');
    document.body.append(element);
    editor = new Editor({
      element,
      extensions: [...editorSchemaExtensions(), ScriptLanguage],
      enableCoreExtensions: { textDirection: false },
      content: {
        type: 'doc',
        content: [
          { type: 'bulletList', content: [item(sample('ps')), item(sample('en'))] },
          { type: 'blockquote', content: [paragraph(sample('ur'))] },
          { type: 'orderedList', content: [item(sample('en'))] },
        ],
      },
    });
    const dom = editor.view.dom;
    expect(dom.querySelector('ul')?.getAttribute('dir')).toBe('rtl');
    expect(Array.from(dom.querySelectorAll('li'), (li) => li.getAttribute('dir'))).toEqual(['rtl', 'ltr', 'ltr']);
    expect(dom.querySelector('blockquote')?.getAttribute('dir')).toBe('rtl');
    expect(dom.querySelector('ol')?.getAttribute('dir')).toBe('ltr');
    // Paragraphs keep resolving their own direction.
    expect(Array.from(dom.querySelectorAll('p'), (p) => p.getAttribute('dir'))).toEqual(['auto', 'auto', 'auto', 'auto']);
    // And none of it is stored.
    expect(JSON.stringify(editor.getJSON())).not.toMatch(/"dir":"(rtl|ltr)"/);
  });
});

describe('firstStrongDirection', () => {
  it('skips digits, punctuation and spaces like the bidi algorithm does', () => {
    expect(firstStrongDirection('14:30 — (توصیه‌های) PKT')).toBe('rtl');
    expect(firstStrongDirection('3. Article')).toBe('ltr');
    expect(firstStrongDirection('۱۴۰۳ ')).toBeNull();
    expect(firstStrongDirection('')).toBeNull();
  });
});
