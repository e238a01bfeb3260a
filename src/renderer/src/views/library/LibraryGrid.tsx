/**
 * The virtualized library grid: rows of cards (as many columns as fit), only the rows on screen in
 * the DOM; it reports what it shows, and the library store loads the next page as that nears the end.
 * Keyboard: arrows move focus (Shift extends the selection), Enter opens, Space previews, F toggles
 * favorite, Delete or Backspace asks to remove the selection, Ctrl/Cmd+A selects all (Escape, handled
 * by the library view, clears the selection). Mouse:
 * click selects, Shift-click a range, Ctrl/Cmd-click toggles, double-click opens. In a stacked listing
 * the grid's Tab stop is followed by its card's "N in family" button, when it has one.
 *
 * Scrolling recycles the DOM: a row is keyed by its slot (row index modulo the rows on screen) and a
 * card by its column, so a row leaving the top is reused for the one entering at the bottom and a card
 * changes its content instead of being destroyed and rebuilt. That keeps a scroll's work per frame to
 * new text and pictures, not to creating, styling and collecting thousands of elements.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { failureMessage } from '../../api';
import { Spinner } from '../../components/ui';
import { useElementWidth } from '../../hooks/useElementWidth';
import { useNowMinutes } from '../../hooks/useNow';
import { getJob, setFavorite } from '../../store/jobs';
import { askToRemove, isStacking, showFamily, showingRange, stackOf, useLibrary } from '../../store/library';
import {
  navigate,
  openPreview,
  rememberLibraryScroll,
  savedLibraryScroll,
  selectJob,
  setFocusIndex,
  toast,
  useUi,
} from '../../store/ui';
import { JobCard, type CardHandlers } from './JobCard';

const MIN_CARD_WIDTH = 240;
const GAP = 16;
const PADDING = 24;
/** Height of a card below its square media: prompt (2 lines), meta line, badge line. */
const CARD_BODY_HEIGHT = 106;
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 1;

/**
 * How the grid is scrolling, updated as the virtualizer reports a new range. A fling (more than a
 * screen between two reports: rows are gone before their pictures could load) shows light cards; it
 * lasts until the scroll slows under half a screen per report or stops, so a fling that stutters does
 * not bring full cards back in the middle of it.
 */
interface Motion {
  offset: number;
  flinging: boolean;
}

function nextMotion(before: Motion, offset: number, scrolling: boolean, screen: number): Motion {
  if (!scrolling) return { offset, flinging: false };
  const step = Math.abs(offset - before.offset);
  if (step === 0 || screen <= 0) return { offset, flinging: before.flinging };
  return { offset, flinging: before.flinging ? step > screen / 2 : step > screen };
}

/**
 * After a fling, the light cards on screen become full cards a row per frame rather than all at once:
 * a screen of full cards, their text laid out and their pictures requested in one frame, is the
 * longest frame a scroll would otherwise have. Returns how many rows (in settling order) are full;
 * Infinity when all are.
 */
function useRowsSettling(flinging: boolean, rows: number): number {
  const [fullRows, setFullRows] = useState(Number.POSITIVE_INFINITY);
  useEffect(() => {
    if (flinging) {
      setFullRows(0);
      return;
    }
    if (fullRows === Number.POSITIVE_INFINITY) return;
    if (fullRows >= rows) {
      setFullRows(Number.POSITIVE_INFINITY);
      return;
    }
    const frame = requestAnimationFrame(() => setFullRows((n) => n + 1));
    return () => cancelAnimationFrame(frame);
  }, [flinging, fullRows, rows]);
  return flinging ? 0 : fullRows;
}

