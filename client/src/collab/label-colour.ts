// The text colour for a caret label or badge drawn on a person's colour. The server picks that colour
// from the person's delegation family, so the client cannot assume it is dark: it chooses black or
// white text, whichever contrasts more (WCAG 2 relative luminance), so every name stays readable.

const HEX_COLOUR = /^#([0-9a-fA-F]{6})$/;

export const DARK_TEXT = '#000000';
export const LIGHT_TEXT = '#ffffff';

/** WCAG 2 relative luminance of `#rrggbb` (0 = black, 1 = white), or null for any other form. */
export function relativeLuminance(colour: string): number | null {
  const match = HEX_COLOUR.exec(colour);
  if (!match?.[1]) return null;
  const value = Number.parseInt(match[1], 16);
  const channels = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff].map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two luminances (1 to 21). */
export function contrastRatio(a: number, b: number): number {
  const [light, dark] = a > b ? [a, b] : [b, a];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on `background`; white for a colour we cannot parse. */
export function labelTextColour(background: string): typeof DARK_TEXT | typeof LIGHT_TEXT {
  const luminance = relativeLuminance(background);
  if (luminance === null) return LIGHT_TEXT;
  return contrastRatio(luminance, 0) > contrastRatio(luminance, 1) ? DARK_TEXT : LIGHT_TEXT;
}
