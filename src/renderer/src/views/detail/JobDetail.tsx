/**
 * One job: every output large from the local file (so it works offline), the prompt and its
 * parameters, seed, cost, times, status in plain words, its family, one-click follow-ups under each
 * output, and the follow-ups area (`FollowUpHost`, panels listed in `views/followups/panels.ts`) where
 * every other follow-up opens with its own controls. Each shows its cost and, when disabled, why.
 * "Remove…" takes the job out of the library (after a confirmation) and goes back to it.
 */
import { useEffect, useState, type DragEvent, type ReactNode } from 'react';
import type { FollowUpStateView, LineageView } from '../../../../shared/contract';
import type { JobView, OutputView } from '../../../../shared/domain';
import { failureMessage } from '../../api';
import { Icon, type IconName } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Badge, EmptyState, Progress, Spinner } from '../../components/ui';
import { useNowMinutes } from '../../hooks/useNow';
import {
  daysUntil,
  formatDateTime,
  formatPoints,
  formatShortDateTime,
  pluralize,
  shortId,
} from '../../lib/format';
import {
  ARCHIVE_INFO,
  STATUS_INFO,
  archiveStateOf,
  aspectOf,
  followUpsUntil,
  jobTitle,
  progressOf,
  promptText,
  providerLabel,
  statusSentence,
  taskLabel,
  viewableOutputs,
  pendingWords,
} from '../../lib/jobs';
import { retryJob, retryOutput, submitBlocker, useActivity } from '../../store/activity';
import { loadPrompt } from '../../store/compose';
import { closeDetail, followUpKey, openDetail, startFollowUp, useDetail } from '../../store/detail';
import { openPanelFor, setTarget } from '../../store/followups';
import { setFavorite, useJob } from '../../store/jobs';
import { askToRemove, dropRemovedFromCache } from '../../store/library';
import { revealInFileManager, useSettings } from '../../store/settings';
import { navigate, openPreview, toast } from '../../store/ui';
import { FOLLOW_UPS_SECTION_ID, FollowUpHost } from '../followups/FollowUpHost';
import { beginOutputDrag, isDraggable } from '../library/dnd';
import { OutputActions } from '../library/OutputActions';
import { RemoveJobsDialog } from '../library/RemoveJobsDialog';
import { LineageGraph } from '../lineage/LineageGraph';
import { AnimateWithPanel } from '../providers/AnimateWith';
import { PANEL_ONLY_OPS } from '../followups/options';
import { ParamList } from './ParamList';
import { Tags } from './Tags';

const OP_ICONS: Record<string, IconName> = {
  upscale: 'upscale',
  variation: 'vary',
  reroll: 'refresh',
  'video-diffusion': 'video',
  'extend-video': 'extend',
  'video-upscale': 'upscale',
  enhance: 'compose',
};

/** "Upscale (subtle)" → group "Upscale", variant "subtle"; a label without a variant is its own group. */
function groupFollowUps(items: FollowUpStateView[]): Array<{ name: string; items: FollowUpStateView[] }> {
  const groups = new Map<string, FollowUpStateView[]>();
  for (const f of items) {
    const name = /^(.*?)\s*\(/.exec(f.label)?.[1] ?? f.label;
    groups.set(name, [...(groups.get(name) ?? []), f]);
  }
  return [...groups].map(([name, list]) => ({ name, items: list }));
}

function variantOf(label: string): string | null {
  const m = /\(([^)]+)\)\s*$/.exec(label);
  return m ? m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1) : null;
}

