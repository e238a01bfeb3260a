/**
 * One job in the library grid: the 4-up grid image (or first output) as a stack that expands to its
 * four images, the prompt, the provider, and badges for archive state, CDN expiry and the follow-up
 * window. The picture can be dragged out of the app or into Blend, Describe and "Animate with…" (each
 * of the four images on its own when expanded). In a stacked listing, a card standing for a larger
 * family shows card edges behind it and an "N in family" button that lists the family.
 */
import {
  memo,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import type { StackView } from '../../../../shared/contract';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Badge } from '../../components/ui';
import { formatShortDate, formatShortDateTime } from '../../lib/format';
import {
  ARCHIVE_INFO,
  STATUS_INFO,
  archiveStateOf,
  coverOutput,
  expiryBadge,
  followUpsUntil,
  imagesOf,
  promptText,
  taskLabel,
  pendingWords,
} from '../../lib/jobs';
import { useJob } from '../../store/jobs';
import { toggleExpanded } from '../../store/ui';
import { beginOutputDrag, isDraggable } from './dnd';
import { providerBadgeText, providerTitle } from './provider';
import { StackIcon } from './StackIcon';
import '../../styles/stacks.css';

export interface CardHandlers {
  onSelect(index: number, id: string, event: MouseEvent): void;
  onOpen(id: string): void;
  onFocus(index: number): void;
  onFavorite(id: string, favorite: boolean): void;
  /** Filters the library to the job's family. */
  onFamily(id: string): void;
  /** Lists the family a stacked card stands for, whole. */
}

/**
 * The "N in family" button of a stacked card. It is in the Tab order after its card when that card
 * is the grid's Tab stop; Enter and Space act on the button only, not as the grid's keys for the card.
 */
function StackButton({
  id,
  stack,
  focusable,
  onStack,
}: {
  id: string;
  stack: StackView;
  focusable: boolean;
  onStack: CardHandlers['onFamily'];
}) {
  const open = (e: MouseEvent) => {
    e.stopPropagation();
    onStack(id);
  };
  const keepKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') e.stopPropagation();
  };
  return (
    <button
      type="button"
      className="card-stack"
      tabIndex={focusable ? 0 : -1}
      title={`Show all ${stack.jobs} jobs of this family`}
      onClick={open}
      onDoubleClick={(e) => e.stopPropagation()}
      onKeyDown={keepKey}
    >
      <StackIcon size={13} />
      {stack.jobs} in family
    </button>
  );
}

/** The job whose card holds the keyboard focus (one focus per document), or null. */
let focusedJob: string | null = null;

/**
 * When the grid gives the focused card another job, the focus stays with the job it was on: it moves
 * to the card now showing that job, or leaves the grid when the job is no longer on screen (as it did
 * when each job had an element of its own).
 */
function useFocusFollowsJob(ref: RefObject<HTMLDivElement | null>, id: string): void {
  useLayoutEffect(() => {
    const card = ref.current;
    if (focusedJob === null || focusedJob === id || !card?.contains(document.activeElement)) return;
    const grid = card.closest('[role="grid"]');
    const next = grid?.querySelector<HTMLElement>(`.card[data-job-id="${CSS.escape(focusedJob)}"]`);
    if (next) next.focus({ preventScroll: true });
    else (document.activeElement as HTMLElement | null)?.blur();
  }, [ref, id]);
}

