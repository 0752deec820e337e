// Caret labels and badges on a delegation's colour: the text must stay readable on every colour the
// server may stamp, so black or white is chosen by WCAG contrast, never assumed.
import { describe, expect, it } from 'vitest';
import { DELEGATION_COLOURS, DELEGATIONS } from '../../shared/workspace.js';
import { DARK_TEXT, LIGHT_TEXT, contrastRatio, labelTextColour, relativeLuminance } from '../../client/src/collab/label-colour.js';

describe('labelTextColour', () => {
  it('uses white on dark colours and black on light ones', () => {
    expect(labelTextColour('#000000')).toBe(LIGHT_TEXT);
    expect(labelTextColour('#1d4ed8')).toBe(LIGHT_TEXT);
    expect(labelTextColour('#ffffff')).toBe(DARK_TEXT);
    expect(labelTextColour('#fde047')).toBe(DARK_TEXT); // yellow
    expect(labelTextColour('#65a30d')).toBe(DARK_TEXT); // Pakistan's lightest green
  });

  it('keeps at least 4.5:1 (WCAG AA for small text) on every delegation colour', () => {
    for (const delegation of DELEGATIONS) {
      for (const colour of DELEGATION_COLOURS[delegation]) {
        const background = relativeLuminance(colour)!;
        const text = relativeLuminance(labelTextColour(colour))!;
        expect(contrastRatio(background, text), `${delegation} ${colour}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('falls back to white for anything that is not #rrggbb', () => {
    expect(relativeLuminance('red')).toBeNull();
    expect(relativeLuminance('#fff')).toBeNull();
    expect(labelTextColour('url(x)')).toBe(LIGHT_TEXT);
  });

  it('measures luminance and contrast as WCAG defines them', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 5);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrastRatio(1, 0)).toBeCloseTo(21, 5);
    expect(contrastRatio(0.2, 0.2)).toBe(1);
  });
});
