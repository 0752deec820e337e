// @vitest-environment jsdom
// Other people's carets: the name label takes the stamped colour, picks readable text on it, finds
// its own direction (names may be Pashto), and never puts an unchecked string into a style.
import { describe, expect, it } from 'vitest';
import { renderCaret } from '../../client/src/editor/Editor.js';

describe('renderCaret', () => {
  it('draws the bar and label in the person’s colour with readable text', () => {
    const caret = renderCaret({ name: 'زرمینه', color: '#65a30d' });
    const label = caret.querySelector<HTMLElement>('.collaboration-carets__label');
    expect(caret.style.borderColor).toBe('rgb(101, 163, 13)');
    expect(label?.style.backgroundColor).toBe('rgb(101, 163, 13)');
    expect(label?.style.color).toBe('rgb(0, 0, 0)'); // light green: black text
    expect(label?.dir).toBe('auto');
    expect(label?.textContent).toBe('زرمینه');
    expect(renderCaret({ name: 'Amina', color: '#166534' }).querySelector<HTMLElement>('.collaboration-carets__label')?.style.color).toBe(
      'rgb(255, 255, 255)',
    );
  });

  it('falls back to grey for a colour that is not #rrggbb', () => {
    const caret = renderCaret({ name: 'x', color: 'red;background:url(evil)' });
    expect(caret.style.borderColor).toBe('rgb(107, 114, 128)');
  });
});
