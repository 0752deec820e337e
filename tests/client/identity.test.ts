// @vitest-environment jsdom
// The remembered name and colour: what is stored, what is refused, and the colour palette's contract.
import { beforeEach, describe, expect, it } from 'vitest';
import { CARET_COLORS, cleanName, loadIdentity, randomCaretColor, saveIdentity } from '../../client/src/identity.js';

beforeEach(() => window.localStorage.clear());

/** WCAG relative luminance contrast of `hex` against white. */
function contrastWithWhite(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const [r = 0, g = 0, b = 0] = channels;
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}

describe('identity', () => {
  it('is null until chosen, then remembered', () => {
    expect(loadIdentity()).toBeNull();
    saveIdentity({ name: '  Amina   Khan ', color: '#1d4ed8' });
    expect(loadIdentity()).toEqual({ name: 'Amina Khan', color: '#1d4ed8' });
  });

  it('keeps names in any script', () => {
    saveIdentity({ name: 'ځلمی', color: '#15803d' });
    expect(loadIdentity()?.name).toBe('ځلمی');
  });

  it('refuses broken or tampered storage', () => {
    window.localStorage.setItem('concord.identity', '{not json');
    expect(loadIdentity()).toBeNull();
    window.localStorage.setItem('concord.identity', JSON.stringify({ name: 'x', color: 'red' }));
    expect(loadIdentity()).toBeNull();
    window.localStorage.setItem('concord.identity', JSON.stringify({ name: '   ', color: '#000000' }));
    expect(loadIdentity()).toBeNull();
  });

  it('cleans names', () => {
    expect(cleanName('  a \n b ')).toBe('a b');
    expect(cleanName('x'.repeat(100))).toHaveLength(40);
  });

  it('offers only caret colours that white label text is readable on', () => {
    for (const { value } of CARET_COLORS) {
      expect(value).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrastWithWhite(value)).toBeGreaterThanOrEqual(4.5);
    }
    expect(CARET_COLORS.map((c) => c.value)).toContain(randomCaretColor(() => 0.999));
    expect(randomCaretColor(() => 0)).toBe(CARET_COLORS[0]?.value);
  });
});
