// The versions panel beside a document: save a named version (editors), the list newest first with
// who saved each and when (in the viewer's and the meeting's time zone) and how much it changed, view
// or compare any two (or one with the live text), restore, and the sign-off. Kept current by polling
// while the tab is visible, since other people save, propose and sign at the same time. What a
// person may press follows what the server says they may do; observers see everything and press nothing.
import { useId, useState, type FormEvent } from 'react';
import { LIVE_VERSION_ID, MAX_VERSION_NAME_LENGTH, type SigningDelegation, type VersionSummary } from '../../../shared/versions.js';
import { DELEGATION_NAMES } from '../../../shared/workspace.js';
import { ConfirmButton } from '../workspace/ConfirmButton.js';
import { PersonName } from '../workspace/DelegationBadge.js';
import { useRefreshing } from '../workspace/use-refreshing.js';
import { AuditTrail } from './AuditTrail.js';
import { SignOffSection } from './SignOffSection.js';
import { signOffControls } from './sign-off-controls.js';
import { VersionDialog, type Opened } from './VersionDialog.js';
import { formatTwoZones } from './version-time.js';
import { changeSize, versionLabel, versionName, VERSION_KIND_TAGS } from './version-wording.js';
import { describeVersionError, versionsApi } from './versions-api.js';

/** Often enough that a signature from the other capital shows up while people are still talking about it. */
export const VERSIONS_REFRESH_MS = 4_000;

interface VersionsPanelProps {
  documentId: string;
  /** Edit rights on the document now (false for observers and once access is lost). */
  canWrite: boolean;
  /** The meeting's zone from the document details, until the versions list says it. */
  meetingTimeZone: string | null;
}

type Result = { kind: 'ok' | 'error'; text: string } | null;

export function VersionsPanel({ documentId, canWrite, meetingTimeZone: initialZone }: VersionsPanelProps) {
  const list = useRefreshing((signal) => versionsApi.list(documentId, signal), VERSIONS_REFRESH_MS);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [compareFrom, setCompareFrom] = useState('');
  const [compareTo, setCompareTo] = useState(LIVE_VERSION_ID);
  const ids = useId();

  const data = list.data;
  const zone = data?.meetingTimeZone ?? initialZone;
  const versions = data?.versions ?? [];

  /** Runs one change, says how it went in the live region, and reloads the panel either way. */
  async function act(change: () => Promise<string>): Promise<boolean> {
    setBusy(true);
    setResult(null);
    let ok = false;
    try {
      setResult({ kind: 'ok', text: await change() });
      ok = true;
    } catch (error) {
      setResult({ kind: 'error', text: describeVersionError(error) });
    } finally {
      setBusy(false);
    }
    await list.reload();
    return ok;
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setResult({ kind: 'error', text: 'Give the version a name first.' });
      return;
    }
    const saved = await act(async () => {
      const answer = await versionsApi.save(documentId, trimmed);
      return `Saved ${versionLabel(answer.version)}.`;
    });
    if (saved) setName('');
  }

  const restore = (version: VersionSummary) =>
    act(async () => {
      const answer = await versionsApi.restore(documentId, version.id);
      if (!answer.changed || !answer.beforeRestore) return `The live text already is ${versionLabel(version)}; nothing changed.`;
      return `Restored ${versionLabel(answer.restored)}; the previous text was saved as ${versionLabel(answer.beforeRestore)}.`;
    });
  const propose = (version: VersionSummary) =>
    act(async () => {
      await versionsApi.propose(documentId, version.id);
      return `Proposed ${versionLabel(version)} as final.`;
    });
  const sign = (versionId: string, delegation: SigningDelegation, contentHash: string) =>
    void act(async () => {
      const view = await versionsApi.sign(documentId, versionId, delegation, contentHash);
      return view.agreed?.versionId === versionId && view.proposal === null
        ? `Signed for ${DELEGATION_NAMES[delegation]}. Both delegations have signed: the version is agreed.`
        : `Signed for ${DELEGATION_NAMES[delegation]}.`;
    });
  const withdraw = (versionId: string, delegation: SigningDelegation) =>
    void act(async () => {
      await versionsApi.withdraw(documentId, versionId, delegation);
      return `Withdrew the signature for ${DELEGATION_NAMES[delegation]}.`;
    });

  const sideLabel = (id: string): string => {
    if (id === LIVE_VERSION_ID) return 'the live text';
    const version = versions.find((v) => v.id === id);
    return version ? versionLabel(version) : 'a version';
  };
  const openCompare = (fromId: string, toId: string) =>
    setOpened({ kind: 'compare', fromId, toId, title: `Compare ${sideLabel(fromId)} with ${sideLabel(toId)}` });
  // The "from" choice defaults to the newest version, the "to" to the live text.
  const fromChoice = versions.some((v) => v.id === compareFrom) ? compareFrom : (versions[0]?.id ?? '');

  return (
    <section className="versions-panel" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Versions</h2>

      {data && (
        <p className={`live-status${data.live.changedSinceLastVersion ? ' live-status--changed' : ''}`}>
          {data.live.changedSinceLastVersion
            ? versions.length > 0
              ? 'Changed since the last version'
              : 'No version saved yet'
            : versions[0]
              ? `No changes since version ${versions[0].number}`
              : 'Nothing written yet'}
        </p>
      )}

      {canWrite && (
        <form className="version-save" onSubmit={(event) => void save(event)}>
          <label htmlFor={`${ids}-name`}>Version name</label>
          <div className="version-save-row">
            <input
              id={`${ids}-name`}
              type="text"
              dir="auto"
              value={name}
              maxLength={MAX_VERSION_NAME_LENGTH}
              placeholder="e.g. Kabul draft 2"
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="versions-primary" disabled={busy}>
              Save version
            </button>
          </div>
        </form>
      )}

      <div className="versions-result">
        <p role="status" aria-live="polite" className="versions-result-ok">
          {result?.kind === 'ok' ? result.text : ''}
        </p>
        <p role="alert" className="versions-result-error">
          {result?.kind === 'error' ? result.text : ''}
        </p>
      </div>

      {!data && (list.error ? <p role="alert">{describeVersionError(list.error)}</p> : <p>Loading versions…</p>)}
      {data && list.error !== null && <p className="muted">Could not refresh: {describeVersionError(list.error)}</p>}

      {data && (
        <SignOffSection
          signOff={data.signOff}
          versions={versions}
          changedSinceAgreed={data.live.changedSinceAgreed}
          meetingTimeZone={zone}
          canWrite={canWrite}
          busy={busy}
          onSign={sign}
          onWithdraw={withdraw}
        />
      )}

      {versions.length > 0 && (
        <form
          className="version-compare"
          aria-label="Compare versions"
          onSubmit={(event) => {
            event.preventDefault();
            if (fromChoice) openCompare(fromChoice, compareTo);
          }}
        >
          <h3>Compare</h3>
          <label htmlFor={`${ids}-from`}>From</label>
          <select id={`${ids}-from`} value={fromChoice} onChange={(event) => setCompareFrom(event.target.value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.number}. {versionName(v)}
              </option>
            ))}
          </select>
          <label htmlFor={`${ids}-to`}>To</label>
          <select id={`${ids}-to`} value={compareTo} onChange={(event) => setCompareTo(event.target.value)}>
            <option value={LIVE_VERSION_ID}>Live text</option>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.number}. {versionName(v)}
              </option>
            ))}
          </select>
          <button type="submit">Compare</button>
        </form>
      )}

      {data && (
        <>
          <h3>History</h3>
          {versions.length === 0 ? (
            <p className="muted">No versions yet.{canWrite ? ' Save one to mark a stage of the draft.' : ''}</p>
          ) : (
            <ol className="version-list" aria-label="Versions, newest first">
              {versions.map((version) => (
                <VersionRow
                  key={version.id}
                  version={version}
                  zone={zone}
                  canWrite={canWrite}
                  canPropose={signOffControls(data.signOff, version, canWrite).propose}
                  proposed={data.signOff.proposal?.versionId === version.id}
                  busy={busy}
                  onView={() => setOpened({ kind: 'view', versionId: version.id, title: `Version ${version.number}: ${versionName(version)}` })}
                  onCompareLive={() => openCompare(version.id, LIVE_VERSION_ID)}
                  onRestore={() => restore(version).then(() => undefined)}
                  onPropose={() => void propose(version)}
                />
              ))}
            </ol>
          )}
          <AuditTrail documentId={documentId} meetingTimeZone={zone} />
        </>
      )}

      {opened && <VersionDialog documentId={documentId} opened={opened} onClose={() => setOpened(null)} />}
    </section>
  );
}

