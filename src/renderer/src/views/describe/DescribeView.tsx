/**
 * Describe and Shorten: an image becomes four prompt suggestions; a long prompt becomes shorter ones.
 * Each suggestion can go straight to Compose or be copied. Past describes and shortens stay listed and
 * searchable (their prompts are in the library's full-text index).
 */
import { useEffect, useId } from 'react';
import type { JobView } from '../../../../shared/domain';
import { on } from '../../api';
import { Icon, type IconName } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Badge, Progress, Spinner } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { STATUS_INFO, progressOf, statusSentence, taskLabel } from '../../lib/jobs';
import { submitBlocker, useActivity } from '../../store/activity';
import { loadPrompt } from '../../store/compose';
import {
  clearDescribeImage,
  loadHistory,
  noteTextJob,
  placeDescribeImage,
  setHistoryText,
  setShortenPrompt,
  setTab,
  submitDescribe,
  submitShorten,
  useDescribe,
  type DescribeTab,
} from '../../store/describe';
import { pinJobs, useJob } from '../../store/jobs';
import { useSettings } from '../../store/settings';
import { navigate, toast } from '../../store/ui';
import { readPaste } from '../library/dnd';
import { HostError, usePasteInto } from '../blend/shared';
import { ImageSlot } from '../blend/ImageSlot';
import { LibraryPicker } from '../blend/LibraryPicker';

const TABS: ReadonlyArray<{ id: DescribeTab; label: string; icon: 'describe' | 'compose' }> = [
  { id: 'describe', label: 'Describe an image', icon: 'describe' },
  { id: 'shorten', label: 'Shorten a prompt', icon: 'compose' },
];

function sendToCompose(prompt: string): void {
  loadPrompt(prompt);
  navigate({ view: 'compose' });
}

function copyPrompt(prompt: string): void {
  if (!navigator.clipboard?.writeText) {
    toast('This window cannot reach the clipboard; select the text and copy it instead.', 'danger');
    return;
  }
  navigator.clipboard.writeText(prompt).then(
    () => toast('Prompt copied.', 'success'),
    () => toast('The prompt could not be copied; select the text and copy it instead.', 'danger'),
  );
}

/** The suggestions of a finished describe or shorten, each with "Use this prompt" and "Copy". */
export function Suggestions({ job }: { job: JobView }) {
  const prompts = job.text?.prompts ?? [];
  if (prompts.length === 0) return <p className="muted small">No suggestions came back.</p>;
  return (
    <ol className="suggestions" aria-label={`${taskLabel(job.taskType)} suggestions`}>
      {prompts.map((prompt, i) => (
        <li key={i} className="suggestion">
          <p className="suggestion-text">{prompt}</p>
          <div className="suggestion-actions">
            <button type="button" className="btn btn-primary btn-sm" onClick={() => sendToCompose(prompt)}>
              <Icon name="compose" size={14} /> Use this prompt
              <span className="visually-hidden"> ({i + 1})</span>
            </button>
            <button type="button" className="btn btn-sm" onClick={() => copyPrompt(prompt)}>
              <Icon name="copy" size={14} /> Copy
              <span className="visually-hidden"> prompt {i + 1}</span>
            </button>
          </div>
        </li>
      ))}
    </ol>
  );
}

function Result({ id, words }: { id: string | null; words: string }) {
  const job = useJob(id);
  useEffect(() => (id ? pinJobs([id]) : undefined), [id]);
  if (!id || !job) {
    return (
      <p className="muted small result-empty">The {words} suggestions appear here when Midjourney is done.</p>
    );
  }
  if (job.status === 'completed') return <Suggestions job={job} />;
  const status = STATUS_INFO[job.status];
  return (
    <div className="result-waiting" aria-live="polite">
      <p>
        <Badge tone={status.tone}>{status.label}</Badge> {statusSentence(job)}
      </p>
      {job.status !== 'failed' ? <Progress value={progressOf(job)} label={`${words} progress`} /> : null}
    </div>
  );
}

