// The sign-off of a document as the panel shows it: the agreed version (with its hash in full, who
// signed for each delegation and when), the version proposed as final and each side's signature,
// the buttons the server says this person may use, and the warning that the live text has moved on
// from what was agreed.
import type { SigningDelegation, SignOffView, VersionSummary } from '../../../shared/versions.js';
import { DELEGATION_NAMES, SIGNING_DELEGATIONS } from '../../../shared/workspace.js';
import { PersonName } from '../workspace/DelegationBadge.js';
import { HashField } from './HashField.js';
import { signOffControls } from './sign-off-controls.js';
import { formatTwoZones } from './version-time.js';
import { versionName } from './version-wording.js';

interface SignOffSectionProps {
  signOff: SignOffView;
  versions: VersionSummary[];
  changedSinceAgreed: boolean | null;
  meetingTimeZone: string | null;
  canWrite: boolean;
  busy: boolean;
  onSign: (versionId: string, delegation: SigningDelegation, contentHash: string) => void;
  onWithdraw: (versionId: string, delegation: SigningDelegation) => void;
}

function When({ iso, zone }: { iso: string; zone: string | null }) {
  return <time dateTime={iso}>{formatTwoZones(iso, zone).text}</time>;
}

export function SignOffSection({ signOff, versions, changedSinceAgreed, meetingTimeZone, canWrite, busy, onSign, onWithdraw }: SignOffSectionProps) {
  const named = (versionId: string, number: number | null): string => {
    const version = versions.find((v) => v.id === versionId);
    const label = number === null ? 'A version' : `Version ${number}`;
    return version ? `${label} “${versionName(version)}”` : label;
  };
  const { agreed, proposal } = signOff;
  const controls = proposal ? signOffControls(signOff, { id: proposal.versionId }, canWrite) : null;

  return (
    <section className="sign-off" aria-labelledby="sign-off-heading">
      <h3 id="sign-off-heading">Sign-off</h3>
      {changedSinceAgreed === true && (
        <p className="notice notice--warn sign-off-changed">
          <strong>Changed since the agreed version.</strong> The live text is no longer the text both delegations signed.
        </p>
      )}
      {agreed && (
        <div className="sign-off-agreed">
          <p>
            <span className="tag tag--agreed">Agreed</span> <bdi dir="auto">{named(agreed.versionId, agreed.versionNumber)}</bdi>, <When iso={agreed.agreedAt} zone={meetingTimeZone} />
          </p>
          <ul className="sign-off-signatures">
            {SIGNING_DELEGATIONS.map((delegation) => (
              <li key={delegation}>
                Signed for {DELEGATION_NAMES[delegation]} by <PersonName name={agreed.signatures[delegation].name} delegation={delegation} />,{' '}
                <When iso={agreed.signatures[delegation].at} zone={meetingTimeZone} />
              </li>
            ))}
          </ul>
          <HashField label="Agreed content hash (SHA-256)" hash={agreed.contentHash} />
        </div>
      )}
      {proposal ? (
        <div className="sign-off-proposal">
          <p>
            <span className="tag tag--proposed">Proposed as final</span> <bdi dir="auto">{named(proposal.versionId, proposal.versionNumber)}</bdi> by{' '}
            <PersonName name={proposal.proposedBy.name} delegation={proposal.proposedBy.delegation} />, <When iso={proposal.proposedAt} zone={meetingTimeZone} />
          </p>
          <ul className="sign-off-signatures">
            {SIGNING_DELEGATIONS.map((delegation) => {
              const signature = proposal.signatures[delegation];
              const signatory = signOff.signatories[delegation];
              return (
                <li key={delegation}>
                  {signature ? (
                    <>
                      Signed for {DELEGATION_NAMES[delegation]} by <PersonName name={signature.name} delegation={delegation} />, <When iso={signature.at} zone={meetingTimeZone} />
                    </>
                  ) : (
                    <>
                      {DELEGATION_NAMES[delegation]}: not signed yet
                      {signatory ? (
                        <>
                          {' '}
                          (signatory: <PersonName name={signatory.name} delegation={signatory.delegation} />)
                        </>
                      ) : (
                        ' (no signatory set by the organisers)'
                      )}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          <HashField label="Proposed content hash (SHA-256)" hash={proposal.contentHash} />
          {controls && (controls.sign.length > 0 || controls.withdraw.length > 0) && (
            <div className="sign-off-actions">
              {controls.sign.map((delegation) => (
                <button key={delegation} type="button" className="versions-primary" disabled={busy} onClick={() => onSign(proposal.versionId, delegation, proposal.contentHash)}>
                  Sign for {DELEGATION_NAMES[delegation]}
                </button>
              ))}
              {controls.withdraw.map((delegation) => (
                <button
                  key={delegation}
                  type="button"
                  disabled={busy}
                  aria-label={`Withdraw the signature for ${DELEGATION_NAMES[delegation]}`}
                  onClick={() => onWithdraw(proposal.versionId, delegation)}
                >
                  Withdraw signature
                </button>
              ))}
            </div>
          )}
        </div>
      ) : (
        !agreed && <p className="muted">No version has been proposed as final.</p>
      )}
    </section>
  );
}
