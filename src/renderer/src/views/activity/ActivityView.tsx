/**
 * Activity: jobs in flight with status and progress, downloads with byte progress, failures with the
 * reason and Retry, and the queue's pause/resume.
 */
import type { OutputView } from '../../../../shared/domain';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Badge, EmptyState, Progress } from '../../components/ui';
import { useNowSeconds } from '../../hooks/useNow';
import { formatBytes, formatElapsed, formatShortDate, pluralize } from '../../lib/format';
import {
  STATUS_INFO,
  coverOutput,
  jobTitle,
  progressOf,
  promptText,
  statusSentence,
  pendingWords,
} from '../../lib/jobs';
import {
  downloadKey,
  pauseQueue,
  resumeQueue,
  retryJob,
  retryOutput,
  useActivity,
  type DownloadProgress,
} from '../../store/activity';
import { useJob } from '../../store/jobs';
import { navigate } from '../../store/ui';

function JobHeading({ id }: { id: string }) {
  const job = useJob(id);
  if (!job) return null;
  return (
    <a
      className="row-link"
      href={`#/job/${encodeURIComponent(id)}`}
      onClick={(e) => {
        e.preventDefault();
        navigate({ view: 'job', id });
      }}
    >
      <span className="row-thumb">
        <Media output={coverOutput(job)} size="thumb" alt="" pending={pendingWords(job)} />
      </span>
      <span className="row-text">
        <strong>{jobTitle(job)}</strong>
        <span className="row-prompt">{promptText(job)}</span>
      </span>
    </a>
  );
}

function ActiveRow({ id }: { id: string }) {
  const job = useJob(id);
  const now = useNowSeconds();
  if (!job) return null;
  const status = STATUS_INFO[job.status];
  return (
    <li className="activity-row">
      <JobHeading id={id} />
      <div className="row-state">
        <span className="row-status">
          <Badge tone={status.tone}>{status.label}</Badge>
          <span className="muted small">{formatElapsed(job.createdAt, now)}</span>
        </span>
        <Progress value={progressOf(job)} label={`Progress of ${jobTitle(job)}`} />
        <span className="muted small">{statusSentence(job)}</span>
      </div>
    </li>
  );
}

function outputProgress(o: OutputView, progress: DownloadProgress | undefined): number | null {
  if (o.state === 'archived') return 100;
  if (!progress || !progress.total) return null;
  return Math.min(100, (progress.received / progress.total) * 100);
}