/** A tool's send button, with the reason it is disabled (which also describes it) when it is. */
function ToolActions({
  id,
  reason,
  submitting,
  icon,
  label,
  onSubmit,
}: {
  /** The DOM id of the reason's paragraph. */
  id: string;
  reason: string | null;
  submitting: boolean;
  icon: IconName;
  label: string;
  onSubmit(): void;
}) {
  return (
    <div className="tool-actions">
      {reason ? (
        <p className="muted small" id={id}>
          {reason}
        </p>
      ) : null}
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-primary"
        disabled={reason !== null || submitting}
        aria-describedby={reason ? id : undefined}
        onClick={onSubmit}
      >
        {submitting ? <Spinner label="Sending" /> : <Icon name={icon} size={16} />} {label}
      </button>
    </div>
  );
}

function DescribePanel({ blocker }: { blocker: string | null }) {
  const slot = useDescribe((s) => s.slot);
  const submitting = useDescribe((s) => s.submitting);
  const reason =
    blocker ?? (slot.loading ? 'Wait until the image is added.' : slot.image ? null : 'Add an image first.');
  return (
    <>
      <div className="describe-source">
        <div className="describe-slot">
          <ImageSlot
            slot={slot}
            label="Image to describe"
            onImages={(images) => void placeDescribeImage(images)}
            onClear={clearDescribeImage}
            clearLabel="Clear"
          />
        </div>
        <LibraryPicker pickLabel="Describe" onPick={(image) => void placeDescribeImage([image])} />
      </div>
      <ToolActions
        id="describe-reason"
        reason={reason}
        submitting={submitting}
        icon="describe"
        label="Describe image"
        onSubmit={() => void submitDescribe()}
      />
    </>
  );
}

function ShortenPanel({ blocker }: { blocker: string | null }) {
  const prompt = useDescribe((s) => s.prompt);
  const submitting = useDescribe((s) => s.submitting);
  const reason = blocker ?? (prompt.trim() ? null : 'Write or paste a prompt first.');
  return (
    <>
      <div className="field">
        <label htmlFor="shorten-prompt">Prompt to shorten</label>
        <textarea
          id="shorten-prompt"
          className="textarea"
          rows={7}
          maxLength={8192}
          value={prompt}
          placeholder="A long, detailed prompt; Midjourney suggests shorter versions that keep what matters."
          onChange={(e) => setShortenPrompt(e.target.value)}
        />
        <p className="field-hint">{prompt.length} of 8192 characters</p>
      </div>
      <ToolActions
        id="shorten-reason"
        reason={reason}
        submitting={submitting}
        icon="compose"
        label="Shorten prompt"
        onSubmit={() => void submitShorten()}
      />
    </>
  );
}

function HistoryItem({ id }: { id: string }) {
  const job = useJob(id);
  if (!job) return null;
  const source = job.outputs.length === 0 && job.taskType === 'describe' ? job.parent : null;
  return (
    <li className="history-item">
      <details>
        <summary>
          <Icon name="chevronRight" size={14} className="history-chevron" />
          <span className="history-kind">
            <Icon name={job.taskType === 'describe' ? 'describe' : 'compose'} size={14} />
            {taskLabel(job.taskType)}
          </span>
          <span className="history-first">{job.text?.prompts[0] ?? job.prompt ?? statusSentence(job)}</span>
          <time className="muted small" dateTime={job.createdAt}>
            {formatDateTime(job.createdAt)}
          </time>
        </summary>
        <div className="history-body">
          {source ? <SourceLink id={source.id} index={source.index} /> : null}
          {job.taskType === 'shorten' && job.prompt ? (
            <p className="muted small history-original">Shortened from: {job.prompt}</p>
          ) : null}
          {job.status === 'completed' ? (
            <Suggestions job={job} />
          ) : (
            <p className="muted small">{statusSentence(job)}</p>
          )}
          <button type="button" className="link-button" onClick={() => navigate({ view: 'job', id: job.id })}>
            Open the job
          </button>
        </div>
      </details>
    </li>
  );
}

