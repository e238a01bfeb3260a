/**
 * A job's family as a graph: ancestors to the left, descendants to the right, one column per
 * generation, edges as curves (a blend has one from each source). Each node shows the job's picture
 * (or its first prompt, for describe and shorten), what kind of job it is and which service made it;
 * it opens the job. Keyboard: one Tab stop; arrows move to parents (←), children (→) and neighbours in
 * the column (↑ ↓); Enter opens.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LineageView } from '../../../../shared/contract';
import type { JobView } from '../../../../shared/domain';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Spinner } from '../../components/ui';
import { formatShortDate } from '../../lib/format';
import { STATUS_INFO, coverOutput, pendingWords, promptText, taskLabel } from '../../lib/jobs';
import { useJobs } from '../../store/jobs';
import { useLineage } from '../../store/lineage';
import { navigate } from '../../store/ui';
import { providerBadgeText, providerTitle } from '../library/provider';
import { layoutLineage, type LayoutSize } from '../../../../shared/lineage-layout';
import '../../styles/lineage.css';

const SIZES: Record<'full' | 'compact', LayoutSize & { thumb: number }> = {
  full: { nodeWidth: 176, nodeHeight: 184, thumb: 118, columnGap: 72, rowGap: 20, padding: 24 },
  compact: { nodeWidth: 124, nodeHeight: 144, thumb: 84, columnGap: 44, rowGap: 14, padding: 12 },
};

/** Legnext allows four extensions of a video. */
const MAX_EXTENDS = 4;
const FROM_VIDEO = new Set(['extend_video', 'video_upscale']);

type Edge = LineageView['edges'][number];

/** How a node came from its parents, in a few words: "from image 2", "blend of 3", "extend 2 of 4". */
function originNote(job: JobView, incoming: Edge[], byId: Map<string, JobView>): string {
  if (incoming.length === 0) return formatShortDate(job.createdAt);
  if (incoming.length > 1) return `${job.taskType === 'blend' ? 'blend' : 'made'} of ${incoming.length}`;
  if (job.taskType === 'extend_video') {
    // Extensions in a row, this one included: the chain Legnext caps at four.
    let count = 1;
    let parent = byId.get(incoming[0]!.parentId);
    for (let i = 0; parent?.taskType === 'extend_video' && i < MAX_EXTENDS; i++) {
      count += 1;
      parent = parent.parent ? byId.get(parent.parent.id) : undefined;
    }
    return `extend ${count} of ${MAX_EXTENDS}`;
  }
  const index = incoming[0]!.parentIndex;
  if (index === null) return 'from the whole job';
  return `from ${FROM_VIDEO.has(job.taskType) ? 'video' : 'image'} ${index + 1}`;
}

function NodePicture({ job, thumb }: { job: JobView; thumb: number }) {
  const cover = coverOutput(job);
  if (!cover && job.text) {
    const first = job.text.prompts[0] ?? job.text.description ?? '';
    return (
      <span className="lineage-text" style={{ height: thumb }}>
        <Icon name="describe" size={16} />
        <span>{first || 'No prompts yet'}</span>
      </span>
    );
  }
  return (
    <span className="lineage-thumb" style={{ height: thumb }}>
      <Media output={cover} size="thumb" alt="" pending={pendingWords(job)} />
    </span>
  );
}

/**
 * `compact` draws smaller nodes in a box of bounded height, for a side panel (a job's detail), with a
 * link to the full-size view.
 */
