/**
 * Settings → Image host: the S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO…) that
 * images from the computer and library images older than 30 days are uploaded to, to reach Legnext as
 * short-lived presigned links. Save stores the settings (the secret access key goes to the keychain and
 * is never shown again), Test connection sends a tiny image through the stored host and back, Remove
 * forgets both. Opened at `IMAGE_HOST_HASH`, Settings scrolls to this panel.
 */
import { useEffect, useId, useState, type ChangeEvent, type ReactNode } from 'react';
import type { ImageHostConfig, ImageHostView } from '../../../../shared/contract';
import { toCallFailure } from '../../api';
import { Icon } from '../../components/Icon';
import { Badge, Spinner } from '../../components/ui';
import {
  DEFAULT_PREFIX,
  DEFAULT_URL_MINUTES,
  IMAGE_HOST_ANCHOR,
  IMAGE_HOST_HASH,
  MAX_URL_MINUTES,
  MIN_URL_MINUTES,
  loadImageHost,
  removeImageHost,
  saveImageHost,
  testImageHost,
  useImageHost,
} from '../../store/imageHost';
import { toast } from '../../store/ui';
import '../../styles/image-host.css';

/** What the form edits: the stored settings as typed, plus a new secret (blank keeps the stored one). */
interface Draft {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  pathStyle: boolean;
  prefix: string;
  urlMinutes: string;
}

type FieldName = keyof Draft;
type TextFieldName = Exclude<FieldName, 'pathStyle'>;
type FieldErrors = Partial<Record<FieldName, string>>;

const FIELD_ORDER: readonly FieldName[] = [
  'endpoint',
  'region',
  'bucket',
  'accessKeyId',
  'secretAccessKey',
  'pathStyle',
  'prefix',
  'urlMinutes',
];

type Service = 'aws' | 'r2' | 'b2' | 'minio' | 'other';

interface ServicePreset {
  label: string;
  endpointExample: string;
  regionExample: string;
  /** What choosing the service sets path-style to; null leaves it as it is. */
  pathStyle: boolean | null;
  /** A region the service always uses, filled in when the field is empty. */
  region: string | null;
  /** Where to find the endpoint and region. */
  where: string;
}

const SERVICES: Record<Service, ServicePreset> = {
  aws: {
    label: 'AWS S3',
    endpointExample: 'https://s3.eu-west-1.amazonaws.com',
    regionExample: 'eu-west-1',
    pathStyle: false,
    region: null,
    where: 'The endpoint names the bucket’s region: https://s3.<region>.amazonaws.com.',
  },
  r2: {
    label: 'Cloudflare R2',
    endpointExample: 'https://<account-id>.r2.cloudflarestorage.com',
    regionExample: 'auto',
    pathStyle: true,
    region: 'auto',
    where: 'The endpoint is on the bucket’s settings page, under S3 API; the region is always auto.',
  },
  b2: {
    label: 'Backblaze B2',
    endpointExample: 'https://s3.us-west-004.backblazeb2.com',
    regionExample: 'us-west-004',
    pathStyle: false,
    region: null,
    where: 'The endpoint is on the bucket’s page; the region is the part after “s3.”, like us-west-004.',
  },
  minio: {
    label: 'MinIO / self-hosted',
    endpointExample: 'https://minio.example.com',
    regionExample: 'us-east-1',
    pathStyle: true,
    region: null,
    where:
      'Use the S3 API address as the internet reaches it, with path-style on; MinIO’s default region is us-east-1.',
  },
  other: {
    label: 'Other',
    endpointExample: 'https://s3.example.com',
    regionExample: 'us-east-1',
    pathStyle: null,
    region: null,
    where:
      'Any service with an S3-compatible API and Signature V4 works; its documentation names the endpoint and region.',
  },
};

const SERVICE_ORDER: readonly Service[] = ['aws', 'r2', 'b2', 'minio', 'other'];

function hostnameOf(endpoint: string): string | null {
  try {
    return new URL(endpoint.trim()).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return null;
  }
}

