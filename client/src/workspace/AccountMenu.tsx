// The signed-in person in the page header: their name and delegation as others see them, and the
// Sign out button (a shared laptop at a venue must be easy to hand over).
import { useState } from 'react';
import type { MeView } from '../../../shared/workspace.js';
import { PersonName } from './DelegationBadge.js';

export function AccountMenu({ me, onSignOut }: { me: MeView; onSignOut: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="account">
      <span className="account-name">
        <span className="visually-hidden">Signed in as </span>
        <PersonName name={me.name} delegation={me.delegation} />
      </span>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onSignOut().finally(() => setBusy(false));
        }}
      >
        Sign out
      </button>
    </div>
  );
}
