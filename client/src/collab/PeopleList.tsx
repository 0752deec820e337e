// Who is in the document now, so a delegate knows who sees their edits: each person's caret colour,
// name (in its own direction) and delegation in text, and whether they can only read.
import type { Awareness } from 'y-protocols/awareness';
import { DelegationBadge } from '../workspace/DelegationBadge.js';
import { useParticipants } from './presence.js';

export function PeopleList({ awareness }: { awareness: Awareness }) {
  const people = useParticipants(awareness);
  return (
    <section className="people" aria-labelledby="people-heading">
      <h2 id="people-heading" className="people-heading">
        In this document <span className="people-count">({people.length})</span>
      </h2>
      <ul className="people-list">
        {people.map((person) => (
          <li key={person.clientId} className="person" data-client-id={person.clientId} data-delegation={person.delegation ?? undefined}>
            <span className="person-swatch" style={{ backgroundColor: person.color }} aria-hidden="true" />
            <bdi className="person-name" dir="auto">
              {person.name}
            </bdi>
            {person.delegation && <DelegationBadge delegation={person.delegation} />}
            {person.role === 'observer' && <span className="person-note">observer</span>}
            {person.isYou && <span className="person-you">(you)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
