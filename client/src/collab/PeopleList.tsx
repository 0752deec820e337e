// Who is in the document now, each with their caret colour, so a delegate knows who sees their edits.
import type { Awareness } from 'y-protocols/awareness';
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
          <li key={person.clientId} className="person" data-client-id={person.clientId}>
            <span className="person-swatch" style={{ backgroundColor: person.color }} aria-hidden="true" />
            <span className="person-name" dir="auto">
              {person.name}
            </span>
            {person.isYou && <span className="person-you"> (you)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
