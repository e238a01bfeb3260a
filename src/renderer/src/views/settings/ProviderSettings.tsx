/**
 * Settings for each provider's connection: the API key of Leonardo and UniAll (set, replace, remove;
 * only the last 4 characters are ever shown, with where the key comes from) and every provider's base
 * URL, with where calls really go now and the note when an environment variable wins.
 */
import { useEffect, useId, useState } from 'react';
import type { KeyStatusView, ProviderEndpointView } from '../../../../shared/contract';
import type { Provider } from '../../../../shared/domain';
import { toCallFailure } from '../../api';
import { Icon } from '../../components/Icon';
import { ApiKeyForm, StoredKey } from '../../components/KeyForm';
import { Spinner } from '../../components/ui';
import {
  ACCOUNT_NAMES,
  endpointOf,
  loadProviders,
  refreshEndpoints,
  removeProviderKey,
  saveProviderKey,
  useProviders,
  type VideoProvider,
} from '../../store/providers';
import { updateSettings, useSettings } from '../../store/settings';
import { toast } from '../../store/ui';
import '../../styles/providers.css';

const KEY_ENV: Record<VideoProvider, string> = { leonardo: 'LEONARDO_API_KEY', vidu: 'UNIALL_API_KEY' };

const KEY_SOURCE_WORDS: Record<Exclude<KeyStatusView['source'], null>, (env: string) => string> = {
  keychain: () => 'Stored in your system keychain.',
  file: () => 'Stored in an encrypted file in your profile.',
  env: (env) => `Read from the ${env} environment variable.`,
};

/** How each key is checked before it is stored, said before the person pastes it. */
const KEY_CHECK_WORDS: Record<VideoProvider, string> = {
  leonardo:
    'GenVault checks the key with Leonardo (an account lookup that costs nothing), then keeps it in your system keychain.',
  vidu: 'UniAll offers no way to check a key without making a video, so GenVault only checks its form and keeps it in your system keychain; your gateway says whether it works on your first Vidu video.',
};

function ProviderKeyForm({
  provider,
  submitLabel,
  onSaved,
  autoFocus = false,
}: {
  provider: VideoProvider;
  submitLabel: string;
  onSaved(): void;
  autoFocus?: boolean;
}) {
  return (
    <ApiKeyForm
      account={ACCOUNT_NAMES[provider]}
      checkWords={KEY_CHECK_WORDS[provider]}
      save={(key) => saveProviderKey(provider, key)}
      submitLabel={submitLabel}
      onSaved={onSaved}
      autoFocus={autoFocus}
    />
  );
}

function ProviderKey({ provider }: { provider: VideoProvider }) {
  const status = useProviders((s) => s.keys[provider]);
  const name = ACCOUNT_NAMES[provider];
  const check = provider === 'leonardo' ? 'Check and save' : 'Save key';

  if (!status) return <Spinner label={`Loading the ${name} key status`} />;
  if (!status.set) {
    return (
      <>
        <p className="muted small">No {name} key yet.</p>
        <ProviderKeyForm
          provider={provider}
          submitLabel={check}
          onSaved={() => toast(`The ${name} key is saved.`, 'success')}
        />
      </>
    );
  }
  return (
    <StoredKey
      status={status}
      words={{
        source: status.source ? KEY_SOURCE_WORDS[status.source](KEY_ENV[provider]) : null,
        replace: `Replace ${name} key`,
        keepCurrent: `Keep the ${name} key`,
        remove: `Remove ${name} key…`,
        removeQuestion: `Remove the ${name} key? Its videos wait until a key is set again.`,
        confirmRemove: `Remove ${name} key`,
        fromEnv: `Unset ${KEY_ENV[provider]} to manage this key here.`,
      }}
      replaceForm={(done) => (
        <ProviderKeyForm
          provider={provider}
          submitLabel={provider === 'leonardo' ? 'Check and replace' : 'Replace key'}
          autoFocus
          onSaved={() => {
            done();
            toast(`The new ${name} key is saved.`, 'success');
          }}
        />
      )}
      remove={() =>
        void removeProviderKey(provider)
          .then(() => toast(`The ${name} key was removed.`, 'info'))
          .catch((err: unknown) => toast(toCallFailure(err).message, 'danger'))
      }
    />
  );
}

