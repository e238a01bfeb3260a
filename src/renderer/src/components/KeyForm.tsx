/**
 * Entering a Legnext key: a password field, checked by the core with a balance call before it is
 * stored. The key goes to the core once and is never shown again (only its last 4 characters).
 */
import { useId, useState } from 'react';
import type { KeyStatusView } from '../../../shared/contract';
import { toCallFailure } from '../api';
import { saveKey } from '../store/settings';
import { Icon } from './Icon';
import { Spinner } from './ui';

/** What to tell the person for each way a key check can fail. */
function explain(err: unknown): { message: string; hint: string | null } {
  const failure = toCallFailure(err);
  switch (failure.kind) {
    case 'invalid':
    case 'rejected':
      return {
        message: failure.message,
        hint: 'Copy the key again from your Legnext dashboard (API Keys) and paste it here.',
      };
    case 'unavailable':
      return {
        message: failure.message,
        hint: 'Legnext could not be reached. Check your internet connection, then try again.',
      };
    default:
      return { message: failure.message, hint: null };
  }
}

export function KeyForm({
  submitLabel,
  onSaved,
  autoFocus = false,
}: {
  submitLabel: string;
  onSaved(status: KeyStatusView): void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint: string | null } | null>(null);
  const tooShort = key.trim().length > 0 && key.trim().length < 8;

  return (
    <form
      className="key-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy || key.trim().length < 8) return;
        setBusy(true);
        setError(null);
        try {
          const status = await saveKey(key);
          setKey('');
          onSaved(status);
        } catch (err) {
          setError(explain(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-key`}>Legnext API key</label>
        <div className="key-row">
          <input
            id={`${id}-key`}
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            autoFocus={autoFocus}
            placeholder="Paste your key"
            value={key}
            aria-invalid={error !== null || tooShort}
            aria-describedby={`${id}-help`}
            onChange={(e) => {
              setKey(e.target.value);
              setError(null);
            }}
          />
          <button type="submit" className="btn btn-primary" disabled={busy || key.trim().length < 8}>
            {busy ? <Spinner label="Checking the key" /> : <Icon name="key" size={16} />}
            {busy ? 'Checking…' : submitLabel}
          </button>
        </div>
        <div id={`${id}-help`} aria-live="polite">
          {error ? (
            <div className="key-error" role="alert">
              <Icon name="alert" size={16} />
              <div>
                <p>{error.message}</p>
                {error.hint ? <p className="muted small">{error.hint}</p> : null}
              </div>
            </div>
          ) : tooShort ? (
            <p className="field-hint">A Legnext key is longer than that.</p>
          ) : (
            <p className="field-hint">
              GenVault checks the key with Legnext, then keeps it in your system keychain.
            </p>
          )}
        </div>
      </div>
    </form>
  );
}
