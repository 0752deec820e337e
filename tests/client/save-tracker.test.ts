// The rules of the status line: "All changes saved" only after an acknowledgement that covers the
// latest local change, one request in flight at a time, and nothing trusted across a lost socket.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SaveTracker, describeSaveStatus, type SaveSnapshot } from '../../client/src/collab/save-tracker.js';

/** A tracker whose scheduled flushes run only when the test says so, and whose sends are recorded. */
function makeTracker({ socketOpen = true } = {}) {
  const sent: number[] = [];
  const pending: (() => void)[] = [];
  const state = { socketOpen };
  const tracker = new SaveTracker({
    sendAckRequest(seq) {
      if (!state.socketOpen) return false;
      sent.push(seq);
      return true;
    },
    schedule: (flush) => pending.push(flush),
  });
  const tick = () => {
    for (const flush of pending.splice(0)) flush();
  };
  return { tracker, sent, tick, state };
}

const status = (tracker: SaveTracker) => describeSaveStatus(tracker.snapshot);

describe('SaveTracker', () => {
  it('starts connecting with nothing to save', () => {
    const { tracker } = makeTracker();
    expect(tracker.snapshot).toMatchObject({ connection: 'connecting', unsavedChanges: 0, saving: false });
    expect(status(tracker)).toBe('Connecting…');
  });

  it('says Live, not saved, when connected before any local change', () => {
    const { tracker, sent, tick } = makeTracker();
    tracker.connectionLive();
    tick();
    expect(sent).toEqual([]);
    expect(status(tracker)).toBe('Live');
  });

  it('batches changes of one tick into one request and is saved only when it is answered', () => {
    const { tracker, sent, tick } = makeTracker();
    tracker.connectionLive();
    tracker.recordLocalChange();
    tracker.recordLocalChange();
    tracker.recordLocalChange();
    expect(status(tracker)).toBe('Saving…');
    tick();
    expect(sent).toEqual([1]);
    expect(tracker.snapshot).toMatchObject({ unsavedChanges: 3, saving: true });
    tracker.receiveAck(1);
    expect(tracker.snapshot).toMatchObject({ unsavedChanges: 0, saving: false, savedOnce: true });
    expect(status(tracker)).toBe('All changes saved');
    expect(tracker.hasUnsavedChanges).toBe(false);
  });

  it('does not claim saved when a change came after the request was sent', () => {
    const { tracker, sent, tick } = makeTracker();
    tracker.connectionLive();
    tracker.recordLocalChange();
    tick();
    tracker.recordLocalChange(); // after request 1 left
    tick();
    expect(sent).toEqual([1]); // only one request in flight
    tracker.receiveAck(1);
    expect(tracker.snapshot.unsavedChanges).toBe(1);
    expect(status(tracker)).toBe('Saving…');
    tick();
    expect(sent).toEqual([1, 2]);
    tracker.receiveAck(2);
    expect(status(tracker)).toBe('All changes saved');
  });

  it('ignores acknowledgements it did not ask for, or stale ones', () => {
    const { tracker, tick } = makeTracker();
    tracker.connectionLive();
    tracker.recordLocalChange();
    tick();
    tracker.receiveAck(7);
    tracker.receiveAck(0);
    expect(tracker.snapshot.unsavedChanges).toBe(1);
  });

  it('counts changes made offline and sends nothing until live again', () => {
    const { tracker, sent, tick } = makeTracker();
    tracker.connectionLive();
    tracker.connectionLost();
    tracker.recordLocalChange();
    tracker.recordLocalChange();
    tick();
    expect(sent).toEqual([]);
    expect(status(tracker)).toBe('Offline — 2 changes not yet saved');
    tracker.recordLocalChange();
    expect(status(tracker)).toBe('Offline — 3 changes not yet saved');
    tracker.connectionLive();
    tick();
    expect(sent).toEqual([1]);
    tracker.receiveAck(1);
    expect(status(tracker)).toBe('All changes saved');
  });

  it('forgets a request in flight when the socket is lost, and asks again after reconnecting', () => {
    const { tracker, sent, tick } = makeTracker();
    tracker.connectionLive();
    tracker.recordLocalChange();
    tick();
    expect(sent).toEqual([1]);
    tracker.connectionLost();
    expect(tracker.snapshot).toMatchObject({ saving: false, unsavedChanges: 1 });
    expect(status(tracker)).toBe('Offline — 1 change not yet saved');
    // An answer on the old socket can no longer arrive; even if something claims it, it is ignored.
    tracker.receiveAck(1);
    expect(tracker.snapshot.unsavedChanges).toBe(1);
    tracker.connectionLive();
    tick();
    expect(sent).toEqual([1, 2]);
    tracker.receiveAck(2);
    expect(tracker.snapshot.unsavedChanges).toBe(0);
  });

  it('does not count a request that could not be sent as in flight', () => {
    const { tracker, sent, tick, state } = makeTracker({ socketOpen: false });
    tracker.connectionLive();
    tracker.recordLocalChange();
    tick();
    expect(sent).toEqual([]);
    expect(tracker.snapshot.saving).toBe(false);
    state.socketOpen = true;
    tracker.recordLocalChange();
    tick();
    expect(sent).toEqual([1]);
    tracker.receiveAck(1);
    expect(tracker.snapshot.unsavedChanges).toBe(0);
  });

  it('reports a server refusal with its reason and keeps counting', () => {
    const { tracker, tick } = makeTracker();
    tracker.connectionLive();
    tracker.recordLocalChange();
    tick();
    tracker.connectionStopped('update rejected');
    expect(status(tracker)).toBe('Disconnected by the server (update rejected) — 1 change not saved');
    tracker.connectionLost(); // the provider's close event after the refusal must not hide it
    expect(tracker.snapshot.connection).toBe('stopped');
  });

  it('notifies subscribers only when the snapshot changes, with a stable snapshot in between', () => {
    const { tracker, tick } = makeTracker();
    let calls = 0;
    const unsubscribe = tracker.subscribe(() => calls++);
    const before = tracker.snapshot;
    tracker.connectionLost();
    tracker.connectionLost();
    expect(calls).toBe(1);
    expect(tracker.snapshot).not.toBe(before);
    const same = tracker.snapshot;
    tick();
    expect(tracker.snapshot).toBe(same);
    unsubscribe();
    tracker.recordLocalChange();
    expect(calls).toBe(1);
  });
});

