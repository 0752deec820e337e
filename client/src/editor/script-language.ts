// Script-aware rendering of blocks, as decorations only (nothing is written to the document, so a
// guess never becomes shared state; each editor makes its own):
// - each Arabic-script paragraph gets the language it is most likely written in (`lang="ur"`, `"ps"`
//   or `"fa"`) so CSS picks the right typeface (Nastaliq for Urdu, Naskh for Dari and Pashto) and
//   screen readers the right voice;
// - each list, list item and quote gets the direction of its first words. Browsers resolve
//   `dir="auto"` on such containers while skipping children that carry their own `dir`, which every
//   paragraph does, so a Pashto list item would otherwise keep its bullet on the left.
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

export type ArabicScriptLanguage = 'ur' | 'ps' | 'fa';

/** Letters Urdu uses and Dari and Pashto do not: ے ٹ ڈ ڑ ں ھ. */
const URDU_LETTERS = /[\u06D2\u0679\u0688\u0691\u06BA\u06BE]/g;
/** Letters Pashto uses and Urdu and Dari do not: ځ څ ګ ښ ۍ ې ټ ډ ړ ږ ڼ. */
const PASHTO_LETTERS = /[\u0681\u0685\u06AB\u069A\u06CD\u06D0\u067C\u0689\u0693\u0696\u06BC]/g;
/** Letters of the Arabic script blocks (not digits or punctuation, which say nothing of direction). */
const ARABIC_SCRIPT_LETTERS = /[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFC]/g;
const LATIN_LETTERS = /[A-Za-z\u00C0-\u024F]/g;

function count(text: string, letters: RegExp): number {
  return text.match(letters)?.length ?? 0;
}

/**
 * The language of a paragraph when it is mostly Arabic script, else null (the page's English).
 * Urdu and Pashto each have letters of their own; Arabic script with neither is taken as Dari.
 * A short Arabic-script quote inside an English sentence leaves the sentence English.
 */
export function detectArabicScriptLanguage(text: string): ArabicScriptLanguage | null {
  const arabic = count(text, ARABIC_SCRIPT_LETTERS);
  if (arabic === 0 || arabic <= count(text, LATIN_LETTERS)) return null;
  const urdu = count(text, URDU_LETTERS);
  const pashto = count(text, PASHTO_LETTERS);
  if (urdu === 0 && pashto === 0) return 'fa';
  return urdu >= pashto ? 'ur' : 'ps';
}

const RIGHT_TO_LEFT_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const ANY_LETTER = /\p{L}/u;

/** The direction of the first letter in `text` (what `dir="auto"` would choose), or null if none. */
export function firstStrongDirection(text: string): 'rtl' | 'ltr' | null {
  for (const char of text) {
    if (!ANY_LETTER.test(char)) continue;
    return RIGHT_TO_LEFT_LETTER.test(char) ? 'rtl' : 'ltr';
  }
  return null;
}

export const scriptLanguagePluginKey = new PluginKey<DecorationSet>('scriptLanguage');

/**
 * What a block is decorated with. Nodes keep their object while nobody edits them (Yjs re-renders
 * reuse them too), so a per-node cache keeps recomputation to the blocks that actually changed.
 */
type BlockAttrs = { lang: ArabicScriptLanguage } | { dir: 'rtl' | 'ltr' } | null;

function blockAttrs(node: ProseMirrorNode): BlockAttrs {
  if (node.isTextblock) {
    const language = detectArabicScriptLanguage(node.textContent);
    return language === null ? null : { lang: language };
  }
  // Only containers left at "auto": an explicit direction someone chose stays as it is. An empty
  // container still gets 'ltr', so the attribute is replaced, never removed (which would drop the
  // node's own dir="auto" from the DOM as well).
  if (node.attrs['dir'] !== 'auto') return null;
  return { dir: firstStrongDirection(node.textContent) ?? 'ltr' };
}

function blockDecorations(doc: ProseMirrorNode, cache: WeakMap<ProseMirrorNode, BlockAttrs>): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (!node.isBlock) return false;
    let attrs = cache.get(node);
    if (attrs === undefined) {
      attrs = blockAttrs(node);
      cache.set(node, attrs);
    }
    if (attrs !== null) decorations.push(Decoration.node(pos, pos + node.nodeSize, attrs));
    // Text blocks hold only inline content; containers hold blocks to visit.
    return !node.isTextblock;
  });
  return DecorationSet.create(doc, decorations);
}

export function scriptLanguagePlugin(): Plugin<DecorationSet> {
  const cache = new WeakMap<ProseMirrorNode, BlockAttrs>();
  return new Plugin<DecorationSet>({
    key: scriptLanguagePluginKey,
    state: {
      init: (_config, state) => blockDecorations(state.doc, cache),
      apply: (tr, previous) => (tr.docChanged ? blockDecorations(tr.doc, cache) : previous),
    },
    props: {
      decorations: (state) => scriptLanguagePluginKey.getState(state),
    },
  });
}

export const ScriptLanguage = Extension.create({
  name: 'scriptLanguage',
  addProseMirrorPlugins() {
    return [scriptLanguagePlugin()];
  },
});
