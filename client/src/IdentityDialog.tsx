// Asks for the name and caret colour others will see. Shown once (nothing stored yet, and then it
// cannot be dismissed without a name) and again whenever the user chooses to change them.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { CARET_COLORS, MAX_NAME_LENGTH, cleanName, type Identity } from './identity.js';

interface IdentityDialogProps {
  initial: Identity;
  /** First visit: no Cancel, Escape does nothing; the document needs a name to show beside your caret. */
  required: boolean;
  onSave: (identity: Identity) => void;
  onCancel: () => void;
}

export function IdentityDialog({ initial, required, onSave, onCancel }: IdentityDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(initial.name);
  const [color, setColor] = useState(initial.color);
  const [error, setError] = useState<string | null>(null);
  const ids = useId();

  useEffect(() => {
    const element = dialog.current;
    // showModal makes the rest of the page inert and traps focus; jsdom lacks it.
    if (element && !element.open && typeof element.showModal === 'function') element.showModal();
    return () => {
      if (element?.open && typeof element.close === 'function') element.close();
    };
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = cleanName(name);
    if (cleaned === '') {
      setError('Please enter the name others will see.');
      return;
    }
    onSave({ name: cleaned, color });
  }

  return (
    <dialog
      ref={dialog}
      className="identity-dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-about`}
      onCancel={(event) => {
        event.preventDefault();
        if (!required) onCancel();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${ids}-title`}>{required ? 'Who is writing?' : 'Your name and colour'}</h2>
        <p id={`${ids}-about`} className="dialog-about">
          Others in the document see this name beside your cursor. It is kept in this browser only.
        </p>
        <label htmlFor={`${ids}-name`}>Your name</label>
        <input
          id={`${ids}-name`}
          name="name"
          type="text"
          dir="auto"
          autoComplete="name"
          autoFocus
          required
          maxLength={MAX_NAME_LENGTH}
          value={name}
          aria-invalid={error !== null}
          aria-describedby={error ? `${ids}-error` : undefined}
          onChange={(event) => {
            setName(event.target.value);
            setError(null);
          }}
        />
        {error && (
          <p id={`${ids}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
        <fieldset className="color-choice">
          <legend>Cursor colour</legend>
          {CARET_COLORS.map((option) => (
            <label key={option.value} className="color-option">
              <input type="radio" name="color" value={option.value} checked={color === option.value} onChange={() => setColor(option.value)} />
              <span className="color-swatch" style={{ backgroundColor: option.value }} aria-hidden="true" />
              {option.label}
            </label>
          ))}
        </fieldset>
        <div className="dialog-actions">
          {!required && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary">
            {required ? 'Start writing' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
