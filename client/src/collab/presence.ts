// Who is in the document right now, read from Yjs awareness. Each tab publishes `{ user: … }`
// through the caret extension; the server overwrites that user with the session's name, colour,
// delegation and role, so what is shown here is who people are, not who they claim to be.
import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { Delegation, Role } from '../../../shared/workspace.js';
import { asDelegation } from '../workspace/wording.js';

export interface Participant {
  clientId: number;
  name: string;
  color: string;
  /** Null only from a server that does not stamp presence (tests of the bare relay). */
  delegation: Delegation | null;
  role: Role | null;
  isYou: boolean;
}

function asRole(value: unknown): Role | null {
  return value === 'organiser' || value === 'rapporteur' || value === 'delegate' || value === 'observer' ? value : null;
}

const FALLBACK_COLOR = '#6b7280';

/** One entry per connected tab, you first, then by name. Tabs that have not said who they are yet are left out. */
export function participantsFromStates(states: ReadonlyMap<number, Record<string, unknown>>, localClientId: number): Participant[] {
  const people: Participant[] = [];
  for (const [clientId, state] of states) {
    const user = state['user'];
    if (typeof user !== 'object' || user === null) continue;
    const { name, color, delegation, role } = user as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') continue;
    people.push({
      clientId,
      name,
      color: typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color : FALLBACK_COLOR,
      delegation: asDelegation(delegation),
      role: asRole(role),
      isYou: clientId === localClientId,
    });
  }
  return people.sort((a, b) => Number(b.isYou) - Number(a.isYou) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

function sameParticipants(a: readonly Participant[], b: readonly Participant[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined && p.clientId === q.clientId && p.name === q.name && p.color === q.color && p.delegation === q.delegation && p.role === q.role
      );
    })
  );
}

interface ParticipantStore {
  readonly subscribe: (onChange: () => void) => () => void;
  readonly getSnapshot: () => Participant[];
}

const participantStores = new WeakMap<Awareness, ParticipantStore>();

/** One store per awareness instance, so every component sees the same array between changes. */
function participantStore(awareness: Awareness): ParticipantStore {
  const existing = participantStores.get(awareness);
  if (existing !== undefined) return existing;
  let current: Participant[] = [];
  const store: ParticipantStore = {
    subscribe: (onChange) => {
      // 'change' skips the 15-second keep-alive renewals that 'update' also reports.
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    getSnapshot: () => {
      const next = participantsFromStates(awareness.getStates(), awareness.clientID);
      if (!sameParticipants(current, next)) current = next;
      return current;
    },
  };
  participantStores.set(awareness, store);
  return store;
}

/** The people in the document, re-rendering only when someone joined, left or changed name or colour. */
export function useParticipants(awareness: Awareness): Participant[] {
  const store = participantStore(awareness);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
