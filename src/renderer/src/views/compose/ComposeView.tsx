/**
 * Compose: an image prompt with controls for the common parameters (they write the `--flags` into
 * the text and read them back from it), or a video from text or a first-frame image, made by
 * Midjourney or (text to video) by Vidu. The core checks the prompt as it is typed; the cost and the
 * balance sit next to the button, which says why it is disabled when it is.
 */
import { useEffect, useMemo } from 'react';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Badge, Progress, Spinner } from '../../components/ui';
import { useNowSeconds } from '../../hooks/useNow';
import { formatElapsed, formatNumber, formatPoints } from '../../lib/format';
import {
  STATUS_INFO,
  coverOutput,
  isInFlight,
  progressOf,
  promptText,
  statusSentence,
  taskLabel,
  pendingWords,
} from '../../lib/jobs';
import {
  hasRaw,
  readFlag,
  readSpeed,
  readVersion,
  writeFlag,
  writeSpeed,
  writeVersion,
  type FlagName,
  type Speed,
} from '../../lib/prompt-flags';
import { submitBlocker, useActivity } from '../../store/activity';
import {
  currentPrompt,
  isViduDraft,
  scheduleCheck,
  setMode,
  setPrompt,
  setVideo,
  submitCompose,
  useCompose,
  videoPrompt,
  type ComposeMode,
} from '../../store/compose';
import { useJob } from '../../store/jobs';
import { refreshBalance, spendable, useSettings } from '../../store/settings';
import { navigate, toast } from '../../store/ui';
import { PromptEditor } from './PromptEditor';
import {
  Choice,
  ChoiceField,
  Field,
  MIDJOURNEY_VIDEO_RESOLUTIONS,
  MOTION_OPTIONS,
  SubmitWithReason,
} from '../providers/controls';
import { VideoMakerChoice, ViduComposeForm } from './ViduCompose';

