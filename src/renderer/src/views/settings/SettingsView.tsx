/**
 * Settings: each provider's key and base URL (Legnext, Leonardo, UniAll), the image host, the library
 * folder, the queue, appearance and notifications.
 */
import { useEffect } from 'react';
import type { Settings, Theme } from '../../../../shared/contract';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { KeyForm, StoredKey } from '../../components/KeyForm';
import { Badge, Spinner } from '../../components/ui';
import { formatBytes, formatNumber, formatPoints } from '../../lib/format';
import {
  loadLibraryInfo,
  refreshBalance,
  removeKey,
  revealInFileManager,
  spendable,
  updateSettings,
  useSettings,
} from '../../store/settings';
import { toast } from '../../store/ui';
import { ImageHostSection } from './ImageHostSettings';
import { BaseUrlField, ProviderSection } from './ProviderSettings';

const SOURCE_WORDS = {
  keychain: 'Stored in your system keychain.',
  file: 'Stored in an encrypted file in your profile.',
  env: 'Read from the LEGNEXT_API_KEY environment variable.',
} as const;

function save(patch: Partial<Settings>): void {
  updateSettings(patch).catch((err: unknown) => toast(failureMessage(err), 'danger'));
}

function KeySection() {
  const key = useSettings((s) => s.key);
  const balance = useSettings((s) => s.balance);
  const balanceError = useSettings((s) => s.balanceError);

  return (
    <section className="panel settings-section" aria-labelledby="key-title">
      <div className="panel-header">
        <h2 id="key-title">Legnext (Midjourney)</h2>
      </div>
      <div className="panel-body stack">
        {key?.set ? (
          <StoredKey
            status={key}
            words={{
              source: key.source ? SOURCE_WORDS[key.source] : null,
              replace: 'Replace key',
              keepCurrent: 'Cancel',
              remove: 'Remove key',
              removeQuestion: 'Remove the key? Jobs in flight wait until a key is set again.',
              confirmRemove: 'Remove',
              fromEnv: 'Unset the environment variable to manage the key here.',
            }}
            aside={
              <>
                <span className="spacer" />
                <span className="balance-line">
                  {balance ? (
                    <>
                      <strong>{formatPoints(spendable(balance))}</strong>
                      {balance.balanceUsd !== null ? (
                        <span className="muted"> · ${balance.balanceUsd.toFixed(2)}</span>
                      ) : null}
                      {balance.lowBalance ? <Badge tone="warning">Low balance</Badge> : null}
                    </>
                  ) : balanceError ? (
                    <span className="small danger-text">{balanceError}</span>
                  ) : (
                    <Spinner label="Loading balance" />
                  )}
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon btn-sm"
                    aria-label="Refresh balance"
                    onClick={() => void refreshBalance()}
                  >
                    <Icon name="refresh" size={14} />
                  </button>
                </span>
              </>
            }
            replaceForm={(done) => (
              <KeyForm
                submitLabel="Check and replace"
                autoFocus
                onSaved={() => {
                  done();
                  toast('The new key works and is saved.', 'success');
                }}
              />
            )}
            remove={() =>
              void removeKey()
                .then(() => toast('The key was removed.', 'info'))
                .catch((err: unknown) => toast(failureMessage(err), 'danger'))
            }
          />
        ) : (
          <>
            <p className="muted">
              No key is set: you can browse the library, but nothing can be sent to Midjourney.
            </p>
            <KeyForm
              submitLabel="Check and save"
              onSaved={() => toast('The key works and is saved.', 'success')}
            />
          </>
        )}
        <BaseUrlField provider="legnext" />
      </div>
    </section>
  );
}

function LibrarySection() {
  const library = useSettings((s) => s.library);
  useEffect(() => {
    loadLibraryInfo().catch((err: unknown) => toast(failureMessage(err), 'danger'));
  }, []);
  return (
    <section className="panel settings-section" aria-labelledby="library-folder-title">
      <div className="panel-header">
        <h2 id="library-folder-title">Library folder</h2>
      </div>
      <div className="panel-body stack">
        {library ? (
          <>
            <p className="mono path" title={library.dir}>
              {library.dir}
            </p>
            <dl className="stats">
              <div>
                <dt>Size</dt>
                <dd>{formatBytes(library.bytes)}</dd>
              </div>
              <div>
                <dt>Jobs</dt>
                <dd>{formatNumber(library.jobs)}</dd>
              </div>
              <div>
                <dt>Files</dt>
                <dd>{formatNumber(library.outputs)}</dd>
              </div>
              <div>
                <dt>Saved</dt>
                <dd>{formatNumber(library.archived)}</dd>
              </div>
            </dl>
            {library.canReveal ? (
              <div className="button-row">
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    revealInFileManager().catch((err: unknown) => toast(failureMessage(err), 'danger'))
                  }
                >
                  <Icon name="folder" size={16} /> Open in file manager
                </button>
              </div>
            ) : null}
            <p className="muted small">
              Set <code>GENVAULT_LIBRARY</code> before starting GenVault to use another folder.
            </p>
          </>
        ) : (
          <Spinner label="Loading library information" />
        )}
      </div>
    </section>
  );
}

export function SettingsView() {
  const settings = useSettings((s) => s.settings);

  return (
    <section className="view" aria-labelledby="settings-title">
      <header className="view-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="view-body settings">
        <KeySection />
        <ProviderSection provider="leonardo" />
        <ProviderSection provider="vidu" />
        <ImageHostSection />
        <LibrarySection />
        {settings ? (
          <>
            <section className="panel settings-section" aria-labelledby="queue-title">
              <div className="panel-header">
                <h2 id="queue-title">Queue</h2>
              </div>
              <div className="panel-body stack">
                <div className="field settings-narrow">
                  <div className="control-head">
                    <label htmlFor="settings-concurrency">Jobs in flight at once</label>
                    <output htmlFor="settings-concurrency" className="mono">
                      {settings.concurrency}
                    </output>
                  </div>
                  <input
                    id="settings-concurrency"
                    type="range"
                    min={1}
                    max={12}
                    value={settings.concurrency}
                    onChange={(e) => save({ concurrency: Number(e.target.value) })}
                  />
                </div>
                <p className="muted small">
                  Legnext runs about 6 jobs per account at once; more wait their turn there.
                </p>
              </div>
            </section>
            <section className="panel settings-section" aria-labelledby="appearance-title">
              <div className="panel-header">
                <h2 id="appearance-title">Appearance</h2>
              </div>
              <div className="panel-body stack">
                <div className="inline-field">
                  <span className="field-label" id="theme-label">
                    Theme
                  </span>
                  <div className="segmented" role="radiogroup" aria-labelledby="theme-label">
                    {(['system', 'light', 'dark'] as const satisfies readonly Theme[]).map((t) => (
                      <button
                        key={t}
                        type="button"
                        role="radio"
                        aria-checked={settings.theme === t}
                        onClick={() => save({ theme: t })}
                      >
                        {t === 'system' ? 'System' : t === 'light' ? 'Light' : 'Dark'}
                      </button>
                    ))}
                  </div>
                </div>
              </div>
            </section>
            <section className="panel settings-section" aria-labelledby="notifications-title">
              <div className="panel-header">
                <h2 id="notifications-title">Notifications</h2>
              </div>
              <div className="panel-body">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={settings.notifications}
                    onChange={(e) => save({ notifications: e.target.checked })}
                  />
                  Notify me when a job finishes or fails
                </label>
              </div>
            </section>
          </>
        ) : null}
      </div>
    </section>
  );
}
