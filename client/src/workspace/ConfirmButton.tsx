// A button for actions that cannot be undone (revoking a link or a person): the first press asks, in
// place, and only "Yes" acts. In the page rather than window.confirm, so the question can say what
// exactly will happen and keyboard focus stays where the person is working.
import { useEffect, useId, useRef, useState } from 'react';

interface ConfirmButtonProps {
  /** The button's text, e.g. "Revoke". */
  children: string;
  /** Accessible name when the text alone is ambiguous in a list, e.g. "Revoke the link for Amina". */
  label?: string;
  /** The question, e.g. "Revoke this link? Everyone who joined through it is signed out." */
  question: string;
  confirmText: string;
  onConfirm: () => Promise<void>;
  disabled?: boolean;
}

export function ConfirmButton({ children, label, question, confirmText, onConfirm, disabled = false }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const askButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const ids = useId();

  useEffect(() => {
    if (asking) confirmButton.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      askButton.current?.focus();
    }
  }, [asking]);

  if (!asking) {
    return (
      <button ref={askButton} type="button" className="danger-button" aria-label={label} disabled={disabled} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }

  return (
    <span className="confirm" role="group" aria-labelledby={`${ids}-question`}>
      <span id={`${ids}-question`} className="confirm-question">
        {question}
      </span>
      <button
        ref={confirmButton}
        type="button"
        className="danger-button danger-button--solid"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onConfirm().finally(() => {
            setBusy(false);
            setAsking(false);
          });
        }}
      >
        {confirmText}
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          returnFocus.current = true;
          setAsking(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            returnFocus.current = true;
            setAsking(false);
          }
        }}
      >
        Cancel
      </button>
    </span>
  );
}