/** The service a stored endpoint belongs to, so the picker and its hints match what was set up. */
function serviceOf(config: ImageHostConfig): Service {
  const host = hostnameOf(config.endpoint) ?? '';
  if (host.endsWith('.amazonaws.com')) return 'aws';
  if (host.endsWith('.r2.cloudflarestorage.com')) return 'r2';
  if (host.endsWith('.backblazeb2.com')) return 'b2';
  return config.pathStyle ? 'minio' : 'other';
}

/** This computer or a private network: Legnext's servers cannot fetch anything from there. */
function isLocalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
  }
  return host.includes(':') && /^f[cd]/.test(host);
}

function draftOf(view: ImageHostView): Draft {
  const config = view.config;
  return {
    endpoint: config?.endpoint ?? '',
    region: config?.region ?? '',
    bucket: config?.bucket ?? '',
    accessKeyId: config?.accessKeyId ?? '',
    secretAccessKey: '',
    pathStyle: config?.pathStyle ?? false,
    prefix: config?.prefix ?? DEFAULT_PREFIX,
    urlMinutes: String(config?.urlMinutes ?? DEFAULT_URL_MINUTES),
  };
}

function configOf(draft: Draft): ImageHostConfig {
  return {
    endpoint: draft.endpoint.trim(),
    region: draft.region.trim(),
    bucket: draft.bucket.trim(),
    accessKeyId: draft.accessKeyId.trim(),
    pathStyle: draft.pathStyle,
    prefix: draft.prefix.trim(),
    urlMinutes: Number(draft.urlMinutes),
  };
}

function isUnchanged(draft: Draft, stored: ImageHostConfig): boolean {
  const next = configOf(draft);
  return (
    draft.secretAccessKey.trim() === '' &&
    next.endpoint.replace(/\/+$/, '') === stored.endpoint &&
    next.region === stored.region &&
    next.bucket === stored.bucket &&
    next.accessKeyId === stored.accessKeyId &&
    next.pathStyle === stored.pathStyle &&
    next.prefix === stored.prefix &&
    next.urlMinutes === stored.urlMinutes
  );
}

/** What can be said before asking the core; it checks everything again and has the last word. */
/** Where the stored secret comes from, said where the person would otherwise type a new one. */
const SECRET_SOURCE_WORDS: Record<NonNullable<ImageHostView['secretSource']>, string> = {
  keychain: 'Secret stored in your keychain; leave this blank to keep it.',
  file: 'Secret stored in an encrypted file in your profile; leave this blank to keep it.',
  env: 'Secret read from the GENVAULT_S3_SECRET_ACCESS_KEY environment variable, which wins over one saved here.',
};

function problems(draft: Draft, secretSet: boolean): FieldErrors {
  const found: FieldErrors = {};
  const endpoint = draft.endpoint.trim();
  if (endpoint === '') found.endpoint = 'Enter the address of the service’s S3 API.';
  else if (!/^https?:\/\//i.test(endpoint) || hostnameOf(endpoint) === null) {
    found.endpoint = 'Enter the whole address, starting with https://.';
  }
  if (draft.region.trim() === '') found.region = 'Enter the bucket’s region.';
  if (draft.bucket.trim() === '') found.bucket = 'Enter the name of the bucket.';
  if (draft.accessKeyId.trim() === '') found.accessKeyId = 'Enter the access key ID.';
  const secret = draft.secretAccessKey.trim();
  if (secret === '' && !secretSet) {
    found.secretAccessKey = 'Enter the secret access key that belongs to this access key ID.';
  } else if (secret !== '' && secret.length < 8) {
    found.secretAccessKey = 'That is too short to be a secret access key.';
  }
  const minutes = Number(draft.urlMinutes);
  if (!/^\s*\d+\s*$/.test(draft.urlMinutes) || minutes < MIN_URL_MINUTES || minutes > MAX_URL_MINUTES) {
    found.urlMinutes = `Choose a whole number of minutes from ${MIN_URL_MINUTES} to ${MAX_URL_MINUTES} (7 days).`;
  }
  return found;
}