const ASPECTS = ['1:1', '4:5', '5:4', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9'];
const VERSIONS = [
  { value: '7', label: 'V7' },
  { value: '6.1', label: 'V6.1' },
  { value: '6', label: 'V6' },
  { value: '8', label: 'V8' },
  { value: '8.1', label: 'V8.1' },
  { value: 'niji 6', label: 'Niji 6' },
];
const QUALITIES = ['0.5', '1', '2', '4'];

/** A 0…max slider for a numeric flag; "Default" until moved, with a reset once set. */
function FlagSlider({
  name,
  label,
  max,
  step = 1,
  fallback,
  prompt,
}: {
  name: FlagName;
  label: string;
  max: number;
  step?: number;
  fallback: number;
  prompt: string;
}) {
  const raw = readFlag(prompt, name);
  const numeric =
    typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null;
  const id = `compose-${name}`;
  return (
    <Field
      label={label}
      htmlFor={id}
      hint={
        raw === null ? (
          <span className="muted">Default</span>
        ) : (
          <>
            <span className="mono">{typeof raw === 'string' ? raw : 'on'}</span>
            <button
              type="button"
              className="link-button"
              aria-label={`Reset ${label.toLowerCase()}`}
              onClick={() => setPrompt(writeFlag(prompt, name, null))}
            >
              Reset
            </button>
          </>
        )
      }
    >
      <input
        id={id}
        type="range"
        min={0}
        max={max}
        step={step}
        value={numeric ?? fallback}
        className={raw === null ? 'unset' : undefined}
        onChange={(e) => setPrompt(writeFlag(prompt, name, e.target.value))}
      />
    </Field>
  );
}

function ImageControls({ prompt }: { prompt: string }) {
  const aspect = readFlag(prompt, 'aspect');
  const aspectValue = typeof aspect === 'string' ? aspect : '';
  const version = readVersion(prompt) ?? '';
  const quality = readFlag(prompt, 'quality');
  const seed = readFlag(prompt, 'seed');
  const speed = readSpeed(prompt);
  const switches: Array<{ name: 'raw' | 'tile' | 'draft'; label: string; hint: string }> = [
    { name: 'raw', label: 'Raw', hint: 'Less automatic styling' },
    { name: 'tile', label: 'Tile', hint: 'Seamless repeating pattern' },
    { name: 'draft', label: 'Draft', hint: 'Half the cost, V7 only' },
  ];
  return (
    <div className="controls">
      <Field label="Aspect ratio" htmlFor="compose-aspect">
        <select
          id="compose-aspect"
          className="select"
          value={aspectValue}
          onChange={(e) => setPrompt(writeFlag(prompt, 'aspect', e.target.value || null))}
        >
          <option value="">Default (1:1)</option>
          {aspectValue && !ASPECTS.includes(aspectValue) ? (
            <option value={aspectValue}>{aspectValue}</option>
          ) : null}
          {ASPECTS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Model" htmlFor="compose-version">
        <select
          id="compose-version"
          className="select"
          value={version}
          onChange={(e) => setPrompt(writeVersion(prompt, e.target.value || null))}
        >
          <option value="">Default (V7)</option>
          {version && !VERSIONS.some((v) => v.value === version) ? (
            <option value={version}>{version}</option>
          ) : null}
          {VERSIONS.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Quality" htmlFor="compose-quality">
        <select
          id="compose-quality"
          className="select"
          value={typeof quality === 'string' ? quality : ''}
          onChange={(e) => setPrompt(writeFlag(prompt, 'quality', e.target.value || null))}
        >
          <option value="">Default</option>
          {typeof quality === 'string' && !QUALITIES.includes(quality) ? (
            <option value={quality}>{quality}</option>
          ) : null}
          {QUALITIES.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Seed" htmlFor="compose-seed">
        <input
          id="compose-seed"
          className="input"
          inputMode="numeric"
          placeholder="Random"
          value={typeof seed === 'string' ? seed : ''}
          onChange={(e) => setPrompt(writeFlag(prompt, 'seed', e.target.value.trim() || null))}
        />
      </Field>
      <FlagSlider name="stylize" label="Stylize" max={1000} fallback={100} prompt={prompt} />
      <FlagSlider name="chaos" label="Chaos" max={100} fallback={0} prompt={prompt} />
      <FlagSlider name="weird" label="Weird" max={3000} step={10} fallback={0} prompt={prompt} />
      <ChoiceField<Speed>
        label="Speed"
        value={speed}
        options={[
          { value: 'default', label: 'Default' },
          { value: 'fast', label: 'Fast' },
          { value: 'turbo', label: 'Turbo' },
        ]}
        onChange={(s) => setPrompt(writeSpeed(prompt, s))}
      />
      <div className="control switches" role="group" aria-label="Options">
        {switches.map((s) => {
          const on = s.name === 'raw' ? hasRaw(prompt) : readFlag(prompt, s.name) !== null;
          return (
            <label key={s.name} className="check" title={s.hint}>
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => setPrompt(writeFlag(prompt, s.name, e.target.checked))}
              />
              {s.label}
              <span className="muted small">{s.hint}</span>
            </label>
          );
        })}
      </div>
    </div>
  );
}

function VideoForm() {
  const video = useCompose((s) => s.video);
  return (
    <div className="video-form">
      <VideoMakerChoice />
      <div className="field">
        <label htmlFor="video-image">First frame image URL</label>
        <input
          id="video-image"
          className="input"
          type="url"
          inputMode="url"
          placeholder="https://… (leave empty for text to video)"
          value={video.imageUrl}
          onChange={(e) => setVideo({ imageUrl: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="video-text">What happens</label>
        <textarea
          id="video-text"
          className="textarea"
          rows={4}
          placeholder="A paper boat drifts down a rainy street at dusk"
          value={video.text}
          onChange={(e) => setVideo({ text: e.target.value })}
        />
      </div>
      <div className="controls">
        <ChoiceField
          label="Motion"
          value={video.motion}
          options={MOTION_OPTIONS}
          onChange={(motion) => setVideo({ motion })}
        />
        <ChoiceField
          label="Videos"
          value={video.batch}
          options={[
            { value: 1, label: '1' },
            { value: 2, label: '2' },
            { value: 4, label: '4' },
          ]}
          onChange={(batch) => setVideo({ batch })}
        />
        <ChoiceField
          label="Resolution"
          value={video.quality}
          options={MIDJOURNEY_VIDEO_RESOLUTIONS}
          onChange={(quality) => setVideo({ quality })}
        />
        <div className="control switches">
          <label className="check">
            <input
              type="checkbox"
              checked={video.loop}
              onChange={(e) => setVideo({ loop: e.target.checked })}
            />
            Loop
            <span className="muted small">End where it starts</span>
          </label>
        </div>
      </div>
      <div className="field">
        <label htmlFor="video-end">End frame image URL</label>
        <input
          id="video-end"
          className="input"
          type="url"
          inputMode="url"
          placeholder="Optional"
          value={video.endUrl}
          onChange={(e) => setVideo({ endUrl: e.target.value })}
        />
      </div>
      <div className="field">
        <span className="field-label">Prompt sent to Midjourney</span>
        <code className="prompt-preview">{videoPrompt(video) || '—'}</code>
      </div>
    </div>
  );
}

function SentJob({ id }: { id: string }) {
  const job = useJob(id);
  const now = useNowSeconds();
  if (!job) return null;
  const status = STATUS_INFO[job.status];
  const cover = coverOutput(job);
  return (
    <li className="sent">
      <a
        className="sent-link"
        href={`#/job/${encodeURIComponent(job.id)}`}
        onClick={(e) => {
          e.preventDefault();
          navigate({ view: 'job', id: job.id });
        }}
      >
        <span className="sent-thumb">
          <Media output={cover} size="thumb" alt="" pending={pendingWords(job)} />
        </span>
        <span className="sent-text">
          <span className="sent-prompt">{promptText(job)}</span>
          <span className="sent-status">
            <Badge tone={status.tone}>{status.label}</Badge>
            {isInFlight(job) ? (
              <span className="muted small">{formatElapsed(job.createdAt, now)}</span>
            ) : job.status === 'failed' ? (
              <span className="small danger-text">{statusSentence(job)}</span>
            ) : null}
          </span>
          {isInFlight(job) ? <Progress value={progressOf(job)} label="Progress" /> : null}
        </span>
      </a>
    </li>
  );
}

export function ComposeView() {
  const mode = useCompose((s) => s.mode);
  const prompt = useCompose((s) => s.prompt);
  const video = useCompose((s) => s.video);
  const check = useCompose((s) => s.check);
  const checkedPrompt = useCompose((s) => s.checkedPrompt);
  const checkError = useCompose((s) => s.checkError);
  const submitting = useCompose((s) => s.submitting);
  const sent = useCompose((s) => s.sent);
  const vidu = useCompose((s) => isViduDraft(s));
  const queue = useActivity((s) => s.queue);
  const keySet = useSettings((s) => s.key?.set === true);
  const balance = useSettings((s) => s.balance);
  const balanceError = useSettings((s) => s.balanceError);

  useEffect(() => {
    void refreshBalance();
    scheduleCheck();
  }, []);

  const text = currentPrompt({ mode, prompt, video });
  const fresh = checkedPrompt === text;
  const issues = fresh && check ? check.issues : [];
  const badFlags = useMemo(
    () => new Set(issues.filter((i) => i.flag).map((i) => i.flag!.toLowerCase())),
    [issues],
  );
  const cost = fresh && check ? check.cost : null;

  let reason: string | null = submitBlocker(queue, keySet);
  if (!reason && text.trim() === '')
    reason = mode === 'image' ? 'Write a prompt first.' : 'Describe the video or give a first frame.';
  if (!reason && !fresh) reason = 'Checking the prompt…';
  if (!reason && checkError) reason = checkError;
  if (!reason && issues.length > 0)
    reason = `Fix ${issues.length === 1 ? 'the issue' : `the ${issues.length} issues`} above first.`;
  if (!reason && balance && cost && spendable(balance) < cost.points) {
    reason = `This needs about ${formatPoints(cost.points)}; your balance is ${formatPoints(spendable(balance))}.`;
  }

  const submit = async () => {
    try {
      const job = await submitCompose();
      toast(`${taskLabel(job.taskType)} sent.`, 'success', {
        label: 'Open',
        route: { view: 'job', id: job.id },
      });
      void refreshBalance();
    } catch (err) {
      toast(failureMessage(err), 'danger');
    }
  };

  return (
    <section className="view" aria-labelledby="compose-title">
      <header className="view-header">
        <h1 id="compose-title">Compose</h1>
        <Choice<ComposeMode>
          label="What to make"
          value={mode}
          options={[
            { value: 'image', label: 'Image' },
            { value: 'video', label: 'Video' },
          ]}
          onChange={setMode}
        />
      </header>
      <div className="view-body compose">
        {vidu ? (
          <ViduComposeForm />
        ) : (
          <form
            className="panel compose-form"
            aria-label={mode === 'image' ? 'Image prompt' : 'Video'}
            onSubmit={(e) => {
              e.preventDefault();
              if (!reason && !submitting) void submit();
            }}
          >
            <div className="panel-body">
              {mode === 'image' ? (
                <>
                  <div className="field">
                    <label htmlFor="compose-prompt">Prompt</label>
                    <PromptEditor
                      id="compose-prompt"
                      value={prompt}
                      onChange={setPrompt}
                      badFlags={badFlags}
                      invalid={issues.length > 0}
                      describedBy="compose-issues"
                      placeholder="A lighthouse on a cliff at golden hour, oil painting --ar 16:9"
                    />
                    <p className="field-hint">
                      Write what you want to see; the controls below add <code>--flags</code> to the text, and
                      flags you type move the controls.
                    </p>
                  </div>
                  <ImageControls prompt={prompt} />
                </>
              ) : (
                <VideoForm />
              )}
              <div id="compose-issues" aria-live="polite">
                {issues.length > 0 ? (
                  <ul className="issues">
                    {issues.map((issue, i) => (
                      <li key={i}>
                        <Icon name="alert" size={14} />
                        {issue.flag ? <code className="flag bad">{issue.flag}</code> : null}
                        <span>{issue.message}</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            </div>
            <div className="compose-footer">
              <div className="compose-cost">
                <span>
                  Cost{' '}
                  <strong title={cost?.basis}>
                    {cost ? (
                      `≈ ${formatPoints(cost.points)}`
                    ) : text.trim() ? (
                      <Spinner label="Estimating" />
                    ) : (
                      '—'
                    )}
                  </strong>
                </span>
                <span className="muted">
                  Balance{' '}
                  <strong>
                    {balance
                      ? formatPoints(spendable(balance))
                      : balanceError
                        ? 'unavailable'
                        : keySet
                          ? '…'
                          : 'no key'}
                  </strong>
                  {balance?.lowBalance ? <Badge tone="warning">Low</Badge> : null}
                </span>
              </div>
              <div className="compose-submit">
                <SubmitWithReason
                  id="submit-reason"
                  reason={reason}
                  busy={submitting}
                  icon={mode === 'image' ? 'compose' : 'video'}
                >
                  {mode === 'image' ? 'Imagine' : 'Make video'}
                </SubmitWithReason>
              </div>
            </div>
          </form>
        )}
        <aside className="panel compose-sent" aria-labelledby="sent-title">
          <div className="panel-header">
            <h2 id="sent-title">Sent from here</h2>
            {sent.length > 0 ? <span className="muted small">{formatNumber(sent.length)}</span> : null}
          </div>
          {sent.length === 0 ? (
            <p className="panel-body muted small">
              Jobs you send appear here with their progress; finished ones are saved to your library.
            </p>
          ) : (
            <ul className="sent-list">
              {sent.map((id) => (
                <SentJob key={id} id={id} />
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}
