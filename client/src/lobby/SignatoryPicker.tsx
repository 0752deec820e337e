// Per working group, who signs agreed texts for Pakistan and for Afghanistan. Organisers choose from
// the members who may sign (see signatoryCandidates); the choice is saved as soon as it is made.
import { useId, useState } from 'react';
import { SIGNING_DELEGATIONS, type GroupView, type MemberView } from '../../../shared/workspace.js';
import { signatoryCandidates } from '../workspace/signatories.js';
import { workspaceApi } from '../workspace/workspace-api.js';
import { delegationName } from '../workspace/wording.js';
import { useAction } from './use-action.js';

interface SignatoryPickerProps {
  group: GroupView;
  members: readonly MemberView[];
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}

export function SignatoryPicker({ group, members, onChanged, onSessionEnded }: SignatoryPickerProps) {
  return (
    <fieldset className="signatories">
      <legend>Signatories</legend>
      {SIGNING_DELEGATIONS.map((delegation) => (
        <SignatorySelect key={delegation} group={group} delegation={delegation} members={members} onChanged={onChanged} onSessionEnded={onSessionEnded} />
      ))}
    </fieldset>
  );
}

function SignatorySelect({
  group,
  delegation,
  members,
  onChanged,
  onSessionEnded,
}: SignatoryPickerProps & { delegation: 'pk' | 'af' }) {
  const ids = useId();
  const action = useAction(onSessionEnded);
  const [saved, setSaved] = useState(false);
  const current = group.signatories[delegation] ?? null;
  const candidates = signatoryCandidates(members, group.id, delegation);
  // The current signatory stays listed even if they could no longer be chosen (e.g. now an observer).
  const options = current && !candidates.some((m) => m.id === current.id) ? [{ id: current.id, name: current.name }, ...candidates] : candidates;

  async function choose(personId: string | null) {
    setSaved(false);
    if (await action.run(() => workspaceApi.setSignatory(group.id, delegation, personId))) {
      await onChanged();
      setSaved(true);
    }
  }

  return (
    <div className="field signatory-field">
      <label htmlFor={`${ids}-select`}>Signs for {delegationName(delegation)}</label>
      <select
        id={`${ids}-select`}
        value={current?.id ?? ''}
        disabled={action.busy}
        aria-describedby={`${ids}-note`}
        onChange={(event) => void choose(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">Not chosen</option>
        {options.map((member) => (
          <option key={member.id} value={member.id} dir="auto">
            {member.name}
          </option>
        ))}
      </select>
      <span id={`${ids}-note`} className="field-note" role="status">
        {action.error ? '' : saved ? 'Saved' : candidates.length === 0 ? `No ${delegationName(delegation)} member of this group can sign yet` : ''}
      </span>
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </div>
  );
}