function endpointWords(endpoint: ProviderEndpointView): string {
  switch (endpoint.source) {
    case 'env':
      return `from ${endpoint.envVar}`;
    case 'settings':
      return 'from this setting';
    case 'default':
      return 'the public default';
    case 'none':
      return '';
  }
}

/** The base URL of one provider: saved with Settings, applied to the next request. */
export function BaseUrlField({ provider }: { provider: Provider }) {
  const id = useId();
  const stored = useSettings((s) => s.settings?.baseUrls[provider] ?? '');
  const endpoint = useProviders((s) => endpointOf(s.endpoints, provider));
  const [value, setValue] = useState(stored);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = ACCOUNT_NAMES[provider];
  const gateway = provider === 'vidu';

  useEffect(() => setValue(stored), [stored]);

  const save = async () => {
    const baseUrls = useSettings.getState().settings?.baseUrls;
    if (!baseUrls) return;
    setBusy(true);
    setError(null);
    try {
      await updateSettings({ baseUrls: { ...baseUrls, [provider]: value.trim() } });
      await refreshEndpoints();
      toast(
        value.trim() === ''
          ? `${name} calls go to ${gateway ? 'no gateway until one is set' : 'the public default'}.`
          : `${name} calls now go to ${value.trim()}.`,
        'success',
      );
    } catch (err) {
      setError(toCallFailure(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="field base-url-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy && value.trim() !== stored) void save();
      }}
    >
      <label htmlFor={`${id}-url`}>{gateway ? 'UniAll gateway URL' : `${name} API base URL`}</label>
      <div className="base-url-row">
        <input
          id={`${id}-url`}
          className="input mono"
          type="url"
          inputMode="url"
          spellCheck={false}
          placeholder={endpoint?.defaultUrl ?? 'https://your-gateway.example'}
          value={value}
          aria-invalid={error !== null}
          aria-describedby={`${id}-help`}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="btn" disabled={busy || value.trim() === stored}>
          {busy ? <Spinner label="Saving" /> : null}
          Save
        </button>
      </div>
      <div id={`${id}-help`} className="stack-tight">
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {gateway ? (
          <p className="field-hint">
            UniAll is reached through your own gateway, so there is no default: this must be set for Vidu
            videos.
          </p>
        ) : (
          <p className="field-hint">Leave it empty to use the public API.</p>
        )}
        {endpoint ? (
          endpoint.url ? (
            <p className="endpoint-line">
              Calls go to <span className="mono">{endpoint.url}</span>
              <span>({endpointWords(endpoint)})</span>
            </p>
          ) : (
            <p className="endpoint-line">No gateway is set yet.</p>
          )
        ) : null}
        {endpoint && stored !== '' && endpoint.source !== 'settings' && endpoint.source !== 'env' ? (
          <p className="field-hint">
            The address saved here is not in use yet: calls still go where it says above.
          </p>
        ) : null}
        {endpoint?.source === 'env' ? (
          <p className="env-note" role="note">
            <Icon name="info" size={16} />
            <span>
              <code>{endpoint.envVar}</code> is set where GenVault runs, so it wins over this field. Unset it
              and restart GenVault to use the value saved here.
            </span>
          </p>
        ) : null}
      </div>
    </form>
  );
}

const INTRO: Record<VideoProvider, string> = {
  leonardo: 'Image-to-video with Motion 2.0, Veo 3 and Kling. Billed in Leonardo API credits.',
  vidu: 'Vidu Q3 video through UniAll: from text, an image, first and last frames, or reference images. Billed by your gateway.',
};

export function ProviderSection({ provider }: { provider: VideoProvider }) {
  const titleId = useId();
  useEffect(() => {
    void loadProviders();
  }, []);
  return (
    <section className="panel settings-section" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>{provider === 'vidu' ? 'UniAll (Vidu)' : 'Leonardo'}</h2>
      </div>
      <div className="panel-body stack">
        <p className="provider-intro">{INTRO[provider]}</p>
        <ProviderKey provider={provider} />
        <BaseUrlField provider={provider} />
      </div>
    </section>
  );
}
