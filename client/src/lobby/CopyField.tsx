// A link shown in full with a Copy button, for sending an invitation by whatever channel the
// organisers use (Signal, e-mail, a printed sheet). The field is selectable too, for when the
// clipboard is refused (insecure origin, browser policy).
import { useId, useState } from 'react';

export function CopyField({ label, value }: { label: string; value: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const ids = useId();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <div className="copy-field">
      <label htmlFor={`${ids}-value`}>{label}</label>
      <div className="copy-row">
        <input id={`${ids}-value`} type="text" dir="ltr" readOnly value={value} spellCheck={false} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={() => void copy()} aria-describedby={`${ids}-feedback`}>
          Copy
        </button>
      </div>
      <span id={`${ids}-feedback`} className="copy-feedback" role="status">
        {state === 'copied' ? 'Link copied' : state === 'failed' ? 'Could not copy; select the link and copy it yourself' : ''}
      </span>
    </div>
  );
}

/** Copies without showing the value (rows of a list already name what they are). */
export function CopyButton({ label, value }: { label: string; value: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <>
      <button type="button" aria-label={label} onClick={() => void copy()}>
        Copy link
      </button>
      <span className="copy-feedback" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </>
  );
}
