// A content hash shown in full (64 hex digits, monospace, selectable) with a Copy button, so a
// signatory can read it out or paste it into a minute and the other side can check it matches.
import { useId, useState } from 'react';

export function HashField({ label, hash }: { label: string; hash: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const id = useId();
  async function copy() {
    try {
      await navigator.clipboard.writeText(hash);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <div className="hash-field">
      <span id={`${id}-label`} className="hash-label">
        {label}
      </span>
      <code className="hash" dir="ltr" aria-labelledby={`${id}-label`}>
        {hash}
      </code>
      <button type="button" aria-label={`Copy the ${label.toLowerCase()}`} aria-describedby={`${id}-feedback`} onClick={() => void copy()}>
        Copy hash
      </button>
      <span id={`${id}-feedback`} className="copy-feedback" role="status">
        {state === 'copied' ? 'Hash copied' : state === 'failed' ? 'Could not copy; select the hash and copy it yourself' : ''}
      </span>
    </div>
  );
}
