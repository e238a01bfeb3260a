/**
 * A provider's API key in Settings and on the welcome screen: the form that takes a new key (a
 * password field; the key goes to the core once and is never shown again) and, for a stored key, its
 * last 4 characters, where it comes from, and Replace and Remove. Legnext, Leonardo and UniAll keys
 * all go through these; each says in its own words how its key is checked.
 */
import { useId, useState, type ReactNode } from 'react';
import type { KeyStatusView } from '../../../shared/contract';
import { toCallFailure } from '../api';
import { saveKey } from '../store/settings';
import { Icon } from './Icon';
import { Spinner } from './ui';

/** Why a key was not saved, and what to do about it when there is something to do. */
export interface KeyFailure {
  message: string;
  hint: string | null;
}

/** Keys shorter than this are mistakes in pasting: no provider issues keys this short. */
const MIN_KEY_CHARS = 8;

function plainFailure(err: unknown): KeyFailure {
  return { message: toCallFailure(err).message, hint: null };
}

/** What to tell the person for each way a Legnext key check can fail. */
function explainLegnextFailure(err: unknown): KeyFailure {
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

export function ApiKeyForm<T>({
  account,
  checkWords,
  save,
  explain = plainFailure,
  submitLabel,
  onSaved,
  autoFocus = false,
}: {
  /** The account's name as its owner knows it: "Legnext", "Leonardo", "UniAll". */
  account: string;
  /** How the key is checked before it is stored, said under the field before anything goes wrong. */
  checkWords: string;
  /** Checks and stores the key; what it resolves to is handed to `onSaved`. */
  save(key: string): Promise<T>;
  explain?(err: unknown): KeyFailure;
  submitLabel: string;
  onSaved(saved: T): void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KeyFailure | null>(null);
  const tooShort = key.trim().length > 0 && key.trim().length < MIN_KEY_CHARS;

  return (
    <form
      className="key-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (busy || key.trim().length < MIN_KEY_CHARS) return;
        setBusy(true);
        setError(null);
        try {
          const saved = await save(key);
          setKey('');
          onSaved(saved);
        } catch (err) {
          setError(explain(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-key`}>{account} API key</label>
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
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || key.trim().length < MIN_KEY_CHARS}
          >
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
          ) : (
            <p className="field-hint">{tooShort ? `A ${account} key is longer than that.` : checkWords}</p>
          )}
        </div>
      </div>
    </form>
  );
}

/** The Legnext key form; it resolves to the stored key's status (its last 4, any keychain note). */
export function KeyForm(props: {
  submitLabel: string;
  onSaved(status: KeyStatusView): void;
  autoFocus?: boolean;
}) {
  return (
    <ApiKeyForm
      {...props}
      account="Legnext"
      checkWords="GenVault checks the key with Legnext, then keeps it in your system keychain."
      save={saveKey}
      explain={explainLegnextFailure}
    />
  );
}

/** The note the main side attaches to a key when no keychain answered (where the key really went). */
export function KeyNote({ note }: { note: string | null | undefined }) {
  return note ? (
    <p className="key-note" role="note">
      <Icon name="info" size={16} /> {note}
    </p>
  ) : null;
}

/** Words for each way a stored key can be managed; the account's name is already in them. */
export interface StoredKeyWords {
  /** Where the key comes from (keychain, encrypted file, environment variable), or null. */
  source: string | null;
  replace: string;
  /** The Replace button's label while the replacement form is open. */
  keepCurrent: string;
  remove: string;
  /** The question asked before removing, with what happens to work that needs the key. */
  removeQuestion: string;
  confirmRemove: string;
  /** Said instead of the buttons when an environment variable supplies the key. */
  fromEnv: string;
}

/**
 * A stored key: "Key ending in ••••1234" with where it comes from (and `aside`, such as the balance),
 * the keychain note, the replacement form when asked for, and Replace / Remove (with a confirmation),
 * unless an environment variable supplies the key.
 */
export function StoredKey({
  status,
  words,
  aside,
  replaceForm,
  remove,
}: {
  status: KeyStatusView;
  words: StoredKeyWords;
  aside?: ReactNode;
  /** The form that replaces the key; `done` closes it once the new key is saved. */
  replaceForm(done: () => void): ReactNode;
  remove(): void;
}) {
  const [replacing, setReplacing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  return (
    <>
      <div className="key-status">
        <Icon name="key" size={18} />
        <div>
          <p>
            Key ending in <span className="mono">••••{status.last4}</span>
          </p>
          <p className="muted small">{words.source}</p>
        </div>
        {aside}
      </div>
      <KeyNote note={status.note} />
      {replacing ? replaceForm(() => setReplacing(false)) : null}
      {status.source === 'env' ? (
        <p className="muted small">{words.fromEnv}</p>
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="btn"
            aria-expanded={replacing}
            onClick={() => setReplacing((r) => !r)}
          >
            {replacing ? words.keepCurrent : words.replace}
          </button>
          {confirmRemove ? (
            <>
              <span className="small">{words.removeQuestion}</span>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => {
                  setConfirmRemove(false);
                  remove();
                }}
              >
                {words.confirmRemove}
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setConfirmRemove(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-danger" onClick={() => setConfirmRemove(true)}>
              {words.remove}
            </button>
          )}
        </div>
      )}
    </>
  );
}
