/**
 * Form pieces shared by "Animate with…" and Compose's Vidu video: a labelled control, a segmented
 * choice, the model picker (each model with its durations and resolutions), and the duration control
 * that offers only what the model allows.
 */
import { useId, type ReactNode } from 'react';
import type { VideoModelView } from '../../../../shared/contract';

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
      <Field label="Length">
        <Choice
          label="Length"
          value={value}
          options={model.durations.map((d) => ({ value: d, label: `${d} s` }))}
          onChange={onChange}
        />
      </Field>
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