/** The described image, when it came from the library. */
function SourceLink({ id, index }: { id: string; index: number | null }) {
  const parent = useJob(id);
  const output = parent?.outputs.find((o) => o.kind === 'image' && (index === null || o.index === index));
  if (!parent) return null;
  return (
    <button type="button" className="history-source" onClick={() => navigate({ view: 'job', id })}>
      <span className="history-source-thumb">
        <Media output={output} size="thumb" alt="" />
      </span>
      <span className="small">Described {index === null ? 'image' : `image ${index + 1}`} of this job</span>
    </button>
  );
}

function History() {
  const history = useDescribe((s) => s.history);
  const searchId = useId();
  useEffect(() => {
    if (useDescribe.getState().history.phase === 'idle') void loadHistory();
    return on('job', noteTextJob);
  }, []);
  return (
    <section className="panel panel-body history" aria-labelledby="history-title">
      <div className="tool-head">
        <h2 id="history-title">Past describes and shortens</h2>
        <span className="spacer" />
        <div className="search history-search">
          <Icon name="search" size={16} className="search-icon" />
          <input
            id={searchId}
            type="search"
            className="input input-sm"
            placeholder="Search their prompts"
            aria-label="Search past describes and shortens"
            value={history.text}
            onChange={(e) => setHistoryText(e.target.value)}
          />
        </div>
      </div>
      {history.phase === 'loading' && history.ids.length === 0 ? (
        <p className="muted small">
          <Spinner label="Loading" /> Loading…
        </p>
      ) : history.phase === 'error' ? (
        <p className="field-error" role="alert">
          {history.error}
        </p>
      ) : history.ids.length === 0 ? (
        <p className="muted small">
          {history.text.trim()
            ? `Nothing matches “${history.text.trim()}”.`
            : 'Nothing described or shortened yet.'}
        </p>
      ) : (
        <ul className="history-list" aria-busy={history.phase === 'loading'}>
          {history.ids.map((id) => (
            <HistoryItem key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function DescribeView() {
  const tab = useDescribe((s) => s.tab);
  const error = useDescribe((s) => s.error);
  const describeJob = useDescribe((s) => s.describeJob);
  const shortenJob = useDescribe((s) => s.shortenJob);
  const queue = useActivity((s) => s.queue);
  const keySet = useSettings((s) => s.key?.set === true);
  const blocker = submitBlocker(queue, keySet);

  usePasteInto((data) => {
    if (useDescribe.getState().tab === 'describe') void placeDescribeImage(readPaste(data));
  });

  return (
    <section className="view" aria-labelledby="describe-title">
      <header className="view-header">
        <h1 id="describe-title">Describe</h1>
        <div className="segmented describe-tabs" role="tablist" aria-label="Tool">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={(e) => {
                if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
                e.preventDefault();
                const next = TABS[(TABS.findIndex((x) => x.id === tab) + 1) % TABS.length]!;
                setTab(next.id);
                document.getElementById(`tab-${next.id}`)?.focus();
              }}
            >
              <Icon name={t.icon} size={14} /> {t.label}
            </button>
          ))}
        </div>
      </header>
      <div className="view-body">
        <div className="tool-layout">
          <section
            className="panel panel-body tool-main"
            role="tabpanel"
            id={`panel-${tab}`}
            aria-labelledby={`tab-${tab}`}
          >
            {tab === 'describe' ? <DescribePanel blocker={blocker} /> : <ShortenPanel blocker={blocker} />}
            <HostError message={error} />
          </section>
          <section className="panel panel-body tool-side" aria-labelledby="suggestions-title">
            <h2 id="suggestions-title">Suggestions</h2>
            {tab === 'describe' ? (
              <Result key={`d-${describeJob}`} id={describeJob} words="describe" />
            ) : (
              <Result key={`s-${shortenJob}`} id={shortenJob} words="shorten" />
            )}
          </section>
        </div>
        <History />
      </div>
    </section>
  );
}
