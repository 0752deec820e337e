// @vitest-environment jsdom
// The versions panel's pieces: times in the viewer's and the meeting's zone, compare spans that say
// inserted/deleted and by whom in text (not colour alone), right-to-left blocks, and which sign-off
// buttons each person is offered.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { DiffBlock, SignOffView, VersionSummary } from '../../shared/versions.js';
import { DiffBlockView, DiffSpanView, describeSpan, summaryText } from '../../client/src/versions/DiffView.js';
import { SignOffSection } from '../../client/src/versions/SignOffSection.js';
import { signOffControls } from '../../client/src/versions/sign-off-controls.js';
import { formatTwoZones, zoneAbbreviation } from '../../client/src/versions/version-time.js';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
});

function render(node: React.ReactNode): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root?.render(node));
  return container;
}

describe('times in both zones', () => {
  const at = '2025-03-12T09:05:00.000Z';

  it('shows the viewer’s time and the meeting’s, named by the region’s abbreviations', () => {
    expect(formatTwoZones(at, 'Asia/Karachi', 'Asia/Kabul').text).toBe('12 Mar, 13:35 your time · 14:05 PKT');
    expect(formatTwoZones(at, 'Asia/Kabul', 'Asia/Karachi').text).toBe('12 Mar, 14:05 your time · 13:35 AFT');
    expect(formatTwoZones(at, 'Asia/Kabul', 'Europe/Berlin').meeting).toBe('13:35 AFT');
  });

  it('shows one time when the viewer is in the meeting’s zone, or the meeting has none', () => {
    expect(formatTwoZones(at, 'Asia/Karachi', 'Asia/Karachi')).toEqual({ text: '12 Mar, 14:05 PKT', yours: '12 Mar, 14:05', meeting: null });
    expect(formatTwoZones(at, null, 'UTC').text).toBe('12 Mar, 09:05 UTC');
    expect(formatTwoZones(at, 'Not/AZone', 'UTC').meeting).toBeNull();
  });

  it('adds the meeting’s date when it is another day there', () => {
    expect(formatTwoZones('2025-03-12T21:00:00.000Z', 'Asia/Karachi', 'UTC').text).toBe('12 Mar, 21:00 your time · 13 Mar, 02:00 PKT');
  });

  it('falls back to Intl’s zone name for zones it has no abbreviation for', () => {
    expect(zoneAbbreviation('Europe/Berlin', new Date(at))).toBe('CET');
  });
});

describe('compare spans', () => {
  it('marks an insertion with <ins>, its delegation in a tooltip, a tag and hidden words', () => {
    const container = render(<DiffSpanView span={{ type: 'insert', text: 'Saturdays', delegation: 'pk', author: 'Amina' }} />);
    const ins = container.querySelector('ins');
    expect(ins?.title).toBe('Inserted by Pakistan (Amina)');
    expect(ins?.querySelector('.visually-hidden')?.textContent).toBe('[inserted by Pakistan (Amina): ');
    expect(ins?.querySelector('.diff-who')?.textContent).toBe('PK');
    expect(ins?.className).toContain('diff-change--insert');
  });

  it('marks a deletion with <del>; an unknown author is said to be unknown by saying nothing false', () => {
    const container = render(<DiffSpanView span={{ type: 'delete', text: 'Fridays' }} />);
    const del = container.querySelector('del');
    expect(del?.title).toBe('Deleted');
    expect(del?.textContent).toBe('[deleted: Fridays]');
    expect(del?.querySelector('.diff-who')).toBeNull();
    expect(describeSpan({ type: 'delete', text: 'x', delegation: 'af' })).toBe('deleted by Afghanistan');
  });

  it('renders unchanged text as plain text', () => {
    const container = render(<DiffSpanView span={{ type: 'same', text: 'The border ' }} />);
    expect(container.innerHTML).toBe('The border ');
  });

  it('gives every block dir="auto" and the language its letters say, so Urdu and Pashto read right-to-left', () => {
    const block = (text: string): DiffBlock => ({ node: 'paragraph', attrs: {}, path: [], change: 'same', spans: [{ type: 'same', text }] });
    const urdu = render(<DiffBlockView block={block('سرحدی گزرگاہیں جمعہ کو کھلی رہیں گی')} />).querySelector('p');
    expect(urdu?.getAttribute('dir')).toBe('auto');
    expect(urdu?.getAttribute('lang')).toBe('ur');
    act(() => root?.unmount());
    const english = render(<DiffBlockView block={block('Border crossings')} />).querySelector('p');
    expect(english?.getAttribute('dir')).toBe('auto');
    expect(english?.hasAttribute('lang')).toBe(false);
  });

  it('says a new block is new in words', () => {
    const container = render(
      <DiffBlockView block={{ node: 'heading', attrs: { level: 2 }, path: [], change: 'inserted', spans: [{ type: 'insert', text: 'Trade', delegation: 'af' }] }} />,
    );
    const p = container.querySelector('p');
    expect(p?.className).toContain('diff-block--inserted');
    expect(p?.className).toContain('diff-block--h2');
    expect(p?.textContent).toBe('New block: [inserted by Afghanistan: Trade]AF');
  });

  it('summarises the counts', () => {
    expect(summaryText({ insertedCharacters: 0, deletedCharacters: 0, insertions: 0, deletions: 0, byDelegation: {} })).toBe('No differences.');
    expect(summaryText({ insertedCharacters: 13, deletedCharacters: 1, insertions: 2, deletions: 1, byDelegation: {} })).toBe(
      '13 characters inserted (2 places), 1 character deleted (1 place).',
    );
  });
});

