// The sign-off state machine (shared/versions.ts), transition by transition: who may act, what each
// step does to the state, and that every refusal names its reason and leaves the state as it was.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SIGN_OFF,
  SIGN_OFF_ERRORS,
  applySignOff,
  canonicalJson,
  signOffStatus,
  type SignOffAction,
  type SignOffActor,
  type SignOffResult,
  type SignOffState,
} from '../../shared/versions.js';

const at = '2026-03-03T10:00:00.000Z';
const rapporteur: SignOffActor = { personId: 'r', name: 'Rapporteur', delegation: 'pk', role: 'rapporteur', signsFor: [] };
const organiser: SignOffActor = { personId: 'o', name: 'Organiser', delegation: 'org', role: 'organiser', signsFor: [] };
const delegate: SignOffActor = { personId: 'd', name: 'Delegate', delegation: 'af', role: 'delegate', signsFor: [] };
const observer: SignOffActor = { personId: 'x', name: 'Observer', delegation: 'af', role: 'observer', signsFor: [] };
const pkSignatory: SignOffActor = { personId: 'p', name: 'Bilal', delegation: 'pk', role: 'delegate', signsFor: ['pk'] };
const afSignatory: SignOffActor = { personId: 'a', name: 'Zarghuna', delegation: 'af', role: 'delegate', signsFor: ['af'] };

const propose = (versionId: string): SignOffAction => ({ type: 'propose', versionId, contentHash: `hash-${versionId}`, at });
const sign = (versionId: string, extra: Partial<Extract<SignOffAction, { type: 'sign' }>> = {}): SignOffAction => ({
  type: 'sign',
  versionId,
  at,
  ...extra,
});
const withdraw = (versionId: string, extra: Partial<Extract<SignOffAction, { type: 'withdraw' }>> = {}): SignOffAction => ({
  type: 'withdraw',
  versionId,
  at,
  ...extra,
});

function ok(result: SignOffResult): SignOffState {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.state;
}

/** Runs the steps in order, each of which must succeed. */
function run(...steps: Array<[SignOffAction, SignOffActor]>): SignOffState {
  let state = EMPTY_SIGN_OFF;
  for (const [action, actor] of steps) state = ok(applySignOff(state, action, actor));
  return state;
}

function expectRefused(state: SignOffState, action: SignOffAction, actor: SignOffActor, code: keyof typeof SIGN_OFF_ERRORS): void {
  const before = structuredClone(state);
  const result = applySignOff(state, action, actor);
  expect(result).toMatchObject({ ok: false, code, status: SIGN_OFF_ERRORS[code] });
  if (!result.ok) expect(result.message).toMatch(/\w/);
  expect(state).toEqual(before);
}

describe('sign-off: none → proposed', () => {
  it('lets a rapporteur or an organiser propose a version', () => {
    for (const actor of [rapporteur, organiser]) {
      const result = applySignOff(EMPTY_SIGN_OFF, propose('v1'), actor);
      const state = ok(result);
      expect(signOffStatus(state)).toBe('proposed');
      expect(state.proposal).toEqual({
        versionId: 'v1',
        contentHash: 'hash-v1',
        proposedBy: { personId: actor.personId, name: actor.name, delegation: actor.delegation },
        proposedAt: at,
        signatures: {},
      });
      expect(result.ok && result.events).toEqual([{ kind: 'proposed', versionId: 'v1', supersedes: null }]);
    }
  });

  it('refuses delegates, observers and signatories who are not rapporteurs (403 not_rapporteur)', () => {
    for (const actor of [delegate, observer, pkSignatory]) expectRefused(EMPTY_SIGN_OFF, propose('v1'), actor, 'not_rapporteur');
  });

  it('has nothing to sign or withdraw (409 no_proposal)', () => {
    expect(signOffStatus(EMPTY_SIGN_OFF)).toBe('none');
    expectRefused(EMPTY_SIGN_OFF, sign('v1'), pkSignatory, 'no_proposal');
    expectRefused(EMPTY_SIGN_OFF, withdraw('v1'), pkSignatory, 'no_proposal');
  });
});

