// A person as the lobby and the document show them: their name (in its own direction: names are
// typed in Urdu, Dari and Pashto too) and a badge that says their delegation in text, not by colour.
import type { Delegation } from '../../../shared/workspace.js';
import { DELEGATION_BADGES, delegationName } from './wording.js';

export function DelegationBadge({ delegation }: { delegation: Delegation }) {
  return (
    <span className={`delegation-badge delegation-badge--${delegation}`} title={delegationName(delegation)}>
      <span aria-hidden="true">{DELEGATION_BADGES[delegation]}</span>
      <span className="visually-hidden"> ({delegationName(delegation)})</span>
    </span>
  );
}

export function PersonName({ name, delegation }: { name: string; delegation: Delegation }) {
  return (
    <span className="person-label">
      <bdi className="person-name" dir="auto">
        {name}
      </bdi>{' '}
      <DelegationBadge delegation={delegation} />
    </span>
  );
}
