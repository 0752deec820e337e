// A button that shows and hides a small form in place (rename, add a meeting…), so the lobby stays a
// readable tree for organisers too. The button says whether it is open (aria-expanded); closing after
// a save puts focus back on it, so a keyboard user is not dropped at the top of the page.
import { useId, useRef, useState, type ReactNode } from 'react';

interface DisclosureProps {
  /** The button's text. */
  summary: string;
  /** Its accessible name when the text alone is ambiguous in a list ("Edit" → "Edit meeting 3"). */
  label?: string;
  className?: string;
  children: (close: () => void) => ReactNode;
}

export function Disclosure({ summary, label, className, children }: DisclosureProps) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = (): void => {
    setOpen(false);
    // After React has removed the panel; the button itself stays mounted.
    queueMicrotask(() => button.current?.focus());
  };
  return (
    <div className={`disclosure${className ? ` ${className}` : ''}`}>
      <button
        ref={button}
        type="button"
        className="disclosure-button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        onClick={() => setOpen((was) => !was)}
      >
        {summary}
      </button>
      {open && (
        <div id={id} className="disclosure-panel">
          {children(close)}
        </div>
      )}
    </div>
  );
}