/** The form field a core error names: `config.bucket` from the contract, `pathStyle` from the core. */
function fieldNamed(field: string | undefined): FieldName | null {
  const name = field?.replace(/^config\./, '');
  return FIELD_ORDER.find((f) => f === name) ?? null;
}

function HostField({
  inputId,
  label,
  error,
  hint,
  wide = false,
  children,
}: {
  inputId: string;
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? 'field image-host-wide' : 'field'}>
      <label htmlFor={inputId}>{label}</label>
      {children}
      <div id={`${inputId}-help`} className="stack-tight">
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {hint}
      </div>
    </div>
  );
}

type Busy = 'save' | 'test' | 'remove' | null;

function ImageHostForm({ view, revision }: { view: ImageHostView; revision: number }) {
  const id = useId();
  const stored = view.config;
  const [draft, setDraft] = useState(() => draftOf(view));
  const [service, setService] = useState<Service>(() => (stored ? serviceOf(stored) : 'aws'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [shownRevision, setShownRevision] = useState(revision);
  // A new revision (saved, removed, loaded again) starts the form over from what is stored, in place, so
  // the focus stays where it was; a test result was about the settings before.
  if (shownRevision !== revision) {
    setShownRevision(revision);
    setDraft(draftOf(view));
    setErrors({});
    setFormError(null);
    setResult(null);
    setConfirmRemove(false);
  }
  const preset = SERVICES[service];
  const changed = stored === null || !isUnchanged(draft, stored);
  const host = hostnameOf(draft.endpoint);
  const inputId = (name: FieldName) => `${id}-${name}`;

  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([name]) => !(name in patch))));
    setFormError(null);
  };

  const showErrors = (found: FieldErrors) => {
    setErrors(found);
    const first = FIELD_ORDER.find((name) => found[name] !== undefined);
    if (first) document.getElementById(inputId(first))?.focus();
  };

  const chooseService = (next: Service) => {
    setService(next);
    const choice = SERVICES[next];
    const patch: Partial<Draft> = {};
    if (choice.pathStyle !== null) patch.pathStyle = choice.pathStyle;
    if (choice.region !== null && draft.region.trim() === '') patch.region = choice.region;
    if (Object.keys(patch).length > 0) edit(patch);
  };

  const save = async () => {
    const found = problems(draft, view.secretSet);
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setBusy('save');
    setErrors({});
    setFormError(null);
    const secret = draft.secretAccessKey.trim();
    try {
      await saveImageHost(configOf(draft), secret === '' ? undefined : secret);
      toast(
        stored
          ? 'The image host settings are saved.'
          : 'The image host is saved. Test the connection to check that it works.',
        'success',
      );
    } catch (err) {
      const failure = toCallFailure(err);
      const field = fieldNamed(failure.field);
      if (field) showErrors({ [field]: failure.message });
      else setFormError(failure.message);
    } finally {
      setBusy(null);
    }
  };

  const runTest = async () => {
    setBusy('test');
    setResult(null);
    try {
      setResult({ ok: true, message: await testImageHost() });
    } catch (err) {
      setResult({ ok: false, message: toCallFailure(err).message });
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setConfirmRemove(false);
    setBusy('remove');
    try {
      await removeImageHost();
      toast('The image host was removed and its secret deleted from your keychain.', 'info');
    } catch (err) {
      toast(toCallFailure(err).message, 'danger');
    } finally {
      setBusy(null);
    }
  };

  const text = (name: TextFieldName) => ({
    id: inputId(name),
    className: 'input',
    value: draft[name],
    spellCheck: false,
    'aria-invalid': errors[name] !== undefined,
    'aria-describedby': `${inputId(name)}-help`,
    onChange: (e: ChangeEvent<HTMLInputElement>) => edit({ [name]: e.target.value }),
  });

  return (
    <form
      className="image-host-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (busy === null && changed) void save();
      }}
    >
      <div className="field">
        <span className="field-label" id={`${id}-service`}>
          Service
        </span>
        <div className="segmented image-host-services" role="radiogroup" aria-labelledby={`${id}-service`}>
          {SERVICE_ORDER.map((s) => (
            <button
              key={s}
              type="button"
              role="radio"
              aria-checked={service === s}
              onClick={() => chooseService(s)}
            >
              {SERVICES[s].label}
            </button>
          ))}
        </div>
        <p className="field-hint">{preset.where}</p>
      </div>

      <div className="image-host-grid">
        <HostField
          inputId={inputId('endpoint')}
          label="Endpoint"
          error={errors.endpoint}
          wide
          hint={
            <>
              <p className="field-hint">
                Legnext’s servers fetch the images from this address, so it must be reachable from the
                internet: not localhost or a private network.
              </p>
              {host && isLocalHost(host) ? (
                <p className="key-note" role="note">
                  <Icon name="alert" size={16} />
                  <span>
                    {host} is this computer or a private network: uploads can work, but Legnext’s servers
                    cannot fetch images from there.
                  </span>
                </p>
              ) : null}
            </>
          }
        >
          <input
            {...text('endpoint')}
            className="input mono"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder={preset.endpointExample}
          />
        </HostField>
        <HostField inputId={inputId('region')} label="Region" error={errors.region}>
          <input
            {...text('region')}
            className="input mono"
            autoComplete="off"
            placeholder={preset.regionExample}
          />
        </HostField>
        <HostField inputId={inputId('bucket')} label="Bucket" error={errors.bucket}>
          <input
            {...text('bucket')}
            className="input mono"
            autoComplete="off"
            placeholder="my-genvault-images"
          />
        </HostField>
        <HostField inputId={inputId('accessKeyId')} label="Access key ID" error={errors.accessKeyId}>
          <input {...text('accessKeyId')} className="input mono" autoComplete="off" />
        </HostField>
        <HostField
          inputId={inputId('secretAccessKey')}
          label="Secret access key"
          error={errors.secretAccessKey}
          hint={
            view.secretSet ? (
              <p className="image-host-stored">
                <Icon name="key" size={14} />
                <span>{SECRET_SOURCE_WORDS[view.secretSource ?? 'keychain']}</span>
              </p>
            ) : (
              <p className="field-hint">Kept in your system keychain and never shown again.</p>
            )
          }
        >
          <input
            {...text('secretAccessKey')}
            type="password"
            autoComplete="off"
            placeholder={view.secretSet ? 'Leave blank to keep the stored secret' : 'Paste the secret'}
          />
        </HostField>
        <div className="field image-host-wide">
          <label className="check">
            <input
              id={inputId('pathStyle')}
              type="checkbox"
              checked={draft.pathStyle}
              aria-invalid={errors.pathStyle !== undefined}
              aria-describedby={`${inputId('pathStyle')}-help`}
              onChange={(e) => edit({ pathStyle: e.target.checked })}
            />
            Path-style URLs
          </label>
          <div id={`${inputId('pathStyle')}-help`} className="stack-tight image-host-check-help">
            {errors.pathStyle ? (
              <p className="field-error" role="alert">
                {errors.pathStyle}
              </p>
            ) : null}
            <p className="field-hint">
              Addresses like endpoint/bucket/key instead of bucket.endpoint/key. MinIO and most self-hosted
              servers need it.
            </p>
          </div>
        </div>
        <HostField
          inputId={inputId('prefix')}
          label="Key prefix"
          error={errors.prefix}
          hint={
            <p className="field-hint">
              Uploads are named <code className="mono">{draft.prefix.trim()}&lt;sha256&gt;.&lt;ext&gt;</code>,
              so the same image goes up once.
            </p>
          }
        >
          <input {...text('prefix')} className="input mono" autoComplete="off" placeholder={DEFAULT_PREFIX} />
        </HostField>
        <HostField
          inputId={inputId('urlMinutes')}
          label="Link lifetime (minutes)"
          error={errors.urlMinutes}
          hint={
            <p className="field-hint">
              Each link is made right before a send and expires after this; from {MIN_URL_MINUTES} minutes to
              7 days.
            </p>
          }
        >
          <input
            {...text('urlMinutes')}
            type="number"
            inputMode="numeric"
            min={MIN_URL_MINUTES}
            max={MAX_URL_MINUTES}
            step={1}
          />
        </HostField>
      </div>

      <p className="muted small">
        The access key needs permission to put, get and delete objects in the bucket; the bucket itself can
        stay private. A lifecycle rule that deletes uploads after a day or two keeps it small.
      </p>

      {formError ? (
        <div className="key-error" role="alert">
          <Icon name="alert" size={16} />
          <p>{formError}</p>
        </div>
      ) : null}

      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy !== null || !changed}>
          {busy === 'save' ? <Spinner label="Saving the image host" /> : null}
          {busy === 'save' ? 'Saving…' : 'Save'}
        </button>
        {stored ? (
          <button
            type="button"
            className="btn"
            disabled={busy !== null || changed}
            aria-describedby={changed ? `${id}-test-why` : undefined}
            onClick={() => void runTest()}
          >
            {busy === 'test' ? <Spinner label="Testing the connection" /> : <Icon name="refresh" size={16} />}
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
        ) : null}
        {stored && changed ? (
          <span className="muted small" id={`${id}-test-why`}>
            Save your changes to test them.
          </span>
        ) : null}
        <span className="spacer" />
        {stored ? (
          confirmRemove ? (
            <>
              <span className="small">Remove the image host and delete its secret from your keychain?</span>
              <button type="button" className="btn btn-danger" onClick={() => void remove()}>
                Remove image host
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setConfirmRemove(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy !== null}
              onClick={() => setConfirmRemove(true)}
            >
              {busy === 'remove' ? <Spinner label="Removing the image host" /> : null}
              Remove image host…
            </button>
          )
        ) : null}
      </div>

      {result ? (
        result.ok ? (
          <div className="image-host-ok" role="status">
            <Icon name="check" size={16} />
            <p>{result.message}</p>
          </div>
        ) : (
          <div className="key-error" role="alert">
            <Icon name="alert" size={16} />
            <p>{result.message}</p>
          </div>
        )
      ) : null}
    </form>
  );
}

