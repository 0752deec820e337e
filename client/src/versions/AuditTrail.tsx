// The audit trail of a document: every save, restore, proposal, signature, withdrawal and agreement,
// with who and when, newest first. Shown on request (a button that says whether it is open) and kept
// current while open, like the rest of the panel.
import { useId, useState } from 'react';
import { PersonName } from '../workspace/DelegationBadge.js';
import { useRefreshing } from '../workspace/use-refreshing.js';
import { formatTwoZones } from './version-time.js';
import { describeAuditEvent } from './version-wording.js';
import { describeVersionError, versionsApi } from './versions-api.js';

const AUDIT_REFRESH_MS = 5_000;

function AuditList({ documentId, meetingTimeZone }: { documentId: string; meetingTimeZone: string | null }) {
  const audit = useRefreshing((signal) => versionsApi.audit(documentId, signal), AUDIT_REFRESH_MS);
  if (!audit.data) return audit.error ? <p role="alert">{describeVersionError(audit.error)}</p> : <p>Loading…</p>;
  const events = [...audit.data.events].reverse();
  if (events.length === 0) return <p className="muted">Nothing has happened to this document’s versions yet.</p>;
  return (
    <ol className="audit-list" aria-label="Audit trail, newest first">
      {events.map((entry) => (
        <li key={entry.seq}>
          <time dateTime={entry.at}>{formatTwoZones(entry.at, meetingTimeZone).text}</time>
          <span>
            {entry.actor ? <PersonName name={entry.actor.name} delegation={entry.actor.delegation} /> : <span className="muted">Concord</span>} {describeAuditEvent(entry)}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function AuditTrail({ documentId, meetingTimeZone }: { documentId: string; meetingTimeZone: string | null }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <section className="audit" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        <button type="button" className="disclosure-button" aria-expanded={open} aria-controls={open ? `${id}-panel` : undefined} onClick={() => setOpen((was) => !was)}>
          Audit trail
        </button>
      </h3>
      {open && (
        <div id={`${id}-panel`}>
          <AuditList documentId={documentId} meetingTimeZone={meetingTimeZone} />
        </div>
      )}
    </section>
  );
}
