// The one line that tells a delegate whether their words are safe: connection and save state,
// announced politely to screen readers.
import { useSyncExternalStore } from 'react';
import { describeSaveStatus, type SaveTracker } from './save-tracker.js';

export function useSaveSnapshot(tracker: SaveTracker) {
  return useSyncExternalStore(
    (onChange) => tracker.subscribe(onChange),
    () => tracker.snapshot,
  );
}

export function StatusLine({ tracker, readOnly = false }: { tracker: SaveTracker; readOnly?: boolean }) {
  const snapshot = useSaveSnapshot(tracker);
  const text = describeSaveStatus(snapshot, readOnly);
  const tone =
    snapshot.connection !== 'live'
      ? snapshot.connection
      : snapshot.unsavedChanges > 0
        ? snapshot.stalled
          ? 'stalled'
          : 'saving'
        : readOnly
          ? 'read-only'
          : 'saved';
  return (
    <p className={`status status--${tone}`} role="status" aria-live="polite" data-connection={snapshot.connection} data-read-only={readOnly} data-unsaved={snapshot.unsavedChanges}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{text}</span>
    </p>
  );
}