export const LibraryGrid = memo(function LibraryGrid({ label }: { label: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const ids = useLibrary((s) => s.ids);
  const next = useLibrary((s) => s.next);
  const phase = useLibrary((s) => s.phase);
  const stacking = useLibrary(isStacking);
  // The families of listed jobs live beside the ids (see `stackOf`); their version re-renders the grid.
  useLibrary((s) => s.stacksVersion);
  const focusIndex = useUi((s) => s.focusIndex);
  const selection = useUi((s) => s.selection);
  const expanded = useUi((s) => s.expanded);
  // One clock for the whole grid (its labels change by the day), passed to every card.
  const now = useNowMinutes();
  const selected = useMemo(() => new Set(selection), [selection]);
  const wantsFocus = useRef(false);

  const inner = Math.max(0, width - PADDING * 2);
  const columns = Math.max(1, Math.floor((inner + GAP) / (MIN_CARD_WIDTH + GAP)));
  const cardWidth = (inner - GAP * (columns - 1)) / columns;
  const rowHeight = Math.round(cardWidth + CARD_BODY_HEIGHT + GAP);
  const rowCount = Math.ceil(ids.length / columns);
  const hasFooter = next !== null || phase === 'more';

  const motion = useRef<Motion>({ offset: savedLibraryScroll(), flinging: false });
  const virtualizer = useVirtualizer({
    count: rowCount + (hasFooter ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN,
    // Rows follow the scroll in React's next render rather than synchronously inside each scroll event:
    // a fast fling then costs one render per frame, not one per event.
    useFlushSync: false,
    paddingStart: PADDING,
    paddingEnd: PADDING,
    initialOffset: savedLibraryScroll,
    onChange: (instance) => {
      motion.current = nextMotion(
        motion.current,
        instance.scrollOffset ?? 0,
        instance.isScrolling,
        instance.scrollRect?.height ?? 0,
      );
    },
  });

  useLayoutEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  // The offset is read once, when the grid goes away: reading it on every scroll event would force a
  // layout in the middle of each frame.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    return () => {
      if (el) rememberLibraryScroll(el.scrollTop);
    };
  }, []);

  const items = virtualizer.getVirtualItems();
  // A fling shows light cards: mounting full cards and requesting pictures for rows gone a frame
  // later is what makes a fast scroll stutter. Full cards return when it slows or stops.
  const flinging = virtualizer.isScrolling && motion.current.flinging;
  const fullRows = useRowsSettling(flinging, items.length);
  const offset = virtualizer.scrollOffset ?? 0;
  const viewport = virtualizer.scrollRect?.height ?? rowHeight;
  // Rows still light after a fling become full one per frame, those in view first.
  const settleOrder = (position: number, end: number) => (end <= offset ? items.length : position);
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items.at(-1)?.index ?? 0;
  // Exactly one card is in the Tab order: the focused one, or the first on screen when it is not.
  const firstShown = firstRow * columns;
  const lastShown = Math.min(ids.length, (lastRow + 1) * columns) - 1;
  const tabTarget = focusIndex >= firstShown && focusIndex <= lastShown ? focusIndex : firstShown;

  // Row slots: as many as rows can be rendered at once (those the viewport cuts, plus the overscan on
  // each side), so consecutive rows always get distinct slots and a slot's DOM passes only from a row
  // leaving to one entering.
  const slotCount = Math.max(items.length, Math.ceil(viewport / rowHeight) + 1 + 2 * OVERSCAN);

  useEffect(() => {
    if (ids.length === 0) return;
    showingRange(firstRow * columns, (lastRow + 1) * columns - 1, !flinging);
  }, [firstRow, lastRow, columns, ids.length, flinging]);

  // After a keyboard move the focused card may only exist once its row is rendered: focus it then.
  useEffect(() => {
    if (!wantsFocus.current) return;
    const card = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    if (card) {
      card.focus({ preventScroll: true });
      wantsFocus.current = false;
    }
  });

  const handlers = useMemo<CardHandlers>(
    () => ({
      onSelect(index: number, id: string, event: MouseEvent) {
        const mode = event.shiftKey ? 'range' : event.metaKey || event.ctrlKey ? 'toggle' : 'only';
        selectJob(id, mode, useLibrary.getState().ids.toArray());
        setFocusIndex(index);
      },
      onOpen(id: string) {
        navigate({ view: 'job', id });
      },
      onFocus(index: number) {
        if (useUi.getState().focusIndex !== index) setFocusIndex(index);
      },
      onFavorite(id: string, favorite: boolean) {
        setFavorite(id, favorite).catch((err: unknown) => toast(failureMessage(err), 'danger'));
      },
      onFamily(id: string) {
        showFamily(id).catch((err: unknown) => toast(failureMessage(err), 'danger'));
      },
    }),
    [],
  );

  const moveFocus = useCallback(
    (to: number, extend: boolean) => {
      const list = useLibrary.getState().ids;
      if (list.length === 0) return;
      const index = Math.max(0, Math.min(list.length - 1, to));
      const id = list.at(index)!;
      // The whole ordered list matters only to a range (Shift): copying it is kept to that case.
      selectJob(id, extend ? 'range' : 'only', extend ? list.toArray() : [id]);
      setFocusIndex(index);
      wantsFocus.current = true;
      virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' });
    },
    [virtualizer, columns],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement) return;
    const list = useLibrary.getState().ids;
    const current = Math.min(useUi.getState().focusIndex, Math.max(0, list.length - 1));
    const id = list.at(current);
    const page =
      columns * Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight));
    switch (e.key) {
      case 'ArrowRight':
        moveFocus(current + 1, e.shiftKey);
        break;
      case 'ArrowLeft':
        moveFocus(current - 1, e.shiftKey);
        break;
      case 'ArrowDown':
        moveFocus(current + columns, e.shiftKey);
        break;
      case 'ArrowUp':
        moveFocus(current - columns, e.shiftKey);
        break;
      case 'PageDown':
        moveFocus(current + page, e.shiftKey);
        break;
      case 'PageUp':
        moveFocus(current - page, e.shiftKey);
        break;
      case 'Home':
        moveFocus(0, e.shiftKey);
        break;
      case 'End':
        moveFocus(list.length - 1, e.shiftKey);
        break;
      case 'Enter':
        if (id) navigate({ view: 'job', id });
        break;
      case ' ':
        if (id) openPreview(id);
        break;
      case 'f':
      case 'F': {
        if (e.metaKey || e.ctrlKey || e.altKey) return;
        const targets = selection.length > 1 ? selection : id ? [id] : [];
        const first = targets[0] ? getJob(targets[0]) : undefined;
        const favorite = !(first?.favorite ?? false);
        for (const target of targets) {
          setFavorite(target, favorite).catch((err: unknown) => toast(failureMessage(err), 'danger'));
        }
        break;
      }
      case 'Delete':
      case 'Backspace':
        if (selection.length === 0) return;
        askToRemove(selection);
        break;
      case 'a':
      case 'A':
        if (!(e.metaKey || e.ctrlKey)) return;
        useUi.setState({ selection: list.toArray() });
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      role="grid"
      aria-label={label}
      aria-multiselectable="true"
      aria-rowcount={rowCount}
      aria-colcount={columns}
      onKeyDown={onKeyDown}
    >
      <div className="grid-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((row, position) => {
          if (row.index >= rowCount) {
            return (
              <div
                key="footer"
                role="row"
                className="grid-footer"
                style={{ transform: `translateY(${row.start}px)`, height: row.size }}
              >
                <div role="gridcell" className="grid-footer-cell">
                  <Spinner label="Loading more" /> <span className="muted small">Loading more…</span>
                </div>
              </div>
            );
          }
          const start = row.index * columns;
          return (
            <div
              key={row.index % slotCount}
              role="row"
              aria-rowindex={row.index + 1}
              className="grid-row"
              style={{
                transform: `translateY(${row.start}px)`,
                height: row.size - GAP,
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
                padding: `0 ${PADDING}px`,
                gap: GAP,
              }}
            >
              {ids.slice(start, start + columns).map((id, i) => (
                <JobCard
                  key={i}
                  id={id}
                  index={start + i}
                  focused={start + i === tabTarget}
                  selected={selected.has(id)}
                  expanded={expanded[id] === true}
                  light={flinging || settleOrder(position, row.end) >= fullRows}
                  stack={stacking ? stackOf(id) : undefined}
                  now={now}
                  handlers={handlers}
                />
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
});
