// The agenda of an open document as React state: re-read (validated and repaired, see
// shared/agenda.ts) whenever anything in the agenda's three top-level maps changes, locally or from a peer.
import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { agendaItems, agendaRoot, agendaSessions, readAgenda, type Agenda } from '../../../shared/agenda.js';

interface AgendaStore {
  subscribe: (onChange: () => void) => () => void;
  snapshot: () => Agenda;
}

const stores = new WeakMap<Y.Doc, AgendaStore>();

/** One store per Y.Doc: the snapshot object changes only when the agenda does (useSyncExternalStore needs that). */
function storeFor(doc: Y.Doc): AgendaStore {
  let store = stores.get(doc);
  if (store) return store;
  let current: Agenda | null = null;
  const types = [agendaRoot(doc), agendaSessions(doc), agendaItems(doc)];
  store = {
    subscribe(onChange) {
      const observer = (): void => {
        current = null;
        onChange();
      };
      for (const type of types) type.observeDeep(observer);
      return () => {
        for (const type of types) type.unobserveDeep(observer);
      };
    },
    snapshot() {
      current ??= readAgenda(doc);
      return current;
    },
  };
  stores.set(doc, store);
  return store;
}

export function useAgenda(doc: Y.Doc): Agenda {
  const store = storeFor(doc);
  return useSyncExternalStore(store.subscribe, store.snapshot);
}
