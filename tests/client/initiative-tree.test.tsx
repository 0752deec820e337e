// @vitest-environment jsdom
// The lobby's tree as a delegate and as an organiser see it: meetings with city, date and time zone,
// documents linking to their pages, who is in each now with their delegation in text, and the
// organiser tools only for those whose role in the group allows them.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { InitiativeView, MemberView, Role } from '../../shared/workspace.js';
import { InitiativeTree } from '../../client/src/lobby/InitiativeTree.js';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

function initiative(role: Role): InitiativeView {
  return {
    id: 'i1',
    name: 'Beyond Boundaries',
    role: role === 'organiser' ? 'organiser' : null,
    groups: [
      {
        id: 'security',
        name: 'Regional Security Group',
        archived: false,
        role,
        signatories: { pk: { id: 'p1', name: 'Amina', delegation: 'pk' } },
        meetings: [
          {
            id: 'm3',
            number: 3,
            city: 'Kabul',
            date: '2025-05-20',
            timeZone: 'Asia/Kabul',
            archived: false,
            documents: [
              {
                id: 'doc-agenda',
                kind: 'agenda',
                title: 'Agenda — meeting 3, Kabul',
                archived: false,
                online: [
                  { id: 'p1', name: 'Amina', delegation: 'pk' },
                  { id: 'p2', name: 'زرمینه', delegation: 'af' },
                ],
              },
              { id: 'doc-notes', kind: 'notes', title: 'Notes', archived: false, online: [] },
            ],
          },
        ],
      },
    ],
  };
}

function render(view: InitiativeView, onChanged: () => Promise<void> = () => Promise.resolve(), members: MemberView[] = []): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root?.render(<InitiativeTree initiative={view} members={members} onChanged={onChanged} onSessionEnded={() => {}} />));
  return container;
}

const buttonNames = (container: HTMLElement) => Array.from(container.querySelectorAll('button'), (b) => b.getAttribute('aria-label') ?? b.textContent);

describe('InitiativeTree', () => {
  it('shows a delegate the meeting, its documents and who is in them, without organiser tools', () => {
    const container = render(initiative('delegate'));
    expect(container.querySelector('h2')?.textContent).toBe('Regional Security Group');
    expect(container.querySelector('h3')?.textContent).toBe('Meeting 3 — Kabul');
    expect(container.querySelector('.meeting-when')?.textContent).toMatch(/^Tuesday,? 20 May 2025 · Kabul \(AFT, UTC\+4:30\)$/);
    const link = container.querySelector<HTMLAnchorElement>('a.document-link');
    expect(link?.getAttribute('href')).toBe('/d/doc-agenda');
    const online = container.querySelector('[aria-label="In Agenda — meeting 3, Kabul now"]');
    expect(Array.from(online?.querySelectorAll('li') ?? [], (li) => li.textContent)).toEqual(['Amina PK (Pakistan)', 'زرمینه AF (Afghanistan)']);
    expect(online?.querySelector('bdi')?.getAttribute('dir')).toBe('auto');
    expect(container.textContent).toContain('No one in it now');
    expect(container.querySelector('.signatory-line')?.textContent).toBe('Signs for Pakistan: Amina PK (Pakistan) · Signs for Afghanistan: not chosen');
    expect(buttonNames(container)).toEqual([]);
  });

  it('gives an organiser labelled tools for the group, each meeting and each document', () => {
    const container = render(initiative('organiser'));
    const names = buttonNames(container);
    expect(names).toEqual(
      expect.arrayContaining([
        'Rename Regional Security Group',
        'Archive Regional Security Group',
        'Add a document to Meeting 3 — Kabul',
        'Edit Meeting 3 — Kabul',
        'Archive Meeting 3 — Kabul',
        'Rename Agenda — meeting 3, Kabul',
        'Archive Notes',
        'Add a meeting to Regional Security Group',
        'New working group',
      ]),
    );
    expect(container.querySelectorAll('select').length).toBe(2); // signatories for Pakistan and Afghanistan
  });

  it('opens a form in place and says so to assistive technology', () => {
    const container = render(initiative('organiser'));
    const add = container.querySelector<HTMLButtonElement>('button[aria-label="Add a meeting to Regional Security Group"]')!;
    expect(add.getAttribute('aria-expanded')).toBe('false');
    act(() => add.click());
    expect(add.getAttribute('aria-expanded')).toBe('true');
    const panel = document.getElementById(add.getAttribute('aria-controls') ?? '');
    const labels = Array.from(panel?.querySelectorAll('label') ?? [], (l) => l.textContent);
    expect(labels).toEqual(['Number', 'City', 'Date (optional)', 'Time zone']);
    expect((panel?.querySelector('input[type="number"]') as HTMLInputElement).value).toBe('4'); // the next number
    const zones = Array.from(panel?.querySelectorAll('option') ?? [], (o) => o.textContent);
    expect(zones).toEqual(['Islamabad (PKT, UTC+5)', 'Kabul (AFT, UTC+4:30)', 'UTC']);
  });

  it('archives a document with one request, then reloads the tree', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })));
    vi.stubGlobal('fetch', fetchMock);
    const onChanged = vi.fn(() => Promise.resolve());
    const container = render(initiative('organiser'), onChanged);
    await act(async () => {
      container.querySelector<HTMLButtonElement>('button[aria-label="Archive Notes"]')?.click();
      await Promise.resolve();
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect([url, init?.method, JSON.parse(init?.body as string)]).toEqual(['/api/documents/doc-notes', 'PATCH', { archived: true }]);
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('offers as signatories only members of the delegation who can edit in the group, and saves the choice', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })));
    vi.stubGlobal('fetch', fetchMock);
    const member = (id: string, delegation: 'pk' | 'af', role: Role): MemberView => ({
      id,
      name: id,
      delegation,
      initiativeRole: null,
      groupRoles: { security: role },
      revoked: false,
    });
    const members = [member('Bilal', 'af', 'delegate'), member('Sana', 'pk', 'delegate'), member('Omar', 'pk', 'observer')];
    const container = render(initiative('organiser'), () => Promise.resolve(), members);
    const afghan = Array.from(container.querySelectorAll('label')).find((l) => l.textContent === 'Signs for Afghanistan');
    const select = document.getElementById(afghan?.htmlFor ?? '') as HTMLSelectElement;
    expect(Array.from(select.options, (o) => o.textContent)).toEqual(['Not chosen', 'Bilal']);
    const pakistan = Array.from(container.querySelectorAll('label')).find((l) => l.textContent === 'Signs for Pakistan');
    const pkSelect = document.getElementById(pakistan?.htmlFor ?? '') as HTMLSelectElement;
    // Amina signs now (from the tree) though she is not in the members list given: she stays listed.
    expect(Array.from(pkSelect.options, (o) => o.textContent)).toEqual(['Not chosen', 'Amina', 'Sana']);
    await act(async () => {
      select.value = 'Bilal';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await Promise.resolve();
    });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect([url, init?.method, JSON.parse(init?.body as string)]).toEqual(['/api/groups/security/signatories', 'PUT', { delegation: 'af', personId: 'Bilal' }]);
  });
});