/** Scrolls the panel into view when Settings is opened at `IMAGE_HOST_HASH`. */
function useRevealOnHash(): void {
  useEffect(() => {
    const reveal = () => {
      if (window.location.hash === IMAGE_HOST_HASH) {
        document.getElementById(IMAGE_HOST_ANCHOR)?.scrollIntoView({ block: 'start' });
      }
    };
    reveal();
    window.addEventListener('hashchange', reveal);
    return () => window.removeEventListener('hashchange', reveal);
  }, []);
}

export function ImageHostSection() {
  const titleId = useId();
  const view = useImageHost((s) => s.view);
  const loadError = useImageHost((s) => s.loadError);
  const revision = useImageHost((s) => s.revision);
  useEffect(() => {
    void loadImageHost();
  }, []);
  useRevealOnHash();

  return (
    <section id={IMAGE_HOST_ANCHOR} className="panel settings-section" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>Image host</h2>
        {view ? view.config ? <Badge tone="success">Set up</Badge> : <Badge>Not set up</Badge> : null}
      </div>
      <div className="panel-body stack">
        <p className="provider-intro">
          Images from your computer and library images older than 30 days are uploaded to this S3-compatible
          bucket and sent to Legnext as short-lived links; library images from the last 30 days go by their
          Midjourney link and need no host.
        </p>
        {view ? (
          <ImageHostForm view={view} revision={revision} />
        ) : loadError ? (
          <div className="key-error" role="alert">
            <Icon name="alert" size={16} />
            <p>{loadError}</p>
            <button type="button" className="btn btn-sm" onClick={() => void loadImageHost()}>
              Try again
            </button>
          </div>
        ) : (
          <Spinner label="Loading the image host settings" />
        )}
      </div>
    </section>
  );
}
