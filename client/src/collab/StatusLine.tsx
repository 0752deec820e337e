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

export function StatusLine({ tracker }: { tracker: SaveTracker }) {
  const snapshot = useSaveSnapshot(tracker);
  const text = describeSaveStatus(snapshot);
  const tone =
    snapshot.connection !== 'live' ? snapshot.connection : snapshot.unsavedChanges === 0 ? 'saved' : snapshot.stalled ? 'stalled' : 'saving';
  return (
    <p className={`status status--${tone}`} role="status" aria-live="polite" data-connection={snapshot.connection} data-unsaved={snapshot.unsavedChanges}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{text}</span>
    </p>
  );
}
