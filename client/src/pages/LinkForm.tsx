// One field for a pasted link (a document's or an invitation's): left-to-right, the error said in
// words and tied to the field, and the page it leads to once the link reads right.
import { useId, useState, type FormEvent } from 'react';

export function LinkForm({
  label,
  submitText,
  primary = false,
  hint,
  parse,
  invalidMessage,
  onLink,
}: {
  label: string;
  submitText: string;
  primary?: boolean;
  /** Shown under the field while there is no error. */
  hint?: string;
  /** What the input names (a document id, an invitation code), or null when it names nothing. */
  parse: (input: string) => string | null;
  invalidMessage: string;
  onLink: (value: string) => void;
}) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = parse(input);
    if (value === null) {
      setError(invalidMessage);
      return;
    }
    onLink(value);
  }

  return (
    <form className="open-form" onSubmit={submit} noValidate>
      <label htmlFor={`${ids}-input`}>{label}</label>
      <div className="open-row">
        <input
          id={`${ids}-input`}
          type="text"
          dir="ltr"
          spellCheck={false}
          autoComplete="off"
          value={input}
          aria-invalid={error !== null}
          aria-describedby={error ? `${ids}-error` : hint ? `${ids}-hint` : undefined}
          onChange={(event) => {
            setInput(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className={primary ? 'primary' : undefined}>
          {submitText}
        </button>
      </div>
      {error ? (
        <p id={`${ids}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : (
        hint && (
          <p id={`${ids}-hint`} className="field-note">
            {hint}
          </p>
        )
      )}
    </form>
  );
}
