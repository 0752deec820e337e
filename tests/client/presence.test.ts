// Turning awareness states into the people list.
import { describe, expect, it } from 'vitest';
import { participantsFromStates } from '../../client/src/collab/presence.js';

describe('participantsFromStates', () => {
  it('lists you first, then others by name, and skips tabs without a name', () => {
    const states = new Map<number, Record<string, unknown>>([
      [3, { user: { name: 'Zarmina', color: '#b91c1c' } }],
      [1, { user: { name: 'Bilal', color: '#1d4ed8' }, cursor: null }],
      [2, { user: { name: 'Yusuf', color: '#15803d' } }],
      [4, {}],
      [5, { user: { name: '  ', color: '#15803d' } }],
    ]);
    const people = participantsFromStates(states, 2);
    expect(people.map((p) => [p.name, p.isYou])).toEqual([
      ['Yusuf', true],
      ['Bilal', false],
      ['Zarmina', false],
    ]);
  });

  it('replaces a colour that is not #rrggbb (it would reach a style attribute)', () => {
    const states = new Map<number, Record<string, unknown>>([[1, { user: { name: 'A', color: 'red;background:url(x)' } }]]);
    expect(participantsFromStates(states, 9)[0]?.color).toBe('#6b7280');
  });

  it('reads the delegation and role the server stamped, refusing anything else', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: 'Amina', color: '#15803d', delegation: 'pk', role: 'delegate', personId: 'p1' } }],
      [2, { user: { name: 'Omar', color: '#b91c1c', delegation: 'af', role: 'observer' } }],
      [3, { user: { name: 'Old client', color: '#1d4ed8' } }],
      [4, { user: { name: 'Claims', color: '#1d4ed8', delegation: 'UN', role: 'king' } }],
    ]);
    const people = participantsFromStates(states, 9);
    expect(people.map((p) => [p.name, p.delegation, p.role])).toEqual([
      ['Amina', 'pk', 'delegate'],
      ['Claims', null, null],
      ['Old client', null, null],
      ['Omar', 'af', 'observer'],
    ]);
  });
});