function FollowUpButtons({
  job,
  items,
  blocker,
}: {
  job: JobView;
  items: FollowUpStateView[];
  /** A reason every follow-up is unavailable right now (offline, paused, no key). */
  blocker: string | null;
}) {
  const sending = useDetail((s) => s.sending);
  // Enhance only ever applies to draft images: offer it there, rather than as a disabled button everywhere.
  // Follow-ups that need controls live in the follow-ups area below, not here.
  const shown = items.filter((f) => !PANEL_ONLY_OPS.has(f.op) && (f.op !== 'enhance' || f.enabled));
  if (shown.length === 0) return null;
  const reasons = [...new Set(shown.filter((f) => !f.enabled && f.reason).map((f) => f.reason!))];
  const reasonId = `why-${job.id}-${shown[0]?.index ?? 'job'}`;
  const explained = blocker !== null || reasons.length > 0;

  // The name comes from the content: hidden words complete the visible ones ("Upscale" before a
  // variant, "points" after the cost), so what is read out always contains what is shown.
  const button = (f: FollowUpStateView, text: string, group: string | null) => {
    const busy = sending.includes(followUpKey(f));
    const reason = !f.enabled ? f.reason : blocker;
    return (
      <button
        key={followUpKey(f)}
        type="button"
        className="btn btn-sm"
        disabled={!f.enabled || blocker !== null || busy}
        title={reason ?? `${f.label}: about ${formatPoints(f.cost)}`}
        aria-describedby={explained ? reasonId : undefined}
        onClick={() => void startFollowUp(job.id, f)}
      >
        {busy ? (
          <Spinner label="Sending" />
        ) : group === null ? (
          <Icon name={OP_ICONS[f.op] ?? 'compose'} size={14} />
        ) : null}
        {group !== null ? <span className="visually-hidden">{group} </span> : null}
        {text} <span className="cost">{f.cost}</span>
        <span className="visually-hidden"> points</span>
      </button>
    );
  };

  return (
    <div className="followups">
      <div className="followup-buttons">
        {groupFollowUps(shown).map((g) => {
          const first = g.items[0]!;
          if (g.items.length === 1 && variantOf(first.label) === null)
            return button(first, first.label, null);
          return (
            <div key={g.name} className="followup-group" role="group" aria-label={g.name}>
              <span className="followup-name" aria-hidden="true">
                <Icon name={OP_ICONS[first.op] ?? 'compose'} size={14} />
                {g.name}
              </span>
              {g.items.map((f) => button(f, variantOf(f.label) ?? f.label, g.name))}
            </div>
          );
        })}
      </div>
      {explained ? (
        <p className="followup-reason" id={reasonId}>
          <Icon name="info" size={14} />
          {blocker ?? reasons.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

function OutputTile({
  job,
  output,
  position,
  followUps,
  blocker,
  animating,
  onAnimate,
}: {
  job: JobView;
  output: OutputView;
  position: number;
  followUps: FollowUpStateView[];
  blocker: string | null;
  /** Whether this image's "Animate with…" panel is the one open; null where it has none. */
  animating: boolean | null;
  onAnimate(): void;
}) {
  const noun = output.kind === 'video' ? 'Video' : output.kind === 'grid' ? 'Grid' : 'Image';
  // A saved output drags out as its file (desktop app) or its media URL (browser), and onto Blend,
  // Describe or an Animate drop zone as a library item.
  const dragProps = isDraggable(output)
    ? { draggable: true, onDragStart: (e: DragEvent<HTMLElement>) => beginOutputDrag(e, job, output) }
    : {};
  // Videos carry their own controls, so only pictures are wrapped in a "preview large" button.
  const media = (
    <Media
      output={output}
      size="full"
      fit="contain"
      aspect={aspectOf(output, job)}
      alt={`${noun} ${output.index + 1} of ${taskLabel(job.taskType).toLowerCase()}: ${promptText(job)}`}
    />
  );
  return (
    <figure className="output">
      {output.kind === 'video' ? (
        <div className="output-media" {...dragProps}>
          {media}
        </div>
      ) : (
        <button
          type="button"
          className="output-media"
          {...dragProps}
          aria-label={`Preview ${noun.toLowerCase()} ${output.index + 1} large`}
          onClick={() => openPreview(job.id, position)}
        >
          {media}
        </button>
      )}
      <figcaption>
        <div className="output-caption">
          <strong>
            {noun} {output.index + 1}
          </strong>
          {output.width && output.height ? (
            <span className="muted small">
              {output.width}×{output.height}
            </span>
          ) : null}
          {output.state !== 'archived' ? (
            <Badge tone={output.state === 'error' || output.state === 'expired' ? 'danger' : 'info'}>
              {output.state === 'remote'
                ? 'Waiting to download'
                : output.state === 'downloading'
                  ? 'Downloading'
                  : output.state === 'expired'
                    ? 'Expired'
                    : 'Download failed'}
            </Badge>
          ) : null}
          {output.state === 'error' ? (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => void retryOutput(job.id, output.kind, output.index)}
            >
              <Icon name="refresh" size={14} /> Retry download
            </button>
          ) : null}
        </div>
        {output.error ? <p className="field-error">{output.error}</p> : null}
        <OutputActions job={job} output={output} />
        <FollowUpButtons job={job} items={followUps} blocker={blocker} />
        <div className="button-row">
          {followUps.some((f) => f.op === 'upscale' && !f.enabled) &&
          followUps.some((f) => f.op === 'enhance-upscale' && f.enabled) ? (
            // Upscale is tied to the 3-day window; Topaz works from the image itself.
            <button
              type="button"
              className="link-button followup-more"
              onClick={() => showFollowUpsOf(output.index, 'topaz')}
            >
              Upscale with Topaz instead
            </button>
          ) : null}
          {animating !== null ? (
            <button type="button" className="link-button" aria-expanded={animating} onClick={onAnimate}>
              <Icon name="video" size={14} /> Animate with…
            </button>
          ) : null}
          {followUps.length > 0 ? (
            <button
              type="button"
              className="link-button followup-more"
              onClick={() => showFollowUpsOf(output.index)}
            >
              More follow-ups for {noun.toLowerCase()} {output.index + 1}
            </button>
          ) : null}
        </div>
      </figcaption>
    </figure>
  );
}

function JobLink({ job, note }: { job: JobView; note: string }) {
  const cover = viewableOutputs(job)[0];
  return (
    <li>
      <a
        className="family-link"
        href={`#/job/${encodeURIComponent(job.id)}`}
        onClick={(e) => {
          e.preventDefault();
          navigate({ view: 'job', id: job.id });
        }}
      >
        <span className="family-thumb">
          <Media output={cover} size="thumb" alt="" pending={pendingWords(job)} />
        </span>
        <span className="family-text">
          <strong>{taskLabel(job.taskType)}</strong>
          <span className="muted small">{note}</span>
        </span>
        <Badge tone={STATUS_INFO[job.status].tone}>{STATUS_INFO[job.status].label}</Badge>
      </a>
    </li>
  );
}

const RELATION_WORDS: Record<string, string> = {
  variation: 'Varied',
  upscale: 'Upscaled',
  reroll: 'Rerolled',
  animate: 'Animated',
  extend: 'Extended',
  video_upscale: 'Upscaled',
  enhance: 'Enhanced',
  enhance_upscale: 'Upscaled with Topaz',
  pan: 'Panned',
  outpaint: 'Zoomed out',
  inpaint: 'Repainted',
  remix: 'Remixed',
  edit: 'Edited',
  blend: 'Blended',
  describe: 'Described',
  retexture: 'Retextured',
  upload_paint: 'Painted',
  remove_background: 'Background removed',
};

/** How a child came from its parent: "Upscaled from image 2", "Extended from video 1". */
function relationNote(relation: string, index: number | null, parent: JobView | undefined): string {
  const verb = RELATION_WORDS[relation] ?? relation.replace(/_/g, ' ');
  if (index === null) return `${verb} from the whole job`;
  const noun = parent?.outputs.some((o) => o.kind === 'video') ? 'video' : 'image';
  return `${verb} from ${noun} ${index + 1}`;
}

function Family({ job, lineage }: { job: JobView; lineage: LineageView | null }) {
  if (!lineage) {
    return (
      <p className="muted small">
        <Spinner label="Loading family" /> Loading…
      </p>
    );
  }
  const byId = new Map(lineage.jobs.map((j) => [j.id, j]));
  const parents = lineage.edges.filter((e) => e.childId === job.id);
  const children = lineage.edges.filter((e) => e.parentId === job.id);
  if (parents.length === 0 && children.length === 0) {
    return <p className="muted small">No parent or follow-ups yet.</p>;
  }
  return (
    <>
      {parents.length > 0 ? (
        <>
          <h3 className="subhead">Made from</h3>
          <ul className="family-list" aria-label="Parent">
            {parents.map((e) => {
              const p = byId.get(e.parentId);
              return p ? (
                <JobLink key={e.parentId} job={p} note={relationNote(e.relation, e.parentIndex, p)} />
              ) : null;
            })}
          </ul>
        </>
      ) : null}
      {children.length > 0 ? (
        <>
          <h3 className="subhead">Follow-ups ({children.length})</h3>
          <ul className="family-list" aria-label="Follow-ups">
            {children.map((e) => {
              const c = byId.get(e.childId);
              return c ? (
                <JobLink key={e.childId} job={c} note={relationNote(e.relation, e.parentIndex, job)} />
              ) : null;
            })}
          </ul>
        </>
      ) : null}
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function JobDetail({ id }: { id: string }) {
  const job = useJob(id);
  const followUps = useDetail((s) => (s.id === id ? s.followUps : null));
  const lineage = useDetail((s) => (s.id === id ? s.lineage : null));
  const error = useDetail((s) => (s.id === id ? s.error : null));
  const canReveal = useSettings((s) => s.library?.canReveal === true);
  const keySet = useSettings((s) => s.key?.set === true);
  const queue = useActivity((s) => s.queue);
  const now = useNowMinutes();
  // One "Animate with…" panel at a time, for the image whose button opened it; closed on another job.
  const [animate, setAnimate] = useState<{ jobId: string; index: number } | null>(null);
  const animateIndex = animate?.jobId === id ? animate.index : null;
  const setAnimateIndex = (next: (open: number | null) => number | null) => {
    const index = next(animateIndex);
    setAnimate(index === null ? null : { jobId: id, index });
  };

  useEffect(() => {
    void openDetail(id);
    return () => {
      closeDetail();
      // Once unpinned, a job removed from here leaves the cache: going back to it says it is gone.
      dropRemovedFromCache();
    };
  }, [id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // Escape inside a follow-up panel belongs to the panel (it cancels a region being drawn).
      if (
        e.key === 'Escape' &&
        !e.defaultPrevented &&
        !target?.closest(`input, textarea, select, dialog, #${FOLLOW_UPS_SECTION_ID}`)
      )
        navigate({ view: 'library' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const back = (
    <button type="button" className="btn btn-ghost" onClick={() => navigate({ view: 'library' })}>
      <Icon name="back" size={16} /> Library
    </button>
  );

  if (!job) {
    return (
      <section className="view" aria-labelledby="detail-title">
        <header className="view-header">
          {back}
          <h1 id="detail-title">Job</h1>
        </header>
        <div className="view-body">
          {error ? (
            <EmptyState icon="alert" title="This job could not be opened">
              {error}
            </EmptyState>
          ) : (
            <div className="center-fill">
              <Spinner label="Loading the job" />
            </div>
          )}
        </div>
      </section>
    );
  }

  const outputs = viewableOutputs(job);
  const blocker = submitBlocker(queue, keySet);
  const jobLevel = (followUps ?? []).filter((f) => f.index === null);
  const archive = archiveStateOf(job);
  const status = STATUS_INFO[job.status];
  const until = followUpsUntil(job, now);
  const expiresIn = daysUntil(job.cdnExpiresAt, now);
  const progress = progressOf(job);

  return (
    <section className="view" aria-labelledby="detail-title">
      <header className="view-header">
        {back}
        <h1 id="detail-title">{jobTitle(job)}</h1>
        <Badge tone={status.tone}>{status.label}</Badge>
        {archive !== 'none' ? (
          <Badge tone={ARCHIVE_INFO[archive].tone} title={ARCHIVE_INFO[archive].hint}>
            {ARCHIVE_INFO[archive].label}
          </Badge>
        ) : null}
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          aria-pressed={job.favorite}
          onClick={() =>
            setFavorite(job.id, !job.favorite).catch((err: unknown) => toast(failureMessage(err), 'danger'))
          }
        >
          <Icon name="star" size={16} filled={job.favorite} />{' '}
          {job.favorite ? 'Favorite' : 'Add to favorites'}
        </button>
        {canReveal ? (
          <button
            type="button"
            className="btn"
            onClick={() =>
              revealInFileManager(job.id).catch((err: unknown) => toast(failureMessage(err), 'danger'))
            }
          >
            <Icon name="folder" size={16} /> Show files
          </button>
        ) : null}
        <button type="button" className="btn btn-danger" onClick={() => askToRemove([job.id])}>
          <Icon name="trash" size={16} /> Remove…
        </button>
      </header>
      <div className="view-body detail">
        <div className="detail-main">
          {jobLevel.length > 0 ? (
            <section className="panel detail-actions" aria-labelledby="job-actions-title">
              <h2 id="job-actions-title">Whole job</h2>
              <FollowUpButtons job={job} items={jobLevel} blocker={blocker} />
            </section>
          ) : null}
          {outputs.length > 0 ? (
            <div className={`outputs outputs-${Math.min(outputs.length, 2)}`}>
              {outputs.map((o, position) => (
                <OutputTile
                  key={`${o.kind}-${o.index}`}
                  job={job}
                  output={o}
                  position={position}
                  followUps={(followUps ?? []).filter((f) => f.index === o.index && o.kind !== 'grid')}
                  blocker={blocker}
                  animating={
                    o.kind === 'image' && job.status === 'completed' ? animateIndex === o.index : null
                  }
                  onAnimate={() => setAnimateIndex((open) => (open === o.index ? null : o.index))}
                />
              ))}
            </div>
          ) : job.text ? (
            <div className="panel panel-body text-outputs">
              {job.text.description ? <p>{job.text.description}</p> : null}
              <ol>
                {job.text.prompts.map((p, i) => (
                  <li key={i}>
                    <span>{p}</span>
                    <button type="button" className="btn btn-sm" onClick={() => sendToCompose(p)}>
                      Use in Compose
                    </button>
                  </li>
                ))}
              </ol>
            </div>
          ) : (
            <div className="panel panel-body waiting">
              {job.status === 'failed' ? (
                <EmptyState icon="alert" title="This job failed">
                  {statusSentence(job)}
                </EmptyState>
              ) : (
                <div className="waiting-inner">
                  <p>{statusSentence(job)}</p>
                  <Progress value={progress} label="Job progress" />
                </div>
              )}
            </div>
          )}
          {animateIndex !== null && outputs.some((o) => o.kind === 'image' && o.index === animateIndex) ? (
            <AnimateWithPanel key={`${job.id}-${animateIndex}`} job={job} index={animateIndex} />
          ) : null}
          <FollowUpHost job={job} followUps={followUps} lineage={lineage} blocker={blocker} />
        </div>
        <aside className="detail-side" aria-label="Job information">
          <section className="panel panel-body">
            <div className="side-head">
              <h2>Prompt</h2>
              {job.prompt ? (
                <button type="button" className="btn btn-sm" onClick={() => sendToCompose(job.prompt!)}>
                  <Icon name="compose" size={14} /> Use in Compose
                </button>
              ) : null}
            </div>
            <p className="prompt-text">{job.prompt ?? <span className="muted">No prompt</span>}</p>
            <ParamList
              params={job.params}
              video={job.outputs.some((o) => o.kind === 'video') || job.taskType.includes('video')}
            />
          </section>
          <section className="panel panel-body" aria-labelledby="detail-tags-title">
            <h2 id="detail-tags-title">Tags</h2>
            <Tags job={job} />
          </section>
          <section className="panel panel-body">
            <h2>Status</h2>
            <p className={job.status === 'failed' ? 'status-line failed' : 'status-line'}>
              {job.status === 'failed' ? <Icon name="alert" size={16} /> : null}
              {statusSentence(job)}
            </p>
            {job.status === 'failed' ? (
              <button type="button" className="btn btn-sm" onClick={() => void retryJob(job.id)}>
                <Icon name="refresh" size={14} /> Retry
              </button>
            ) : null}
            <dl className="facts">
              <Row label="Type">
                {taskLabel(job.taskType)} · {providerLabel(job.provider)}
              </Row>
              <Row label="Seed">{job.seed ?? '—'}</Row>
              <Row label="Cost">
                {job.cost.consumed > 0
                  ? formatPoints(job.cost.consumed)
                  : job.cost.frozen > 0
                    ? `${formatPoints(job.cost.frozen)} reserved`
                    : '—'}
              </Row>
              <Row label="Created">{formatDateTime(job.createdAt)}</Row>
              <Row label="Started">{formatDateTime(job.startedAt)}</Row>
              <Row label="Finished">{formatDateTime(job.endedAt)}</Row>
              <Row label="Follow-ups">
                {until
                  ? `Until ${formatShortDateTime(until)}`
                  : job.status === 'completed'
                    ? 'Window closed (3 days)'
                    : '—'}
              </Row>
              <Row label="CDN copy">
                {expiresIn > 0
                  ? `Deleted by Legnext in ${pluralize(expiresIn, 'day')}`
                  : 'Deleted by Legnext'}
              </Row>
              <Row label="Job id">
                <span className="mono" title={job.id}>
                  {shortId(job.id)}
                </span>
                {job.remoteId ? (
                  <span className="mono muted" title={`Legnext job ${job.remoteId}`}>
                    {' '}
                    · {shortId(job.remoteId)}
                  </span>
                ) : null}
              </Row>
            </dl>
          </section>
          <section className="panel panel-body">
            <h2>Family</h2>
            <Family job={job} lineage={lineage} />
            {lineage && lineage.jobs.length > 1 ? <LineageGraph jobId={job.id} compact /> : null}
          </section>
        </aside>
      </div>
      <RemoveJobsDialog onRemoved={() => navigate({ view: 'library' })} />
    </section>
  );
}

/** Points the follow-ups area at one output (opening one panel, when named) and brings it into view. */
function showFollowUpsOf(index: number, panel?: string): void {
  if (panel) openPanelFor(index, panel);
  else setTarget(index);
  const section = document.getElementById(FOLLOW_UPS_SECTION_ID);
  if (!section) return;
  // Scroll the view's own body: scrollIntoView would also shift the window under the fixed layout.
  const scroller = section.closest('.view-body');
  if (scroller) {
    const offset = section.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTo({ top: scroller.scrollTop + offset - 16, behavior: 'smooth' });
  }
  section.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
}

function sendToCompose(prompt: string): void {
  loadPrompt(prompt);
  navigate({ view: 'compose' });
}
