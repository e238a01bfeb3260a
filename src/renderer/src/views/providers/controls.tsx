/**
 * Form pieces shared by "Animate with…" and Compose (its image controls, its Midjourney and Vidu
 * videos): a labelled control, a segmented choice, the model picker (each model with its durations
 * and resolutions), the duration control that offers only what the model allows, the seed, the sound
 * switches, the note that sends the person to Settings, and the send button with its reason.
 */
import { useId, type ReactNode } from 'react';
import type { VideoModelView } from '../../../../shared/contract';
import { Icon, type IconName } from '../../components/Icon';
import { Spinner } from '../../components/ui';
import { navigate } from '../../store/ui';

export function Field({
  label,
  htmlFor,
  hint,
  children,
}: {
  label: string;
  /** The control's id when it is a single input; otherwise the label names the group. */
  htmlFor?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="control">
      <div className="control-head">
        {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : <span className="field-label">{label}</span>}
        {hint ? <span className="control-hint">{hint}</span> : null}
      </div>
      {children}
    </div>
  );
}

export function Choice<T extends string | number>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(value: T): void;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** A segmented choice under its label: the label names the radio group too. */
export function ChoiceField<T extends string | number>(props: {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange(value: T): void;
}) {
  return (
    <Field label={props.label}>
      <Choice {...props} />
    </Field>
  );
}

/** Midjourney's video motion and resolution, in Compose and in "Animate with…". */
export const MOTION_OPTIONS = [
  { value: 'low', label: 'Low' },
  { value: 'high', label: 'High' },
] as const satisfies ReadonlyArray<{ value: string; label: string }>;
export const MIDJOURNEY_VIDEO_RESOLUTIONS = [
  { value: 480, label: '480p' },
  { value: 720, label: '720p' },
] as const satisfies ReadonlyArray<{ value: number; label: string }>;

/** "5 or 10 s", "4, 6 or 8 s", "1–16 s". */
export function durationsText(durations: readonly number[]): string {
  if (durations.length === 0) return '';
  const sorted = [...durations].sort((a, b) => a - b);
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  if (sorted.length > 3 && last - first === sorted.length - 1) return `${first}–${last} s`;
  if (sorted.length === 1) return `${first} s`;
  return `${sorted.slice(0, -1).join(', ')} or ${last} s`;
}

/** A model as the picker lists it: "Kling 2.1 Pro — 5 or 10 s · 1080p" (a Vidu label names its resolution). */
export function modelOptionLabel(model: VideoModelView): string {
  const resolutions = model.resolutions.join(', ');
  const parts = [durationsText(model.durations)];
  if (!model.resolutions.every((r) => model.label.includes(r))) parts.push(resolutions);
  return `${model.label} — ${parts.join(' · ')}`;
}

/** A checkbox with its name and, under it, what it does. */
export function Check({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint: string;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  return (
    <label className="check hinted-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="check-text">
        {label}
        <span className="muted small">{hint}</span>
      </span>
    </label>
  );
}

export function ModelPicker({
  id,
  models,
  value,
  onChange,
  images = true,
}: {
  id: string;
  models: readonly VideoModelView[];
  value: string;
  onChange(model: string): void;
  /** Whether to say which images the model takes (not for a video from text alone). */
  images?: boolean;
}) {
  const chosen = models.find((m) => m.id === value);
  const summaryId = useId();
  return (
    <>
      <select
        id={id}
        className="select"
        value={value}
        aria-describedby={chosen ? summaryId : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {modelOptionLabel(m)}
          </option>
        ))}
      </select>
      {chosen ? (
        <p id={summaryId} className="model-summary">
          <span>
            <strong>Lengths</strong> {durationsText(chosen.durations)}
          </span>
          <span>
            <strong>Resolution</strong> {chosen.resolutions.join(', ')}
          </span>
          {images && chosen.accepts.lastFrame ? (
            <span>
              <strong>End frame</strong> yes
            </span>
          ) : null}
          {images && chosen.accepts.references > 0 ? (
            <span>
              <strong>References</strong> up to {chosen.accepts.references}
            </span>
          ) : null}
        </p>
      ) : null}
    </>
  );
}

