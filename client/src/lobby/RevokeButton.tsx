// "Revoke" in a row of the invitations or members table: asks first, runs the change, refreshes the
// list, and says in words why it failed (the error stays visible after the row changes).
import { ConfirmButton } from '../workspace/ConfirmButton.js';
import { useAction } from './use-action.js';

export function RevokeButton({
  show,
  label,
  question,
  revoke,
  onChanged,
  onSessionEnded,
}: {
  /** False once there is nothing left to revoke (the button goes, an earlier error stays). */
  show: boolean;
  label: string;
  question: string;
  revoke: () => Promise<unknown>;
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}) {
  const action = useAction(onSessionEnded);
  return (
    <>
      {show && (
        <ConfirmButton
          label={label}
          question={question}
          confirmText="Yes, revoke"
          onConfirm={async () => {
            if (await action.run(revoke)) await onChanged();
          }}
        >
          Revoke
        </ConfirmButton>
      )}
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </>
  );
}
