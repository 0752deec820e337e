// Who this browser's user is to the others: a display name and a caret colour, asked once and kept in
// localStorage. Not authentication; it is what appears beside your caret and in the people list.

export interface Identity {
  name: string;
  /** `#rrggbb`: the caret extension ignores any other form. */
  color: string;
}

export interface CaretColor {
  value: string;
  /** Spoken name for the colour picker, since a swatch alone says nothing to a screen reader. */
  label: string;
}

/**
 * Colours dark enough for white caret labels to stay readable (contrast ≥ 4.5:1 with white)
 * and far enough apart to tell people's carets apart at a glance.
 */
export const CARET_COLORS: readonly CaretColor[] = [
  { value: '#1d4ed8', label: 'Blue' },
  { value: '#b91c1c', label: 'Red' },
  { value: '#15803d', label: 'Green' },
  { value: '#7e22ce', label: 'Purple' },
  { value: '#c2410c', label: 'Orange' },
  { value: '#0f766e', label: 'Teal' },
  { value: '#be185d', label: 'Pink' },
  { value: '#4d5b13', label: 'Olive' },
];

export const MAX_NAME_LENGTH = 40;
const STORAGE_KEY = 'concord.identity';

function isColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

/** Trims, collapses inner whitespace and caps the length; returns '' for a blank name. */
export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export function randomCaretColor(random: () => number = Math.random): string {
  const index = Math.floor(random() * CARET_COLORS.length) % CARET_COLORS.length;
  return (CARET_COLORS[index] ?? CARET_COLORS[0]!).value;
}

/** The stored identity, or null when the user has not chosen one yet (or storage is unusable). */
export function loadIdentity(storage: Storage = window.localStorage): Identity | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { name, color } = parsed as Record<string, unknown>;
    if (typeof name !== 'string' || cleanName(name) === '' || !isColor(color)) return null;
    return { name: cleanName(name), color };
  } catch {
    return null;
  }
}

export function saveIdentity(identity: Identity, storage: Storage = window.localStorage): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify({ name: cleanName(identity.name), color: identity.color }));
  } catch {
    // Private windows may refuse storage; the identity still holds for this page's lifetime.
  }
}