function DownloadRow({ id }: { id: string }) {
  const job = useJob(id);
  const downloads = useActivity((s) => s.downloads);
  if (!job) return null;
  const files = job.outputs;
  return (
    <li className="activity-row">
      <JobHeading id={id} />
      <ul className="download-list" aria-label="Files">
        {files.map((o) => {
          const p = downloads[downloadKey(job.id, o.kind, o.index)];
          const label =
            `${o.kind === 'grid' ? 'Grid' : o.kind === 'video' ? 'Video' : 'Image'} ${o.kind === 'grid' ? '' : o.index + 1}`.trim();
          return (
            <li key={`${o.kind}-${o.index}`} className="download">
              <span className="download-name">{label}</span>
              {o.state === 'error' || o.state === 'expired' ? (
                <span className="download-error">
                  <span className="small danger-text">
                    {o.error ?? (o.state === 'expired' ? 'Expired on the CDN.' : 'Failed.')}
                  </span>
                  {o.state === 'error' ? (
                    <button
                      type="button"
                      className="btn btn-sm"
                      onClick={() => void retryOutput(job.id, o.kind, o.index)}
                    >
                      <Icon name="refresh" size={14} /> Retry
                    </button>
                  ) : null}
                </span>
              ) : (
                <>
                  <Progress value={outputProgress(o, p)} label={`Download of ${label}`} />
                  <span className="muted small download-bytes">
                    {o.state === 'archived'
                      ? 'Saved'
                      : p
                        ? `${formatBytes(p.received)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`
                        : 'Waiting'}
                  </span>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

function FailedRow({ id }: { id: string }) {
  const job = useJob(id);
  if (!job) return null;
  return (
    <li className="activity-row">
      <JobHeading id={id} />
      <div className="row-state">
        <p className="small danger-text">
          <Icon name="alert" size={14} /> {statusSentence(job)}
        </p>
        <span className="muted small">{formatShortDate(job.createdAt)}</span>
      </div>
      <button type="button" className="btn btn-sm" onClick={() => void retryJob(job.id)}>
        <Icon name="refresh" size={14} /> Retry
      </button>
    </li>
  );
}

function SavedRow({ id }: { id: string }) {
  const job = useJob(id);
  if (!job) return null;
  return (
    <li className="activity-row">
      <JobHeading id={id} />
      <div className="row-state">
        <span className="row-status">
          <Badge tone="success">
            <Icon name="check" size={12} /> Archived
          </Badge>
          <span className="muted small">{pluralize(job.outputs.length, 'file')}</span>
        </span>
      </div>
    </li>
  );
}

export function ActivityView() {
  const queue = useActivity((s) => s.queue);
  const active = useActivity((s) => s.active);
  const failed = useActivity((s) => s.failed);
  const downloading = useActivity((s) => s.downloading);
  const saved = useActivity((s) => s.saved);
  const loaded = useActivity((s) => s.loaded);
  const userPaused = queue?.paused.some((p) => p.provider === 'legnext') ?? false;

  const summary = queue
    ? [
        queue.inFlight > 0 ? `${pluralize(queue.inFlight, 'job')} in flight` : 'Nothing in flight',
        queue.waiting > 0 ? `${queue.waiting} waiting` : null,
        queue.downloadsPending > 0 ? `${pluralize(queue.downloadsPending, 'download')} to finish` : null,
      ]
        .filter(Boolean)
        .join(' · ')
    : '';

  const nothing = loaded && active.length === 0 && failed.length === 0 && downloading.length === 0;

  return (
    <section className="view" aria-labelledby="activity-title">
      <header className="view-header">
        <h1 id="activity-title">Activity</h1>
        <span className="muted small" aria-live="polite">
          {summary}
        </span>
        <span className="spacer" />
        {userPaused ? (
          <button type="button" className="btn btn-primary" onClick={() => void resumeQueue()}>
            <Icon name="play" size={14} filled /> Resume queue
          </button>
        ) : (
          <button type="button" className="btn" onClick={() => void pauseQueue()}>
            <Icon name="pause" size={14} /> Pause queue
          </button>
        )}
      </header>
      <div className="view-body activity">
        {nothing ? (
          <EmptyState
            icon="activity"
            title="Nothing in flight"
            action={
              <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'compose' })}>
                Compose
              </button>
            }
          >
            Every job is finished and its files are saved. New jobs show their progress here.
          </EmptyState>
        ) : null}
        {active.length > 0 ? (
          <section className="panel" aria-labelledby="active-title">
            <div className="panel-header">
              <h2 id="active-title">In progress</h2>
              <span className="count">{active.length}</span>
            </div>
            <ul className="activity-list">
              {active.map((id) => (
                <ActiveRow key={id} id={id} />
              ))}
            </ul>
          </section>
        ) : null}
        {downloading.length > 0 ? (
          <section className="panel" aria-labelledby="downloads-title">
            <div className="panel-header">
              <h2 id="downloads-title">Downloads</h2>
              <span className="muted small">Files are checked before they count as saved.</span>
            </div>
            <ul className="activity-list">
              {downloading.map((id) => (
                <DownloadRow key={id} id={id} />
              ))}
            </ul>
          </section>
        ) : null}
        {failed.length > 0 ? (
          <section className="panel" aria-labelledby="failed-title">
            <div className="panel-header">
              <h2 id="failed-title">Failed</h2>
              <span className="muted small">Retry sends the same request again as a new job.</span>
            </div>
            <ul className="activity-list">
              {failed.map((id) => (
                <FailedRow key={id} id={id} />
              ))}
            </ul>
          </section>
        ) : null}
        {saved.length > 0 ? (
          <section className="panel" aria-labelledby="saved-title">
            <div className="panel-header">
              <h2 id="saved-title">Recently saved</h2>
              <span className="muted small">Finished and safe in your library.</span>
            </div>
            <ul className="activity-list">
              {saved.map((id) => (
                <SavedRow key={id} id={id} />
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </section>
  );
}