const HASH = 'a'.repeat(64);
const amina = { id: 'p1', name: 'Amina', delegation: 'pk' as const };
const zarmina = { id: 'p2', name: 'زرمینه', delegation: 'af' as const };

function signOff(overrides: Partial<SignOffView> = {}, you: Partial<SignOffView['you']> = {}): SignOffView {
  return {
    status: 'none',
    proposal: null,
    agreed: null,
    signatories: { pk: amina, af: zarmina },
    you: { canPropose: false, signsFor: [], ...you },
    ...overrides,
  };
}

function proposed(versionId: string, signatures: NonNullable<SignOffView['proposal']>['signatures'] = {}): NonNullable<SignOffView['proposal']> {
  return {
    versionId,
    versionNumber: 2,
    contentHash: HASH,
    proposedBy: { personId: 'r1', name: 'Rafiq', delegation: 'org' },
    proposedAt: '2025-03-12T09:00:00.000Z',
    signatures,
  };
}

describe('which sign-off buttons show', () => {
  const v2 = { id: 'v2' };
  const v1 = { id: 'v1' };

  it('offers "Propose as final" to rapporteurs and organisers only, not on the open proposal', () => {
    expect(signOffControls(signOff({}, { canPropose: true }), v2, true).propose).toBe(true);
    expect(signOffControls(signOff({}, { canPropose: false }), v2, true).propose).toBe(false);
    const open = signOff({ status: 'proposed', proposal: proposed('v2') }, { canPropose: true });
    expect(signOffControls(open, v2, true).propose).toBe(false);
    expect(signOffControls(open, v1, true).propose).toBe(true);
  });

  it('does not offer to propose the agreed version again while no other round is open', () => {
    const agreement = {
      ...proposed('v2'),
      signatures: { pk: { personId: 'p1', name: 'Amina', delegation: 'pk' as const, at: 'x' }, af: { personId: 'p2', name: 'Z', delegation: 'af' as const, at: 'x' } },
      agreedAt: 'x',
    };
    const state = signOff({ status: 'agreed', agreed: agreement }, { canPropose: true });
    expect(signOffControls(state, v2, true).propose).toBe(false);
    expect(signOffControls(state, v1, true).propose).toBe(true);
  });

  it('offers the signatory "Sign for <their delegation>" on the proposed version until they signed, then "Withdraw"', () => {
    const open = signOff({ status: 'proposed', proposal: proposed('v2') }, { signsFor: ['pk'] });
    expect(signOffControls(open, v2, true)).toEqual({ propose: false, sign: ['pk'], withdraw: [] });
    expect(signOffControls(open, v1, true)).toEqual({ propose: false, sign: [], withdraw: [] });
    const signed = signOff({ status: 'partly-signed', proposal: proposed('v2', { pk: { personId: 'p1', name: 'Amina', delegation: 'pk', at: 'x' } }) }, { signsFor: ['pk'] });
    expect(signOffControls(signed, v2, true)).toEqual({ propose: false, sign: [], withdraw: ['pk'] });
  });

  it('offers nothing to someone who signs for neither side, nor to anyone who cannot write (observers)', () => {
    expect(signOffControls(signOff({ status: 'proposed', proposal: proposed('v2') }), v2, true)).toEqual({ propose: false, sign: [], withdraw: [] });
    expect(signOffControls(signOff({ status: 'proposed', proposal: proposed('v2') }, { canPropose: true, signsFor: ['af'] }), v2, false)).toEqual({
      propose: false,
      sign: [],
      withdraw: [],
    });
  });

  it('shows the signatory their button, the hash in full, and the "changed since agreed" warning', () => {
    const state = signOff({ status: 'proposed', proposal: proposed('v2') }, { signsFor: ['af'] });
    const versions = [{ id: 'v2', number: 2, name: 'Kabul draft 2', kind: 'named' } as VersionSummary];
    const noop = () => undefined;
    const container = render(
      <SignOffSection signOff={state} versions={versions} changedSinceAgreed={true} meetingTimeZone="Asia/Kabul" canWrite={true} busy={false} onSign={noop} onWithdraw={noop} />,
    );
    const buttons = Array.from(container.querySelectorAll('button'), (b) => b.textContent);
    expect(buttons).toContain('Sign for Afghanistan');
    expect(buttons).not.toContain('Sign for Pakistan');
    expect(container.querySelector('code.hash')?.textContent).toBe(HASH);
    expect(container.textContent).toContain('Changed since the agreed version');
    expect(container.textContent).toContain('Version 2 “Kabul draft 2”');
    act(() => root?.unmount());
    const observer = render(
      <SignOffSection signOff={state} versions={versions} changedSinceAgreed={null} meetingTimeZone="Asia/Kabul" canWrite={false} busy={false} onSign={noop} onWithdraw={noop} />,
    );
    expect(Array.from(observer.querySelectorAll('button'), (b) => b.textContent)).toEqual(['Copy hash']);
  });
});
