/**
 * What every follow-up panel is made of: the frame (title, what it does, whether it is available and
 * why not, cost, the send button), labelled fields that show their problem, choice rows, a prompt
 * field checked live by the core, and validation before sending.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { PromptCheckView } from '../../../../shared/contract';
import { call, failureMessage } from '../../api';
import { Icon, type IconName } from '../../components/Icon';
import { Spinner } from '../../components/ui';
import { formatPoints } from '../../lib/format';
import { useFollowUps } from '../../store/followups';
import { costOf, type PanelProps } from './types';

/** A field's problem, named by its request field (`scale`, `remixPrompt`, `mask.areas`). */
export interface Problem {
  field: string;
  message: string;
}

/** The DOM id of a request field's control, so a problem can focus it. */
export function fieldId(field: string): string {
  return `fu-${field.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** The DOM id of a field's visible label, for groups labelled by it (`aria-labelledby`). */
export function labelId(field: string): string {
  return `${fieldId(field)}-label`;
}

function sameField(reported: string, field: string): boolean {
  return reported === field || reported.startsWith(`${field}.`) || reported.startsWith(`${field}[`);
}

export interface Validation {
  /** The problem to show for a field: the panel's own once a send was tried, or the core's. */
  errorFor(field: string): string | undefined;
  /** A failure the core reported without a field the panel shows. */
  general: string | null;
  /** Sends when nothing is wrong; otherwise shows every problem and focuses the first. */
  submit(): void;
}

/**
 * Validation before sending: problems are computed on every render but shown only once the person
 * has tried to send (so an empty form is not shouted at), and the first one gets focus.
 */
export function useValidation(problems: Problem[], fields: readonly string[], send: () => void): Validation {
  const [attempted, setAttempted] = useState(false);
  const server = useFollowUps((s) => s.error);
  const errorFor = (field: string): string | undefined => {
    const own = attempted ? problems.find((p) => p.field === field)?.message : undefined;
    if (own) return own;
    return server?.field && sameField(server.field, field) ? server.message : undefined;
  };
  const serverShown = server?.field ? fields.some((f) => sameField(server.field!, f)) : false;
  return {
    errorFor,
    general: server && !serverShown ? server.message : null,
    submit() {
      const first = problems[0];
      if (first) {
        setAttempted(true);
        document.getElementById(fieldId(first.field))?.focus();
        return;
      }
      send();
    },
  };
}

/** Props for a control inside a `Field`: its id and how it points at its error. */
export function controlProps(field: string, error: string | undefined) {
  const id = fieldId(field);
  return {
    id,
    'aria-invalid': error ? (true as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
}

export function Field({
  field,
  label,
  error,
  hint,
  children,
  labelFor = true,
}: {
  field: string;
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  /** False when the control is a group (radios) labelled by its own aria-label. */
  labelFor?: boolean;
}) {
  const id = fieldId(field);
  return (
    <div className="field fu-field">
      {labelFor ? (
        <label htmlFor={id}>{label}</label>
      ) : (
        <span className="field-label" id={labelId(field)}>
          {label}
        </span>
      )}
      {children}
      {hint && !error ? <span className="field-hint">{hint}</span> : null}
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A row of mutually exclusive choices (radio semantics). */
export function Choice<T extends string | number>({
  label,
  labelledBy,
  value,
  options,
  onChange,
  id,
  className = 'segmented',
}: {
  label?: string;
  labelledBy?: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: ReactNode; title?: string }>;
  onChange(value: T): void;
  id?: string;
  className?: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const current = Math.max(
    0,
    options.findIndex((o) => o.value === value),
  );
  // Arrow keys move the choice, as in a native radio group; only the chosen button is a tab stop.
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? -1
          : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = (current + step + options.length) % options.length;
    onChange(options[next]!.value);
    refs.current[next]?.focus();
  };
  return (
    <div
      className={className}
      role="radiogroup"
      aria-label={labelledBy ? undefined : label}
      aria-labelledby={labelledBy}
      id={id}
      onKeyDown={onKey}
    >
      {options.map((o, i) => (
        <button
          key={String(o.value)}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          tabIndex={i === current ? 0 : -1}
          title={o.title}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** A labelled row of choices: the field's visible label names the radio group. */
export function ChoiceField<T extends string | number>({
  field,
  label,
  error,
  hint,
  ...choice
}: {
  field: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  value: T;
  options: ReadonlyArray<{ value: T; label: ReactNode; title?: string }>;
  onChange(value: T): void;
}) {
  return (
    <Field field={field} label={label} error={error} hint={hint} labelFor={false}>
      <Choice<T> labelledBy={labelId(field)} {...choice} />
    </Field>
  );
}

export interface PromptCheckState {
  check: PromptCheckView | null;
  /** The prompt `check` answers (a stale answer is never shown as current). */
  checked: string | null;
  error: string | null;
}

const CHECK_DEBOUNCE_MS = 250;

/** The core's live check of a prompt (issues and cost), a moment after typing stops. */
export function usePromptCheck(prompt: string, kind: 'image' | 'video'): PromptCheckState {
  const [state, setState] = useState<PromptCheckState>({ check: null, checked: null, error: null });
  useEffect(() => {
    if (prompt.trim() === '') {
      setState({ check: null, checked: prompt, error: null });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      call('prompt.check', { prompt, kind }).then(
        (check) => live && setState({ check, checked: prompt, error: null }),
        (err: unknown) => live && setState({ check: null, checked: prompt, error: failureMessage(err) }),
      );
    }, CHECK_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [prompt, kind]);
  return state;
}

/** The first issue the core found in a prompt, as a problem of `field`, or null. */
export function promptProblem(field: string, prompt: string, check: PromptCheckState): Problem | null {
  if (check.checked !== prompt || !check.check) return null;
  const issue = check.check.issues[0];
  return issue ? { field, message: issue.message } : null;
}

/** A prompt textarea with the core's issues listed under it as they are found. */
export function PromptField({
  field,
  label,
  value,
  onChange,
  error,
  check,
  placeholder,
  hint,
  required = false,
}: {
  field: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error: string | undefined;
  check: PromptCheckState;
  placeholder?: string;
  hint?: ReactNode;
  required?: boolean;
}) {
  const issues = check.checked === value && check.check ? check.check.issues : [];
  const shown = error ?? (issues[0] ? issues.map((i) => i.message).join(' ') : undefined);
  return (
    <Field field={field} label={required ? label : `${label} (optional)`} error={shown} hint={hint}>
      <textarea
        {...controlProps(field, shown)}
        className="textarea fu-prompt"
        rows={3}
        value={value}
        placeholder={placeholder}
        aria-required={required || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

export interface Availability {
  enabled: boolean;
  reason: string | null;
}

export interface Alternative {
  label: string;
  icon: IconName;
  run(): void;
}

export function PanelFrame({
  title,
  icon,
  description,
  panel: { availability, blocker, alternatives, states },
  cost = costOf(states),
  costNote,
  submitLabel,
  validation,
  children,
}: {
  title: string;
  icon: IconName;
  description: ReactNode;
  /** Whether the panel is available and why not, what to do instead, and its op's states. */
  panel: Pick<PanelProps, 'availability' | 'blocker' | 'alternatives' | 'states'>;
  /** The cost shown; by default that of the op's first state. */
  cost?: number | null;
  costNote?: string | null;
  submitLabel: string;
  validation: Validation;
  children: ReactNode;
}) {
  const sending = useFollowUps((s) => s.sending);
  const titleId = useId();
  const reasonId = useId();
  const closed = availability.enabled ? null : (availability.reason ?? 'Not available for this image.');
  const why = closed ?? blocker;
  return (
    <form
      className="fu-form"
      aria-labelledby={titleId}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!why) validation.submit();
      }}
    >
      <header className="fu-form-head">
        <span className="fu-form-icon" aria-hidden="true">
          <Icon name={icon} size={18} />
        </span>
        <div>
          <h3 id={titleId}>{title}</h3>
          <p className="muted small">{description}</p>
        </div>
      </header>
      {closed ? (
        <div className="fu-unavailable" id={reasonId}>
          <Icon name="alert" size={16} />
          <div>
            <p>
              <strong>Not available. </strong>
              {closed}
            </p>
            {alternatives.length > 0 ? (
              <div className="fu-alternatives">
                <span className="muted small">Instead:</span>
                {alternatives.map((a) => (
                  <button key={a.label} type="button" className="btn btn-sm" onClick={a.run}>
                    <Icon name={a.icon} size={14} /> {a.label}
                  </button>
                ))}
              </div>
            ) : null}
          </div>
        </div>
      ) : null}
      <fieldset className="fu-fields" disabled={closed !== null}>
        <legend className="visually-hidden">{title} settings</legend>
        {children}
      </fieldset>
      <footer className="fu-form-foot">
        {validation.general ? <p className="field-error fu-general">{validation.general}</p> : null}
        {!closed && blocker ? (
          <p className="fu-blocker" id={reasonId}>
            <Icon name="info" size={14} /> {blocker}
          </p>
        ) : null}
        <span className="fu-cost" title={costNote ?? undefined}>
          {cost === null ? (
            <span className="muted">Checking the cost…</span>
          ) : (
            <>
              About <strong>{formatPoints(cost)}</strong>
            </>
          )}
        </span>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={why !== null || sending}
          aria-describedby={why ? reasonId : undefined}
        >
          {sending ? <Spinner label="Sending" /> : <Icon name={icon} size={16} />}
          {submitLabel}
        </button>
      </footer>
    </form>
  );
}

/** A typed number; blank is NaN (not 0, as `Number('')` would say), so a cleared field is invalid. */
function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** A number input bound to a slider: typing and dragging both set the value; the step stays loose. */
export function ScaleField({
  field,
  label,
  value,
  min,
  max,
  step,
  onChange,
  error,
  hint,
}: {
  field: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
  error: string | undefined;
  hint?: ReactNode;
}) {
  // The typed text is kept as typed ("1." while typing 1.5); a value set elsewhere (the slider)
  // replaces it. Object.is, because a cleared field is NaN and NaN !== NaN.
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    if (!Object.is(parseNumber(text), value)) setText(Number.isFinite(value) ? String(value) : '');
  }
  const props = controlProps(field, error);
  return (
    <Field field={field} label={label} error={error} hint={hint}>
      <div className="fu-scale">
        <input
          type="range"
          min={min}
          max={max}
          step={step}
          value={Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min}
          aria-label={`${label} slider`}
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <input
          {...props}
          className="input input-sm fu-number"
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(parseNumber(e.target.value));
          }}
        />
      </div>
    </Field>
  );
}