export function LineageGraph({ jobId, compact = false }: { jobId: string; compact?: boolean }) {
  const { lineage, error } = useLineage(jobId);
  const size = SIZES[compact ? 'compact' : 'full'];
  // Live views from the cache (status, new thumbnails), falling back to the family's own copies.
  const cached = useJobs((s) => s.byId);
  const jobs = useMemo(() => (lineage ? lineage.jobs.map((j) => cached[j.id] ?? j) : []), [lineage, cached]);
  const byId = useMemo(() => new Map(jobs.map((j) => [j.id, j])), [jobs]);
  // Positions depend on the family's shape only, not on each job's changing state.
  const layout = useMemo(
    () => layoutLineage(lineage?.jobs.map((j) => j.id) ?? [], lineage?.edges ?? [], size),
    [lineage, size],
  );
  const [focusId, setFocusId] = useState(jobId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const wantsFocus = useRef(false);

  useEffect(() => setFocusId(jobId), [jobId]);

  // The asked job starts in view, centred when the family is larger than the box.
  const laidOut = layout.nodes.length > 0;
  useLayoutEffect(() => {
    if (!laidOut) return;
    const el = scrollRef.current;
    const node = el?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(jobId)}"]`);
    if (!el || !node) return;
    el.scrollLeft = Math.max(0, node.offsetLeft - (el.clientWidth - node.offsetWidth) / 2);
    el.scrollTop = Math.max(0, node.offsetTop - (el.clientHeight - node.offsetHeight) / 2);
  }, [laidOut, jobId]);

  useEffect(() => {
    if (!wantsFocus.current) return;
    wantsFocus.current = false;
    scrollRef.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(focusId)}"]`)?.focus();
  }, [focusId]);

  if (!lineage) {
    return error ? (
      <p className="field-error" role="alert">
        The family could not be loaded: {error}
      </p>
    ) : (
      <p className="muted small lineage-loading">
        <Spinner label="Loading the family" /> Loading the family…
      </p>
    );
  }

  const incoming = new Map<string, Edge[]>();
  for (const e of lineage.edges) incoming.set(e.childId, [...(incoming.get(e.childId) ?? []), e]);
  const boxes = new Map(layout.nodes.map((n) => [n.id, n]));
  const tabTarget = boxes.has(focusId) ? focusId : jobId;

  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = boxes.get(tabTarget);
    if (!current) return;
    let next: string | undefined;
    const column = layout.columns[current.column] ?? [];
    const nearestIn = (candidates: string[]) =>
      candidates
        .map((id) => boxes.get(id)!)
        .sort((a, b) => Math.abs(a.y - current.y) - Math.abs(b.y - current.y))[0]?.id;
    switch (e.key) {
      case 'ArrowUp':
        next = column[current.row - 1];
        break;
      case 'ArrowDown':
        next = column[current.row + 1];
        break;
      case 'ArrowLeft':
        next = nearestIn(lineage.edges.filter((x) => x.childId === current.id).map((x) => x.parentId));
        break;
      case 'ArrowRight':
        next = nearestIn(lineage.edges.filter((x) => x.parentId === current.id).map((x) => x.childId));
        break;
      case 'Home':
        next = layout.columns[0]?.[0];
        break;
      case 'End':
        next = layout.columns.at(-1)?.at(-1);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next && next !== current.id) {
      wantsFocus.current = true;
      setFocusId(next);
    }
  };

  const touching = (edge: { parentId: string; childId: string }) =>
    edge.parentId === jobId || edge.childId === jobId;

  return (
    <div className={`lineage${compact ? ' compact' : ''}`}>
      <div
        ref={scrollRef}
        className="lineage-scroll"
        role="group"
        aria-label={`Family of ${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'}`}
        aria-describedby={compact ? undefined : 'lineage-keys'}
        onKeyDown={move}
      >
        <div className="lineage-canvas" style={{ width: layout.width, height: layout.height }}>
          <svg className="lineage-edges" width={layout.width} height={layout.height} aria-hidden="true">
            {layout.edges.map((edge) => (
              <path
                key={`${edge.parentId}>${edge.childId}`}
                d={edge.d}
                className={touching(edge) ? 'current' : undefined}
              />
            ))}
          </svg>
          {layout.nodes.map((node) => {
            const job = byId.get(node.id)!;
            const status = STATUS_INFO[job.status];
            const note = originNote(job, incoming.get(job.id) ?? [], byId);
            const isCurrent = job.id === jobId;
            return (
              <a
                key={job.id}
                href={`#/job/${encodeURIComponent(job.id)}`}
                className={`lineage-node${isCurrent ? ' current' : ''}`}
                data-node-id={job.id}
                style={{ left: node.x, top: node.y, width: size.nodeWidth, height: size.nodeHeight }}
                tabIndex={job.id === tabTarget ? 0 : -1}
                aria-current={isCurrent ? 'true' : undefined}
                title={`${taskLabel(job.taskType)} — ${promptText(job)}`}
                onFocus={() => setFocusId(job.id)}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ view: 'job', id: job.id });
                }}
              >
                <NodePicture job={job} thumb={size.thumb} />
                <span className="lineage-label">
                  <strong>{taskLabel(job.taskType)}</strong>
                  <span className="lineage-provider" title={providerTitle(job)}>
                    {providerBadgeText(job)}
                  </span>
                  <span className="lineage-note">
                    {note}
                    {job.status !== 'completed' ? (
                      <span className={`lineage-status tone-${status.tone}`}> · {status.label}</span>
                    ) : null}
                  </span>
                </span>
              </a>
            );
          })}
        </div>
      </div>
      {compact ? (
        <button
          type="button"
          className="link-button lineage-full"
          onClick={() => navigate({ view: 'lineage', id: jobId })}
        >
          Open the family graph full size
        </button>
      ) : (
        <p id="lineage-keys" className="muted small lineage-keys">
          Arrow keys move between parents (←), follow-ups (→) and jobs of the same generation (↑ ↓); Enter
          opens a job.
        </p>
      )}
    </div>
  );
}