describe('SaveTracker when the server is slow to confirm', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says so after the stall time, and clears it with the answer', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const tracker = new SaveTracker({ sendAckRequest: (seq) => (sent.push(seq), true), schedule: (flush) => flush(), stallAfterMs: 5000 });
    tracker.connectionLive();
    tracker.recordLocalChange();
    vi.advanceTimersByTime(4999);
    expect(status(tracker)).toBe('Saving…');
    vi.advanceTimersByTime(1);
    expect(tracker.snapshot.stalled).toBe(true);
    expect(status(tracker)).toBe('Saving… the server has not confirmed 1 change yet; keep this tab open');
    tracker.receiveAck(sent[0] ?? -1);
    expect(tracker.snapshot.stalled).toBe(false);
    expect(status(tracker)).toBe('All changes saved');
  });

  it('forgets the stall with the socket, and dispose stops the timer', () => {
    vi.useFakeTimers();
    const tracker = new SaveTracker({ sendAckRequest: () => true, schedule: (flush) => flush(), stallAfterMs: 1000 });
    tracker.connectionLive();
    tracker.recordLocalChange();
    vi.advanceTimersByTime(1000);
    tracker.connectionLost();
    expect(tracker.snapshot.stalled).toBe(false);
    tracker.connectionLive();
    tracker.recordLocalChange();
    tracker.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('describeSaveStatus', () => {
  const base: SaveSnapshot = { connection: 'live', unsavedChanges: 0, saving: false, savedOnce: false, stopReason: null, stalled: false };

  it('words every state', () => {
    expect(describeSaveStatus({ ...base, connection: 'connecting' })).toBe('Connecting…');
    expect(describeSaveStatus({ ...base, connection: 'connecting', unsavedChanges: 2 })).toBe('Connecting — 2 changes not yet saved');
    expect(describeSaveStatus({ ...base, connection: 'offline' })).toBe('Offline — reconnecting…');
    expect(describeSaveStatus({ ...base, connection: 'offline', unsavedChanges: 1 })).toBe('Offline — 1 change not yet saved');
    expect(describeSaveStatus({ ...base, connection: 'stopped', stopReason: null })).toBe('Disconnected by the server');
    expect(describeSaveStatus(base)).toBe('Live');
    expect(describeSaveStatus({ ...base, unsavedChanges: 4, saving: true })).toBe('Saving…');
    expect(describeSaveStatus({ ...base, savedOnce: true })).toBe('All changes saved');
  });

  it('says "Read only" when live for someone who cannot write, but never hides trouble or unsaved changes', () => {
    expect(describeSaveStatus(base, true)).toBe('Read only');
    expect(describeSaveStatus({ ...base, savedOnce: true }, true)).toBe('Read only');
    expect(describeSaveStatus({ ...base, connection: 'offline' }, true)).toBe('Offline — reconnecting…');
    expect(describeSaveStatus({ ...base, connection: 'stopped', stopReason: 'access revoked' }, true)).toBe('Disconnected by the server (access revoked)');
    expect(describeSaveStatus({ ...base, unsavedChanges: 1, saving: true }, true)).toBe('Saving…');
  });
});