describe('sign-off: proposed', () => {
  const proposed = run([propose('v1'), rapporteur]);

  it('takes the first signature: partly signed', () => {
    const result = applySignOff(proposed, sign('v1'), pkSignatory);
    const state = ok(result);
    expect(signOffStatus(state)).toBe('partly-signed');
    expect(state.proposal?.signatures).toEqual({ pk: { personId: 'p', name: 'Bilal', delegation: 'pk', at } });
    expect(result.ok && result.events).toEqual([{ kind: 'signed', versionId: 'v1', delegation: 'pk' }]);
  });

  it('refuses a signature for the other delegation, or from someone who signs for none (403 not_signatory)', () => {
    expectRefused(proposed, sign('v1', { delegation: 'af' }), pkSignatory, 'not_signatory');
    expectRefused(proposed, sign('v1', { delegation: 'pk' }), afSignatory, 'not_signatory');
    for (const actor of [rapporteur, organiser, delegate, observer]) expectRefused(proposed, sign('v1'), actor, 'not_signatory');
  });

  it('accepts the delegation named explicitly when it is the signer’s own', () => {
    expect(ok(applySignOff(proposed, sign('v1', { delegation: 'af' }), afSignatory)).proposal?.signatures.af?.personId).toBe('a');
  });

  it('refuses to sign another version (409 not_proposed) and a wrong confirmed hash (409 hash_mismatch)', () => {
    expectRefused(proposed, sign('v2'), pkSignatory, 'not_proposed');
    expectRefused(proposed, sign('v1', { confirmHash: 'hash-v2' }), pkSignatory, 'hash_mismatch');
    expect(ok(applySignOff(proposed, sign('v1', { confirmHash: 'hash-v1' }), pkSignatory)).proposal?.signatures.pk).toBeDefined();
  });

  it('refuses to propose the same version again (409 already_proposed)', () => {
    expectRefused(proposed, propose('v1'), organiser, 'already_proposed');
  });

  it('refuses to withdraw a signature that was not given (409 not_signed)', () => {
    expectRefused(proposed, withdraw('v1'), pkSignatory, 'not_signed');
  });

  it('is superseded by a proposal of another version', () => {
    const result = applySignOff(proposed, propose('v2'), organiser);
    const state = ok(result);
    expect(state.proposal?.versionId).toBe('v2');
    expect(state.superseded).toEqual(['v1']);
    expect(result.ok && result.events).toEqual([{ kind: 'proposed', versionId: 'v2', supersedes: 'v1' }]);
    expectRefused(state, sign('v1'), pkSignatory, 'proposal_superseded');
  });
});