export const JobCard = memo(function JobCard({
  id,
  index,
  focused,
  selected,
  expanded,
  now,
  light,
  stack,
  handlers,
}: {
  id: string;
  index: number;
  focused: boolean;
  selected: boolean;
  /** Showing its four images instead of the grid image. */
  expanded: boolean;
  /** The grid's clock, for the expiry and follow-up badges. */
  now: number;
  /** Drawn during a fling: a tinted box, without text, picture, badges or tools. */
  light: boolean;
  /** In a stacked listing, the family this card stands for. */
  stack?: StackView;
  handlers: CardHandlers;
}) {
  const job = useJob(id);
  // The grid reuses a card for another job as it scrolls (see LibraryGrid): pointer and focus state
  // name the job they belong to, so they never carry over to the next one.
  const [hoverId, setHoverId] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const hover = hoverId === id;
  const focusWithin = focusId === id;
  const ref = useRef<HTMLDivElement>(null);
  useFocusFollowsJob(ref, id);
  const stacked = stack !== undefined && stack.jobs > 1;

  if (!job || light) {
    // A job still loading, or any job during a fling: a tinted box with two bars and no text, so the
    // many cards a fling passes cost neither text layout nor pictures.
    return (
      <div
        ref={ref}
        role="gridcell"
        className={`${job ? 'card light' : 'card skeleton'}${stacked ? ' stacked' : ''}`}
        data-index={index}
        data-job-id={job?.id}
        tabIndex={focused ? 0 : -1}
        aria-busy={job ? undefined : true}
        aria-label={job ? promptText(job) : undefined}
      >
        <div className="card-body">
          <span className="skeleton-line" />
          <span className="skeleton-line short" />
        </div>
        <div className="card-media" />
      </div>
    );
  }

  const images = imagesOf(job);
  const cover = coverOutput(job);
  const text = promptText(job);
  const archive = archiveStateOf(job);
  const expiry = expiryBadge(job, now);
  const until = followUpsUntil(job, now);
  const canExpand = images.length > 1;
  const showImages = expanded && canExpand;
  const status = STATUS_INFO[job.status];
  // The hover tools exist only while they can be used: a fast scroll mounts dozens of cards per frame.
  const showTools = hover || selected || focusWithin;
  const draggable = !showImages && isDraggable(cover);

  // The body precedes the picture in the DOM so the cell's name (from its content) starts with the
  // prompt; CSS `order` still draws the picture on top.
  return (
    <div
      ref={ref}
      role="gridcell"
      className={`card${selected ? ' selected' : ''}${stacked ? ' stacked' : ''}`}
      data-index={index}
      data-job-id={job.id}
      tabIndex={focused ? 0 : -1}
      aria-selected={selected}
      onClick={(e) => handlers.onSelect(index, job.id, e)}
      onDoubleClick={() => handlers.onOpen(job.id)}
      onFocus={(e) => {
        focusedJob = job.id;
        setFocusId(job.id);
        if (e.target === e.currentTarget) handlers.onFocus(index);
      }}
      onBlur={(e) => {
        if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
        if (focusedJob === job.id) focusedJob = null;
        setFocusId(null);
      }}
      onMouseEnter={() => setHoverId(job.id)}
      // A card given another job under a resting pointer gets no new mouseenter: the next move counts.
      onMouseMove={hover ? undefined : () => setHoverId(job.id)}
      onMouseLeave={() => setHoverId(null)}
      draggable={draggable}
      onDragStart={draggable && cover ? (e) => beginOutputDrag(e, job, cover) : undefined}
    >
      <div className="card-body">
        <p className="card-prompt" title={job.prompt ?? undefined}>
          {text}
        </p>
        <div className="card-meta">
          <span className="card-type">
            <Icon name={job.outputs.some((o) => o.kind === 'video') ? 'video' : 'image'} size={13} />
            <span className="card-type-text">{taskLabel(job.taskType)}</span>
          </span>
          <span className={`provider-chip provider-${job.provider}`} title={providerTitle(job)}>
            {providerBadgeText(job)}
          </span>
          <time dateTime={job.createdAt}>{formatShortDate(job.createdAt)}</time>
        </div>
        <div className="card-badges">
          {archive !== 'none' ? (
            <Badge tone={ARCHIVE_INFO[archive].tone} title={ARCHIVE_INFO[archive].hint}>
              {ARCHIVE_INFO[archive].label}
            </Badge>
          ) : null}
          {expiry ? <Badge tone={expiry.tone}>{expiry.label}</Badge> : null}
          {until ? (
            <Badge
              tone="accent"
              title={`Legnext accepts upscales, variations and animations until ${formatShortDateTime(until)}.`}
            >
              Follow-ups until {formatShortDate(new Date(until).toISOString())}
            </Badge>
          ) : null}
        </div>
      </div>
      <div className="card-media">
        {showImages ? (
          <div className="card-quad">
            {images.slice(0, 4).map((o) => (
              <div
                key={o.index}
                className="card-quad-cell"
                draggable={isDraggable(o)}
                onDragStart={(e) => beginOutputDrag(e, job, o)}
              >
                <Media output={o} size="thumb" alt={`Image ${o.index + 1}`} />
              </div>
            ))}
          </div>
        ) : (
          <Media output={cover} size="thumb" alt="" playing={hover} pending={pendingWords(job)} />
        )}
        {stacked ? (
          <StackButton id={job.id} stack={stack} focusable={focused} onStack={handlers.onFamily} />
        ) : null}
        {job.status !== 'completed' ? (
          <span className="card-status">
            <Badge tone={status.tone}>{status.label}</Badge>
          </span>
        ) : null}
        {showTools ? (
          <>
            <div className="card-tools">
              {canExpand ? (
                <button
                  type="button"
                  className="card-tool"
                  tabIndex={-1}
                  aria-pressed={showImages}
                  aria-label={showImages ? 'Show the grid image' : 'Show the four images'}
                  title={showImages ? 'Show the grid image' : 'Show the four images'}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggleExpanded(job.id);
                  }}
                >
                  <Icon name={showImages ? 'square' : 'grid4'} size={15} />
                </button>
              ) : null}
              <button
                type="button"
                className="card-tool"
                tabIndex={-1}
                aria-label="Show its family"
                title="Show only this job's family in the library"
                onClick={(e) => {
                  e.stopPropagation();
                  handlers.onFamily(job.id);
                }}
              >
                <Icon name="family" size={15} />
              </button>
              <button
                type="button"
                className="card-tool"
                tabIndex={-1}
                aria-label="Open details"
                title="Open details (Enter)"
                onClick={(e) => {
                  e.stopPropagation();
                  handlers.onOpen(job.id);
                }}
              >
                <Icon name="open" size={15} />
              </button>
            </div>
            <button
              type="button"
              className={`card-fav${job.favorite ? ' on' : ''}`}
              tabIndex={-1}
              aria-pressed={job.favorite}
              aria-label="Favorite"
              title={job.favorite ? 'Remove from favorites (F)' : 'Add to favorites (F)'}
              onClick={(e) => {
                e.stopPropagation();
                handlers.onFavorite(job.id, !job.favorite);
              }}
            >
              <Icon name="star" size={16} filled={job.favorite} />
            </button>
          </>
        ) : job.favorite ? (
          <span className="card-fav on" aria-label="Favorite" role="img">
            <Icon name="star" size={16} filled />
          </span>
        ) : null}
      </div>
    </div>
  );
});