/** A few lengths as a choice; a long range (Vidu's 1–16 s) as a slider. */
export function DurationControl({
  id,
  model,
  value,
  onChange,
}: {
  id: string;
  model: VideoModelView;
  value: number;
  onChange(seconds: number): void;
}) {
  if (model.durations.length <= 4) {
    return (
      <ChoiceField
        label="Length"
        value={value}
        options={model.durations.map((d) => ({ value: d, label: `${d} s` }))}
        onChange={onChange}
      />
    );
  }
  const min = Math.min(...model.durations);
  const max = Math.max(...model.durations);
  return (
    <Field
      label="Length"
      htmlFor={id}
      hint={
        <output htmlFor={id} className="mono">
          {`${value} s`}
        </output>
      }
    >
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={1}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </Field>
  );
}

/** Digits only, within `max`; blank is "random". Returns the seed, null for blank, or an error text. */
export function parseSeed(text: string, max = 2_147_483_647): number | null | string {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t) || Number(t) > max) return `The seed is a whole number from 0 to ${max}.`;
  return Number(t);
}

/** The seed as typed (blank is random), with the reason it cannot be sent under it. */
export function SeedField({
  id,
  value,
  error,
  onChange,
}: {
  id: string;
  value: string;
  error: string | null;
  onChange(seed: string): void;
}) {
  return (
    <Field label="Seed" htmlFor={id}>
      <input
        id={id}
        className="input"
        inputMode="numeric"
        placeholder="Random"
        value={value}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </Field>
  );
}

/** Vidu's sound: dialogue and effects, and background music. */
export function SoundSwitches({
  audio,
  bgm,
  onChange,
}: {
  audio: boolean;
  bgm: boolean;
  onChange(patch: { audio?: boolean; bgm?: boolean }): void;
}) {
  return (
    <div className="animate-switches" role="group" aria-label="Sound">
      <Check
        label="Sound"
        hint="Dialogue and effects"
        checked={audio}
        onChange={(on) => onChange({ audio: on })}
      />
      <Check label="Music" hint="Background music" checked={bgm} onChange={(on) => onChange({ bgm: on })} />
    </div>
  );
}

/** What is missing before a provider can be used (a key, a gateway URL), with the way to Settings. */
export function SettingsBlocker({ text }: { text: string }) {
  return (
    <p className="animate-blocker" role="note">
      <Icon name="key" size={16} />
      <span>
        {text}{' '}
        <a
          href="#/settings"
          onClick={(e) => {
            e.preventDefault();
            navigate({ view: 'settings' });
          }}
        >
          Open Settings
        </a>
      </span>
    </p>
  );
}

/** Stands where the model controls go until the provider's models have loaded (or failed to). */
export function ModelsLoading({ error }: { error: string | null }) {
  return (
    <p className="muted small">
      {error ?? (
        <>
          <Spinner label="Loading the models" /> Loading the models…
        </>
      )}
    </p>
  );
}

/** A form's send button; `reason`, when there is one, says why it is disabled and describes it. */
export function SubmitWithReason({
  id,
  reason,
  quiet = false,
  busy,
  icon,
  children,
}: {
  /** The DOM id of the reason's paragraph. */
  id: string;
  reason: string | null;
  /** The reason is already said nearby (a note pointing to Settings): the button only disables. */
  quiet?: boolean;
  busy: boolean;
  icon: IconName;
  children: ReactNode;
}) {
  const said = Boolean(reason) && !quiet;
  return (
    <>
      {said ? (
        <p className="submit-reason" id={id}>
          {reason}
        </p>
      ) : null}
      <button
        type="submit"
        className="btn btn-primary"
        disabled={reason !== null || busy}
        aria-describedby={said ? id : undefined}
      >
        {busy ? <Spinner label="Sending" /> : <Icon name={icon} size={16} />}
        {children}
      </button>
    </>
  );
}