describe('sign-off: partly signed', () => {
  const partly = run([propose('v1'), rapporteur], [sign('v1'), pkSignatory]);

  it('refuses the same side signing twice (409 already_signed)', () => {
    expectRefused(partly, sign('v1'), pkSignatory, 'already_signed');
  });

  it('lets the signer withdraw before the other side signs: back to proposed', () => {
    const result = applySignOff(partly, withdraw('v1'), pkSignatory);
    const state = ok(result);
    expect(signOffStatus(state)).toBe('proposed');
    expect(state.proposal?.signatures).toEqual({});
    expect(result.ok && result.events).toEqual([{ kind: 'withdrawn', versionId: 'v1', delegation: 'pk' }]);
    // …and sign again afterwards.
    expect(signOffStatus(ok(applySignOff(state, sign('v1'), pkSignatory)))).toBe('partly-signed');
  });

  it('refuses withdrawing the other side’s signature (403 not_signatory) or one not given (409 not_signed)', () => {
    expectRefused(partly, withdraw('v1', { delegation: 'pk' }), afSignatory, 'not_signatory');
    expectRefused(partly, withdraw('v1'), afSignatory, 'not_signed');
    expectRefused(partly, withdraw('v1'), rapporteur, 'not_signatory');
  });

  it('drops the signature when a newer version is proposed; the old one can no longer be signed', () => {
    const state = ok(applySignOff(partly, propose('v2'), rapporteur));
    expect(signOffStatus(state)).toBe('proposed');
    expect(state.proposal?.signatures).toEqual({});
    expectRefused(state, sign('v1'), afSignatory, 'proposal_superseded');
    expectRefused(state, withdraw('v1'), pkSignatory, 'proposal_superseded');
  });

  it('becomes agreed when the other side signs', () => {
    const result = applySignOff(partly, sign('v1'), afSignatory);
    const state = ok(result);
    expect(signOffStatus(state)).toBe('agreed');
    expect(state.proposal).toBeNull();
    expect(state.agreed).toMatchObject({
      versionId: 'v1',
      contentHash: 'hash-v1',
      agreedAt: at,
      signatures: { pk: { personId: 'p', delegation: 'pk' }, af: { personId: 'a', delegation: 'af' } },
    });
    expect(result.ok && result.events).toEqual([
      { kind: 'signed', versionId: 'v1', delegation: 'af' },
      { kind: 'agreed', versionId: 'v1', contentHash: 'hash-v1' },
    ]);
  });
});

describe('sign-off: agreed', () => {
  const agreed = run([propose('v1'), rapporteur], [sign('v1'), pkSignatory], [sign('v1'), afSignatory]);

  it('is immutable: no signing, withdrawing or re-proposing the agreed version (409 already_agreed)', () => {
    expectRefused(agreed, sign('v1'), pkSignatory, 'already_agreed');
    expectRefused(agreed, withdraw('v1'), pkSignatory, 'already_agreed');
    expectRefused(agreed, withdraw('v1'), afSignatory, 'already_agreed');
    expectRefused(agreed, propose('v1'), rapporteur, 'already_agreed');
  });

  it('still checks who acts before what state allows (403 before 409)', () => {
    expectRefused(agreed, sign('v1', { delegation: 'af' }), pkSignatory, 'not_signatory');
    expectRefused(agreed, propose('v2'), delegate, 'not_rapporteur');
  });

  it('opens a new round for a later version without touching the agreement until it is agreed', () => {
    const reopened = ok(applySignOff(agreed, propose('v2'), rapporteur));
    expect(signOffStatus(reopened)).toBe('proposed');
    expect(reopened.agreed).toEqual(agreed.agreed);
    expectRefused(reopened, sign('v1'), pkSignatory, 'already_agreed');
    const twice = ok(applySignOff(ok(applySignOff(reopened, sign('v2'), afSignatory)), sign('v2'), pkSignatory));
    expect(twice.agreed?.versionId).toBe('v2');
    expect(twice.history.map((a) => a.versionId)).toEqual(['v1']);
    expectRefused(twice, withdraw('v1'), pkSignatory, 'already_agreed');
  });
});

describe('canonical JSON (what content hashes are computed over)', () => {
  it('sorts keys at every depth, has no whitespace and drops undefined members', () => {
    expect(canonicalJson({ type: 'doc', attrs: { z: 1, a: null }, content: [{ text: 'x', type: 'text', marks: undefined }] })).toBe(
      '{"attrs":{"a":null,"z":1},"content":[{"text":"x","type":"text"}],"type":"doc"}',
    );
  });

  it('keeps text exactly: a zero-width non-joiner and Pashto letters are not normalised away', () => {
    const dari = 'می‌خواهیم';
    expect(canonicalJson({ text: dari })).toBe(`{"text":"${dari}"}`);
    expect(canonicalJson({ text: dari })).not.toBe(canonicalJson({ text: dari.replace('\u200c', '') }));
    expect(canonicalJson(['ځ ګ ښ ۍ ې'])).toBe('["ځ ګ ښ ۍ ې"]');
  });

  it('refuses what JSON cannot say exactly', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson(() => 1)).toThrow();
  });
});
