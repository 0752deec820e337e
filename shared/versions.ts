// Version history and sign-off, shared by server and client: the JSON the /api/documents/:id/versions
// routes answer with, the canonical serialisation that content hashes are computed over, and the
// sign-off state machine (pure: the server runs it inside one SQLite transaction per request, the
// client may run it to grey out buttons; tests/shared/sign-off.test.ts walks every transition).
import type { Delegation, PersonView, Role } from './workspace.js';
import { SIGNING_DELEGATIONS } from './workspace.js';

export type SigningDelegation = (typeof SIGNING_DELEGATIONS)[number];

// ---- versions ----

/**
 * Why a version exists. `named`: someone saved it with a name. `auto`: saved by the server after a
 * period of editing or when the last person left after changes. `before-restore`: the live text just
 * before a restore replaced it (restoring that version undoes the restore).
 */
export const VERSION_KINDS = ['named', 'auto', 'before-restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** Longest version name accepted. */
export const MAX_VERSION_NAME_LENGTH = 120;

/** The pseudo version id that stands for the live text in `GET …/versions/live` and in compares. */
export const LIVE_VERSION_ID = 'live';

export interface VersionSummary {
  id: string;
  /** 1, 2, 3… per document, in the order versions were saved. */
  number: number;
  /** Null for automatic versions (the client names them by kind). */
  name: string | null;
  kind: VersionKind;
  /** Who saved it (null for automatic versions). */
  author: PersonView | null;
  /** ISO 8601, UTC. The client shows it in the viewer's and in the meeting's time zone. */
  createdAt: string;
  /** Characters (Unicode code points) of text in the version. */
  characters: number;
  /** Size of change against the previous version (the first version counts everything as inserted). */
  change: { inserted: number; deleted: number };
  /** SHA-256 (lowercase hex) of the canonical editor JSON; see `canonicalJson`. */
  contentHash: string;
  /** True for a version both delegations signed (the agreed version, or an earlier agreement). */
  agreed: boolean;
}

export interface VersionDetail extends VersionSummary {
  /** The editor's ProseMirror JSON (`{ type: 'doc', content: [...] }`). */
  content: EditorJson;
  /** Plain text: blocks separated by one newline, hard breaks as newlines. */
  text: string;
}

/** The live text, answered by `GET …/versions/live` (not stored). */
export interface LiveContentView {
  id: typeof LIVE_VERSION_ID;
  content: EditorJson;
  text: string;
  characters: number;
  contentHash: string;
}

export interface EditorJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: EditorJson[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  text?: string;
}

export interface VersionListView {
  documentId: string;
  /** The meeting's time zone (e.g. `Asia/Kabul`), so times can be shown in it as well. */
  meetingTimeZone: string | null;
  /** Newest first. */
  versions: VersionSummary[];
  signOff: SignOffView;
  live: LiveStatusView;
}

export interface LiveStatusView {
  contentHash: string;
  characters: number;
  /** The live text differs from the newest version (false when there is none and the text is empty). */
  changedSinceLastVersion: boolean;
  /** The live text differs from the agreed version; null while nothing has been agreed. */
  changedSinceAgreed: boolean | null;
}

export interface SaveVersionAnswer {
  id: string;
  version: VersionSummary;
}

export interface RestoreAnswer {
  /** False when the live text already equalled the version (nothing was changed or saved). */
  changed: boolean;
  restored: VersionSummary;
  /** The live text as it was just before; restoring it undoes this restore. */
  beforeRestore: VersionSummary | null;
}

// ---- compare ----

/** One run of text in a compare: unchanged, inserted in the newer side, or deleted from the older. */
export interface DiffSpan {
  type: 'same' | 'insert' | 'delete';
  text: string;
  /** For insertions and deletions whose author is known: their delegation and name. */
  delegation?: Delegation;
  author?: string;
}

/** One block (paragraph, heading, list paragraph, rule…) of the compared text, in reading order. */
export interface DiffBlock {
  /** The ProseMirror node type: `paragraph`, `heading`, `codeBlock`, `horizontalRule`… */
  node: string;
  /** The block's attributes (heading `level`, …). */
  attrs: Record<string, unknown>;
  /** Enclosing node types, outermost first (`['bulletList', 'listItem']`). */
  path: string[];
  /** `inserted`/`deleted`: the block itself (its start) is new or gone; its spans say what happened to its text. */
  change: 'same' | 'inserted' | 'deleted';
  spans: DiffSpan[];
}

export interface DiffSide {
  /** A version id, or `live`. */
  id: string;
  number: number | null;
  name: string | null;
  contentHash: string;
}

export interface DiffSummary {
  /** Characters (code points) inserted and deleted, and the number of inserted and deleted runs. */
  insertedCharacters: number;
  deletedCharacters: number;
  insertions: number;
  deletions: number;
  /** The same counts per delegation; `unknown` where the author could not be traced. */
  byDelegation: Partial<Record<Delegation | 'unknown', { inserted: number; deleted: number }>>;
}

export interface VersionDiff {
  from: DiffSide;
  to: DiffSide;
  summary: DiffSummary;
  blocks: DiffBlock[];
}

// ---- audit ----

export const AUDIT_KINDS = ['version-saved', 'restored', 'proposed', 'signed', 'withdrawn', 'agreed'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEntry {
  /** Increases with every event of the whole server; the list is in this order. */
  seq: number;
  at: string;
  kind: AuditKind;
  /** Null for what the server did by itself (automatic versions). */
  actor: PersonView | null;
  versionId: string | null;
  versionNumber: number | null;
  /** Kind-specific facts: `{ versionKind }`, `{ delegation }`, `{ supersedes }`, `{ beforeRestoreVersionId }`, `{ contentHash }`. */
  detail: Record<string, unknown>;
}

// ---- canonical JSON (what content hashes are computed over) ----

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values editor JSON holds: object keys sorted by
 * UTF-16 code units (JavaScript's default sort), no whitespace, strings escaped as JSON.stringify
 * does, numbers as JSON.stringify writes them, `undefined` members left out. Text is hashed exactly
 * as stored: no Unicode normalisation, so a removed zero-width non-joiner changes the hash.
 * contentHash = lowercase hex SHA-256 of the UTF-8 bytes of `canonicalJson(editorJson)`.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no Infinity or NaN');
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonical JSON cannot hold ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

// ---- sign-off ----

export interface SignatureRecord {
  personId: string;
  name: string;
  delegation: SigningDelegation;
  /** ISO 8601. */
  at: string;
}

export interface ProposalRecord {
  versionId: string;
  contentHash: string;
  proposedBy: { personId: string; name: string; delegation: Delegation };
  proposedAt: string;
  signatures: Partial<Record<SigningDelegation, SignatureRecord>>;
}

export interface AgreementRecord extends ProposalRecord {
  signatures: Record<SigningDelegation, SignatureRecord>;
  agreedAt: string;
}

/**
 * A document's sign-off: at most one open proposal, and the latest agreement. An agreement is never
 * changed or withdrawn; a later round (a new proposal after an agreement) leaves it the agreed version
 * until that round is agreed in turn, and `history` keeps every earlier agreement.
 */
export interface SignOffState {
  proposal: ProposalRecord | null;
  agreed: AgreementRecord | null;
  /** Earlier agreements, oldest first. */
  history: AgreementRecord[];
  /** Versions that were proposed and then replaced by another proposal (signing them is refused). */
  superseded: string[];
}

export const EMPTY_SIGN_OFF: SignOffState = { proposal: null, agreed: null, history: [], superseded: [] };

/** `none` → `proposed` → `partly-signed` (one side) → `agreed`; an open proposal takes precedence. */
export type SignOffStatus = 'none' | 'proposed' | 'partly-signed' | 'agreed';

export function signOffStatus(state: SignOffState): SignOffStatus {
  if (state.proposal) return Object.keys(state.proposal.signatures).length > 0 ? 'partly-signed' : 'proposed';
  return state.agreed ? 'agreed' : 'none';
}

/** Who is acting, as the server knows it: their role in the document's group and what they sign for. */
export interface SignOffActor {
  personId: string;
  name: string;
  delegation: Delegation;
  role: Role;
  /** Delegations this person is the group's signatory for (from `PUT /api/groups/:id/signatories`). */
  signsFor: readonly SigningDelegation[];
}

export type SignOffAction =
  | { type: 'propose'; versionId: string; contentHash: string; at: string }
  /** `delegation` defaults to the one the actor signs for; `confirmHash`, if given, must be the proposal's hash. */
  | { type: 'sign'; versionId: string; delegation?: SigningDelegation; confirmHash?: string; at: string }
  | { type: 'withdraw'; versionId: string; delegation?: SigningDelegation; at: string };

export type SignOffEvent =
  | { kind: 'proposed'; versionId: string; supersedes: string | null }
  | { kind: 'signed'; versionId: string; delegation: SigningDelegation }
  | { kind: 'withdrawn'; versionId: string; delegation: SigningDelegation }
  | { kind: 'agreed'; versionId: string; contentHash: string };

export const SIGN_OFF_ERRORS = {
  /** Only rapporteurs and organisers propose a version as final. */
  not_rapporteur: 403,
  /** Signing or withdrawing for a delegation one is not the signatory of. */
  not_signatory: 403,
  no_proposal: 409,
  /** The version was proposed, then another version was proposed instead. */
  proposal_superseded: 409,
  /** The version is not the open proposal (and never was). */
  not_proposed: 409,
  already_proposed: 409,
  already_signed: 409,
  already_agreed: 409,
  /** Withdrawing a signature that was never given. */
  not_signed: 409,
  /** The signer confirmed a different content hash than the version has. */
  hash_mismatch: 409,
} as const;
export type SignOffErrorCode = keyof typeof SIGN_OFF_ERRORS;

export type SignOffResult =
  | { ok: true; state: SignOffState; events: SignOffEvent[] }
  | { ok: false; status: 403 | 409; code: SignOffErrorCode; message: string };

const DELEGATION_LABEL: Record<SigningDelegation, string> = { pk: 'Pakistan', af: 'Afghanistan' };

function refuse(code: SignOffErrorCode, message: string): SignOffResult {
  return { ok: false, status: SIGN_OFF_ERRORS[code], code, message };
}

export function canPropose(role: Role): boolean {
  return role === 'rapporteur' || role === 'organiser';
}

/**
 * The one place that decides a sign-off step. Pure: the same state, action and actor always give the
 * same answer, and a refusal leaves the state untouched (the caller stores nothing).
 */
export function applySignOff(state: SignOffState, action: SignOffAction, actor: SignOffActor): SignOffResult {
  switch (action.type) {
    case 'propose':
      return propose(state, action, actor);
    case 'sign':
      return sign(state, action, actor);
    case 'withdraw':
      return withdraw(state, action, actor);
  }
}

function propose(state: SignOffState, action: Extract<SignOffAction, { type: 'propose' }>, actor: SignOffActor): SignOffResult {
  if (!canPropose(actor.role)) return refuse('not_rapporteur', 'only rapporteurs and organisers propose a version as final');
  if (state.proposal?.versionId === action.versionId) return refuse('already_proposed', 'this version is already proposed');
  if (!state.proposal && state.agreed?.versionId === action.versionId) {
    return refuse('already_agreed', 'this version is already the agreed version');
  }
  const previous = state.proposal;
  const proposal: ProposalRecord = {
    versionId: action.versionId,
    contentHash: action.contentHash,
    proposedBy: { personId: actor.personId, name: actor.name, delegation: actor.delegation },
    proposedAt: action.at,
    signatures: {},
  };
  return {
    ok: true,
    state: {
      ...state,
      proposal,
      superseded: previous ? [...state.superseded.filter((id) => id !== action.versionId), previous.versionId] : state.superseded,
    },
    events: [{ kind: 'proposed', versionId: action.versionId, supersedes: previous?.versionId ?? null }],
  };
}

/** Which delegation the actor acts for: the requested one if they are its signatory. */
function signingDelegation(actor: SignOffActor, requested: SigningDelegation | undefined): SigningDelegation | SignOffResult {
  if (requested !== undefined) {
    if (!actor.signsFor.includes(requested)) {
      return refuse('not_signatory', `you are not the signatory for ${DELEGATION_LABEL[requested]}`);
    }
    return requested;
  }
  const [only, ...others] = actor.signsFor;
  if (only === undefined) return refuse('not_signatory', 'you are not a signatory of this group');
  if (others.length > 0) return refuse('not_signatory', 'you sign for more than one delegation: say which');
  return only;
}

/** Why `versionId` cannot be signed or withdrawn now (null: it is the open proposal). */
function notTheProposal(state: SignOffState, versionId: string): SignOffResult | null {
  if (state.proposal?.versionId === versionId) return null;
  if (state.agreed?.versionId === versionId || state.history.some((a) => a.versionId === versionId)) {
    return refuse('already_agreed', 'this version was already agreed; an agreement cannot be changed');
  }
  if (state.superseded.includes(versionId)) {
    return refuse(
      'proposal_superseded',
      state.proposal ? 'this proposal was replaced by a newer one; sign the version now proposed' : 'this proposal was replaced',
    );
  }
  if (!state.proposal) return refuse('no_proposal', 'no version is proposed as final');
  return refuse('not_proposed', 'this version is not the one proposed as final');
}

function sign(state: SignOffState, action: Extract<SignOffAction, { type: 'sign' }>, actor: SignOffActor): SignOffResult {
  const delegation = signingDelegation(actor, action.delegation);
  if (typeof delegation !== 'string') return delegation;
  const problem = notTheProposal(state, action.versionId);
  if (problem) return problem;
  const proposal = state.proposal as ProposalRecord;
  if (proposal.signatures[delegation]) {
    return refuse('already_signed', `${DELEGATION_LABEL[delegation]} has already signed this version`);
  }
  if (action.confirmHash !== undefined && action.confirmHash !== proposal.contentHash) {
    return refuse('hash_mismatch', 'the content hash you confirmed is not the hash of the proposed version');
  }
  const signature: SignatureRecord = { personId: actor.personId, name: actor.name, delegation, at: action.at };
  const signatures = { ...proposal.signatures, [delegation]: signature };
  const events: SignOffEvent[] = [{ kind: 'signed', versionId: proposal.versionId, delegation }];
  if (!SIGNING_DELEGATIONS.every((d) => signatures[d])) {
    return { ok: true, state: { ...state, proposal: { ...proposal, signatures } }, events };
  }
  const agreement: AgreementRecord = {
    ...proposal,
    signatures: signatures as Record<SigningDelegation, SignatureRecord>,
    agreedAt: action.at,
  };
  events.push({ kind: 'agreed', versionId: proposal.versionId, contentHash: proposal.contentHash });
  return {
    ok: true,
    state: {
      ...state,
      proposal: null,
      agreed: agreement,
      history: state.agreed ? [...state.history, state.agreed] : state.history,
    },
    events,
  };
}

function withdraw(state: SignOffState, action: Extract<SignOffAction, { type: 'withdraw' }>, actor: SignOffActor): SignOffResult {
  const delegation = signingDelegation(actor, action.delegation);
  if (typeof delegation !== 'string') return delegation;
  const problem = notTheProposal(state, action.versionId);
  if (problem) return problem;
  const proposal = state.proposal as ProposalRecord;
  if (!proposal.signatures[delegation]) {
    return refuse('not_signed', `${DELEGATION_LABEL[delegation]} has not signed this version`);
  }
  const signatures = { ...proposal.signatures };
  delete signatures[delegation];
  return {
    ok: true,
    state: { ...state, proposal: { ...proposal, signatures } },
    events: [{ kind: 'withdrawn', versionId: proposal.versionId, delegation }],
  };
}

// ---- the sign-off as the API shows it ----

export interface SignOffView {
  status: SignOffStatus;
  proposal: (ProposalRecord & { versionNumber: number | null }) | null;
  agreed: (AgreementRecord & { versionNumber: number | null }) | null;
  /** The group's signatories now. */
  signatories: Partial<Record<SigningDelegation, PersonView>>;
  /** What the viewer may do. */
  you: { canPropose: boolean; signsFor: SigningDelegation[] };
}
