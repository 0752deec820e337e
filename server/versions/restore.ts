// Makes a room's live text equal to a version's, as one forward change by the server: the minimal
// edit of the shared XmlFragment that y-prosemirror's own editor binding would make (updateYFragment:
// unchanged blocks are kept as they are, changed text is edited character-wise). Because it is an
// ordinary Yjs change, nothing is rewritten: history stays, clients merge it like anyone's typing, and
// a client's concurrent typing in a block the restore does not replace survives it.
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { updateYFragment } from '@tiptap/y-tiptap';
import * as random from 'lib0/random';
import { EDITOR_FRAGMENT } from '../../shared/protocol.js';
import type { Room } from '../collaboration/room.js';

export interface AppliedRestore {
  /** The Yjs client id the restore wrote under (fresh, so its text can be attributed to whoever asked). */
  clientId: number;
  /** The updates the change produced (stored and relayed by the room as usual). */
  updates: Uint8Array[];
}

/**
 * Applies `target` to the room's doc through `applyServerChange` (typed origin `server`: stored, then
 * relayed to every connection). Call it while the room is settled, in the same turn as any read of the
 * text it replaces.
 */
export function applyVersionToRoom(room: Room, target: ProseMirrorNode, reason: string): AppliedRestore {
  const doc = room.doc;
  // Yjs allows a doc to change client id between transactions (it does so itself on a clash). A fresh
  // one per restore keeps "who wrote this" per person instead of per room.
  doc.clientID = random.uint32();
  const updates: Uint8Array[] = [];
  const capture = (update: Uint8Array): void => {
    updates.push(update);
  };
  doc.on('update', capture);
  try {
    room.applyServerChange(reason, (d) => {
      // Inside our transaction, updateYFragment's own `transact` joins it, so its changes carry our origin.
      updateYFragment(d, d.getXmlFragment(EDITOR_FRAGMENT), target, { mapping: new Map(), isOMark: new Map() });
    });
  } finally {
    doc.off('update', capture);
  }
  return { clientId: doc.clientID, updates };
}
