// Which sign-off buttons a person sees, decided from what the server says they may do
// (`SignOffView.you`) and the state it reports, so a button is only offered when pressing it can
// succeed. The server still decides every step (shared/versions.ts `applySignOff`); this only keeps
// buttons that would be refused off the screen.
import type { SigningDelegation, SignOffView, VersionSummary } from '../../../shared/versions.js';
import { SIGNING_DELEGATIONS } from '../../../shared/workspace.js';

export interface SignOffControls {
  /** "Propose as final" on this version. */
  propose: boolean;
  /** "Sign for …" buttons, one per delegation the viewer signs for that has not signed yet. */
  sign: SigningDelegation[];
  /** "Withdraw signature" buttons for delegations the viewer signed for (possible until the other side signs). */
  withdraw: SigningDelegation[];
}

export const NO_CONTROLS: SignOffControls = { propose: false, sign: [], withdraw: [] };

/**
 * `canWrite` is the document access (observers and people who lost access get no buttons at all).
 * Proposing is offered on any version except the open proposal, and except the agreed version while
 * no other round is open (both refused by the server).
 */
export function signOffControls(signOff: SignOffView, version: Pick<VersionSummary, 'id'>, canWrite: boolean): SignOffControls {
  if (!canWrite) return NO_CONTROLS;
  const proposal = signOff.proposal;
  const isProposed = proposal?.versionId === version.id;
  const isAgreedWithoutRound = proposal === null && signOff.agreed?.versionId === version.id;
  const propose = signOff.you.canPropose && !isProposed && !isAgreedWithoutRound;
  if (!proposal || !isProposed) return { propose, sign: [], withdraw: [] };
  const mine = SIGNING_DELEGATIONS.filter((delegation) => signOff.you.signsFor.includes(delegation));
  return {
    propose,
    sign: mine.filter((delegation) => !proposal.signatures[delegation]),
    withdraw: mine.filter((delegation) => proposal.signatures[delegation] !== undefined),
  };
}
