// The formatting toolbar: block types, marks, lists, quote, and undo/redo of your own changes.
// One tab stop with arrow-key movement inside (the WAI-ARIA toolbar pattern), so keyboard users
// reach the document quickly; every button says what it does and its shortcut.
import { useRef, useState, type KeyboardEvent } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import type { ChainedCommands } from '@tiptap/core';

const isApple = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** `Mod-Shift-8` → `Ctrl+Shift+8` (or `⌘+Shift+8` on Apple keyboards). */
export function shortcutLabel(shortcut: string, apple: boolean = isApple): string {
  return shortcut
    .split('-')
    .map((key) => (key === 'Mod' ? (apple ? '⌘' : 'Ctrl') : key === 'Alt' && apple ? 'Option' : key))
    .join('+');
}

/** `Mod-Shift-8` → `Control+Shift+8`, the form aria-keyshortcuts expects. */
export function ariaShortcut(shortcut: string, apple: boolean = isApple): string {
  return shortcut
    .split('-')
    .map((key) => (key === 'Mod' ? (apple ? 'Meta' : 'Control') : key))
    .join('+');
}

interface ToolbarAction {
  id: string;
  /** Visible text: short, since the accessible name is `label`. */
  glyph: string;
  label: string;
  shortcut: string;
  /** Toggle buttons report their state with aria-pressed; commands (undo) do not have one. */
  isActive?: (editor: Editor) => boolean;
  canRun?: (editor: Editor) => boolean;
  run: (chain: ChainedCommands) => ChainedCommands;
  /** Starts a visual group (a separator before it). */
  groupStart?: boolean;
}

const ACTIONS: readonly ToolbarAction[] = [
  { id: 'paragraph', glyph: '¶', label: 'Normal text', shortcut: 'Mod-Alt-0', isActive: (e) => e.isActive('paragraph'), run: (c) => c.setParagraph() },
  { id: 'heading-1', glyph: 'H1', label: 'Heading 1', shortcut: 'Mod-Alt-1', isActive: (e) => e.isActive('heading', { level: 1 }), run: (c) => c.toggleHeading({ level: 1 }) },
  { id: 'heading-2', glyph: 'H2', label: 'Heading 2', shortcut: 'Mod-Alt-2', isActive: (e) => e.isActive('heading', { level: 2 }), run: (c) => c.toggleHeading({ level: 2 }) },
  { id: 'heading-3', glyph: 'H3', label: 'Heading 3', shortcut: 'Mod-Alt-3', isActive: (e) => e.isActive('heading', { level: 3 }), run: (c) => c.toggleHeading({ level: 3 }) },
  { id: 'bold', glyph: 'B', label: 'Bold', shortcut: 'Mod-B', isActive: (e) => e.isActive('bold'), run: (c) => c.toggleBold(), groupStart: true },
  { id: 'italic', glyph: 'I', label: 'Italic', shortcut: 'Mod-I', isActive: (e) => e.isActive('italic'), run: (c) => c.toggleItalic() },
  { id: 'underline', glyph: 'U', label: 'Underline', shortcut: 'Mod-U', isActive: (e) => e.isActive('underline'), run: (c) => c.toggleUnderline() },
  { id: 'bullet-list', glyph: '•', label: 'Bulleted list', shortcut: 'Mod-Shift-8', isActive: (e) => e.isActive('bulletList'), run: (c) => c.toggleBulletList(), groupStart: true },
  { id: 'ordered-list', glyph: '1.', label: 'Numbered list', shortcut: 'Mod-Shift-7', isActive: (e) => e.isActive('orderedList'), run: (c) => c.toggleOrderedList() },
  { id: 'blockquote', glyph: '❝', label: 'Quote', shortcut: 'Mod-Shift-B', isActive: (e) => e.isActive('blockquote'), run: (c) => c.toggleBlockquote() },
  { id: 'undo', glyph: '↶', label: 'Undo your last change', shortcut: 'Mod-Z', canRun: (e) => e.can().undo(), run: (c) => c.undo(), groupStart: true },
  { id: 'redo', glyph: '↷', label: 'Redo your last undone change', shortcut: isApple ? 'Mod-Shift-Z' : 'Mod-Y', canRun: (e) => e.can().redo(), run: (c) => c.redo() },
];

/** `disabled`: the document is read-only for you; every button stays focusable but does nothing. */
export function Toolbar({ editor, disabled = false }: { editor: Editor; disabled?: boolean }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      ACTIONS.map((action) => ({
        active: action.isActive ? action.isActive(e) : null,
        enabled: e.isEditable && (action.canRun ? action.canRun(e) : true),
      })),
  });
  const [focusIndex, setFocusIndex] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  function moveFocus(index: number): void {
    const next = (index + ACTIONS.length) % ACTIONS.length;
    setFocusIndex(next);
    buttons.current[next]?.focus();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    // Arrows follow the page's direction (the UI is left-to-right).
    const moves: Record<string, number> = { ArrowRight: focusIndex + 1, ArrowLeft: focusIndex - 1, Home: 0, End: ACTIONS.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    moveFocus(target);
  }

  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label="Formatting"
      aria-controls="document-text"
      aria-disabled={disabled || undefined}
      onKeyDown={handleKeyDown}
    >
      {ACTIONS.map((action, index) => {
        const { active, enabled: canRun } = state[index] ?? { active: null, enabled: false };
        const enabled = canRun && !disabled;
        const shortcut = shortcutLabel(action.shortcut);
        return (
          <button
            key={action.id}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            className={`toolbar-button toolbar-button--${action.id}${action.groupStart ? ' toolbar-button--group-start' : ''}`}
            aria-label={action.label}
            aria-keyshortcuts={ariaShortcut(action.shortcut)}
            title={`${action.label} (${shortcut})`}
            aria-pressed={active === null ? undefined : active}
            // aria-disabled keeps the button focusable, so arrow keys never skip over it.
            aria-disabled={!enabled}
            tabIndex={index === focusIndex ? 0 : -1}
            onFocus={() => setFocusIndex(index)}
            // Keep the editor's selection: a click must format the text, not move focus away from it.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              if (!enabled) return;
              action.run(editor.chain().focus()).run();
            }}
          >
            <span aria-hidden="true">{action.glyph}</span>
          </button>
        );
      })}
    </div>
  );
}