interface VersionRowProps {
  version: VersionSummary;
  zone: string | null;
  canWrite: boolean;
  canPropose: boolean;
  proposed: boolean;
  busy: boolean;
  onView: () => void;
  onCompareLive: () => void;
  onRestore: () => Promise<void>;
  onPropose: () => void;
}

function VersionRow({ version, zone, canWrite, canPropose, proposed, busy, onView, onCompareLive, onRestore, onPropose }: VersionRowProps) {
  const kindTag = VERSION_KIND_TAGS[version.kind];
  const size = changeSize(version.change);
  const when = formatTwoZones(version.createdAt, zone);
  const label = `version ${version.number}`;
  return (
    <li className="version-row" aria-label={`Version ${version.number}: ${versionName(version)}`}>
      <div className="version-title">
        <span className="version-number">{version.number}.</span> <bdi dir="auto">{versionName(version)}</bdi>
        {kindTag && <span className="tag tag--auto">{kindTag}</span>}
        {version.agreed && <span className="tag tag--agreed">Agreed</span>}
        {proposed && <span className="tag tag--proposed">Proposed</span>}
      </div>
      <div className="version-meta">
        {version.author ? <PersonName name={version.author.name} delegation={version.author.delegation} /> : <span className="muted">Saved by Concord</span>}
        <time dateTime={version.createdAt}>{when.text}</time>
        <span className="version-size" title={size.long}>
          <span aria-hidden="true">{size.short}</span>
          <span className="visually-hidden">{size.long}</span>
        </span>
      </div>
      <div className="version-actions">
        <button type="button" aria-label={`View ${label}`} onClick={onView}>
          View
        </button>
        <button type="button" aria-label={`Compare ${label} with the live text`} onClick={onCompareLive}>
          Compare with live
        </button>
        {canWrite && (
          <ConfirmButton
            label={`Restore ${label}`}
            question={`Make everyone’s live text ${label}? The current text is saved as a version first.`}
            confirmText="Yes, restore"
            disabled={busy}
            onConfirm={onRestore}
          >
            Restore
          </ConfirmButton>
        )}
        {canPropose && (
          <button type="button" aria-label={`Propose ${label} as final`} disabled={busy} onClick={onPropose}>
            Propose as final
          </button>
        )}
      </div>
    </li>
  );
}
