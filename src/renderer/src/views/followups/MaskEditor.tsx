/**
 * The mask editor: regions drawn over an image, in the image's own pixels. Two tools: a polygon
 * (click corners; close on the first corner, a double click or Enter) and a freehand lasso (drag;
 * the path is simplified to a polygon on release). Several regions, undo/redo (buttons, Ctrl+Z,
 * Ctrl+Shift+Z), clear. From the keyboard: arrows move a cursor, Space places a corner, Enter closes,
 * Backspace removes the last corner, Escape cancels the polygon in progress.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import {
  clampToImage,
  clientToImage,
  distance,
  imagePixelsPerClientPixel,
  polygonProblem,
  simplifyPath,
  withoutRepeats,
  type Point,
  type Size,
} from '../../../../shared/geometry';
import { Icon } from '../../components/Icon';
import { arrowMove } from './CanvasEditor';
import type { MaskHistory, Region } from './mask-history';
import { Choice, fieldId } from './parts';
import { useBoxSize } from './useBoxSize';

type Tool = 'polygon' | 'lasso';

/** Screen pixels within which a click on the first corner closes the polygon. */
const CLOSE_RADIUS_PX = 10;
/** Lasso samples closer than this (screen px) to the previous one add nothing but weight. */
const LASSO_MIN_STEP_PX = 2;
/** How far (screen px) a simplified lasso may stray from the drawn path. */
const LASSO_TOLERANCE_PX = 1.5;
/** A lasso longer than this many samples stops growing (a minute of dragging). */
const LASSO_MAX_SAMPLES = 6000;

function pointsAttr(points: readonly Point[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

function centroid(points: readonly Point[]): Point {
  const sum = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: sum.x / points.length, y: sum.y / points.length };
}

export function MaskEditor({
  src,
  image,
  history,
  field,
  label,
  error,
  onMeasure,
}: {
  src: string | null;
  /** The image's pixel size; null until known (then `onMeasure` reports it from the loaded file). */
  image: Size | null;
  history: MaskHistory;
  /** The request field the mask fills (`mask`), for focus and errors. */
  field: string;
  label: string;
  error: string | undefined;
  onMeasure(size: Size): void;
}) {
  const [tool, setTool] = useState<Tool>('polygon');
  const [draft, setDraft] = useState<Point[]>([]);
  const [hover, setHover] = useState<Point | null>(null);
  const [lasso, setLasso] = useState<Point[] | null>(null);
  const [cursor, setCursor] = useState<Point | null>(null);
  const [note, setNote] = useState<{ text: string; problem: boolean } | null>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const lassoRef = useRef<Point[] | null>(null);
  const box = useBoxSize(stageRef);
  const hintId = useId();
  const stageId = fieldId(field);
  const size = image ?? { width: 1, height: 1 };
  const k = image ? imagePixelsPerClientPixel(box, image) : 1;
  const { regions } = history;

  // A new image (another output) starts a new drawing.
  useEffect(() => {
    setDraft([]);
    setLasso(null);
    setCursor(null);
    setNote(null);
  }, [src]);

  const toImage = (e: { clientX: number; clientY: number }): Point | null => {
    const stage = stageRef.current;
    if (!stage || !image) return null;
    const r = stage.getBoundingClientRect();
    const rect = { x: r.left, y: r.top, width: r.width, height: r.height };
    return clampToImage(clientToImage({ x: e.clientX, y: e.clientY }, rect, image), image);
  };

  const commit = (points: readonly Point[], how: string): boolean => {
    if (!image) return false;
    const outline = withoutRepeats(points);
    const problem = polygonProblem(outline, image);
    if (problem) {
      setNote({ text: problem, problem: true });
      return false;
    }
    history.add(outline);
    setNote({
      text: `Region ${regions.length + 1} added (${how}, ${outline.length} corners).`,
      problem: false,
    });
    return true;
  };

  const closeDraft = () => {
    if (withoutRepeats(draft).length < 3) {
      setNote({ text: 'Place at least three corners, then close the region.', problem: true });
      return;
    }
    if (commit(draft, 'polygon')) {
      setDraft([]);
      setHover(null);
    }
  };

  const addCorner = (p: Point) => {
    const first = draft[0];
    if (first && draft.length >= 3 && distance(p, first) <= CLOSE_RADIUS_PX * k) {
      closeDraft();
      return;
    }
    setDraft([...draft, p]);
    setNote(null);
  };

  const undo = () => {
    if (draft.length > 0) setDraft(draft.slice(0, -1));
    else history.undo();
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !image) return;
    const p = toImage(e);
    if (!p) return;
    e.preventDefault();
    stageRef.current?.focus({ preventScroll: true });
    setCursor(null);
    if (tool === 'polygon') {
      addCorner(p);
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    lassoRef.current = [p];
    setLasso([p]);
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const p = toImage(e);
    if (!p) return;
    const path = lassoRef.current;
    if (path) {
      const last = path[path.length - 1]!;
      if (distance(last, p) >= LASSO_MIN_STEP_PX * k && path.length < LASSO_MAX_SAMPLES) {
        path.push(p);
        setLasso([...path]);
      }
    } else if (tool === 'polygon') {
      setHover(p);
    }
  };

  const finishLasso = () => {
    const path = lassoRef.current;
    lassoRef.current = null;
    setLasso(null);
    if (!path) return;
    if (path.length < 3) {
      setNote({ text: 'Drag around the area to repaint to draw a region.', problem: true });
      return;
    }
    commit(simplifyPath(path, LASSO_TOLERANCE_PX * k), 'lasso');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 'z') {
      e.preventDefault();
      if (e.shiftKey) history.redo();
      else undo();
      return;
    }
    if (mod && key === 'y') {
      e.preventDefault();
      history.redo();
      return;
    }
    if (e.target !== stageRef.current || !image) return;
    const move = arrowMove(e.key, (Math.max(image.width, image.height) / 100) * (e.shiftKey ? 5 : 1));
    const at = cursor ?? { x: image.width / 2, y: image.height / 2 };
    if (move) {
      e.preventDefault();
      setCursor(clampToImage({ x: at.x + move.x, y: at.y + move.y }, image));
    } else if (e.key === ' ') {
      e.preventDefault();
      setCursor(at);
      addCorner(at);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (draft.length > 0) closeDraft();
    } else if (e.key === 'Backspace' || e.key === 'Delete') {
      if (draft.length > 0) {
        e.preventDefault();
        setDraft(draft.slice(0, -1));
      }
    } else if (e.key === 'Escape' && draft.length > 0) {
      e.preventDefault();
      setDraft([]);
      setNote({ text: 'Region cancelled.', problem: false });
    }
  };

  const ratio = `${size.width} / ${size.height}`;
  const stroke = 2 * k;
  const vertex = 4.5 * k;
  const draftPath = hover && tool === 'polygon' && draft.length > 0 ? [...draft, hover] : draft;

  return (
    <div className="mask-editor" onKeyDown={onKeyDown}>
      <div className="mask-toolbar">
        <Choice<Tool>
          label="Drawing tool"
          value={tool}
          onChange={(t) => {
            setTool(t);
            setDraft([]);
          }}
          options={[
            {
              value: 'polygon',
              label: (
                <>
                  <Icon name="polygon" size={14} /> Polygon
                </>
              ),
            },
            {
              value: 'lasso',
              label: (
                <>
                  <Icon name="lasso" size={14} /> Lasso
                </>
              ),
            },
          ]}
        />
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-sm"
          onClick={undo}
          disabled={draft.length === 0 && !history.canUndo}
          aria-keyshortcuts="Control+Z"
        >
          <Icon name="undo" size={14} /> Undo
        </button>
        <button
          type="button"
          className="btn btn-sm"
          onClick={history.redo}
          disabled={!history.canRedo}
          aria-keyshortcuts="Control+Shift+Z"
        >
          <Icon name="redo" size={14} /> Redo
        </button>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            setDraft([]);
            history.clear();
            setNote({ text: 'Every region cleared.', problem: false });
          }}
          disabled={regions.length === 0 && draft.length === 0}
        >
          <Icon name="trash" size={14} /> Clear
        </button>
      </div>
      <div
        className={`mask-stage${error ? ' invalid' : ''}`}
        style={{ aspectRatio: ratio, ['--ratio' as string]: size.width / size.height }}
      >
        <StageImage src={src} image={image} onMeasure={onMeasure} />
        <div
          ref={stageRef}
          id={stageId}
          className={`mask-surface tool-${tool}`}
          role="application"
          aria-roledescription="mask editor"
          aria-label={`${label}: ${regions.length === 0 ? 'no regions yet' : `${regions.length} region${regions.length === 1 ? '' : 's'}`}${draft.length > 0 ? `, drawing a region with ${draft.length} corners` : ''}`}
          aria-describedby={error ? `${stageId}-error ${hintId}` : hintId}
          aria-invalid={error ? true : undefined}
          tabIndex={0}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={finishLasso}
          onPointerCancel={finishLasso}
          onPointerLeave={() => setHover(null)}
          onDoubleClick={(e) => {
            e.preventDefault();
            if (tool === 'polygon' && draft.length > 0) closeDraft();
          }}
          onBlur={() => setCursor(null)}
        >
          <svg
            viewBox={`0 0 ${size.width} ${size.height}`}
            preserveAspectRatio="xMidYMid meet"
            aria-hidden="true"
          >
            {regions.map((region: Region, i) => {
              const c = centroid(region);
              return (
                <g key={i} className="mask-region">
                  <polygon points={pointsAttr(region)} strokeWidth={stroke} />
                  <text x={c.x} y={c.y} fontSize={14 * k} dominantBaseline="middle" textAnchor="middle">
                    {i + 1}
                  </text>
                </g>
              );
            })}
            {lasso ? (
              <polyline className="mask-draft" points={pointsAttr(lasso)} strokeWidth={stroke} />
            ) : null}
            {draftPath.length > 0 ? (
              <g className="mask-draft">
                <polyline points={pointsAttr(draftPath)} strokeWidth={stroke} />
                {draft.map((p, i) => (
                  <circle
                    key={i}
                    cx={p.x}
                    cy={p.y}
                    r={i === 0 && draft.length >= 3 ? vertex * 1.8 : vertex}
                    className={i === 0 ? 'first' : undefined}
                    strokeWidth={stroke * 0.75}
                  />
                ))}
              </g>
            ) : null}
            {cursor ? (
              <g className="mask-cursor">
                <circle cx={cursor.x} cy={cursor.y} r={8 * k} strokeWidth={stroke} />
                <path
                  d={`M${cursor.x - 14 * k} ${cursor.y}H${cursor.x + 14 * k}M${cursor.x} ${cursor.y - 14 * k}V${cursor.y + 14 * k}`}
                  strokeWidth={stroke * 0.75}
                />
              </g>
            ) : null}
          </svg>
        </div>
      </div>
      <p className="field-hint" id={hintId}>
        {tool === 'polygon'
          ? 'Click to place corners; click the first corner, double-click or press Enter to close. Esc cancels. Keyboard: arrows move the cursor, Space places a corner.'
          : 'Drag around the area to repaint; release to close the region.'}
      </p>
      {error ? (
        <p className="field-error" id={`${stageId}-error`}>
          {error}
        </p>
      ) : null}
      <p className={note?.problem ? 'field-error' : 'field-hint'} aria-live="polite">
        {note?.text ?? ''}
      </p>
      {regions.length > 0 ? (
        <ul className="mask-regions" aria-label="Regions">
          {regions.map((region, i) => (
            <li key={i}>
              <span>
                Region {i + 1} <span className="muted">· {region.length} corners</span>
              </span>
              <button
                type="button"
                className="btn btn-ghost btn-icon btn-sm"
                aria-label={`Remove region ${i + 1}`}
                onClick={() => history.remove(i)}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The image under a mask, which also measures it while its pixel size is not known yet. */
export function StageImage({
  src,
  image,
  onMeasure,
}: {
  src: string | null;
  image: Size | null;
  onMeasure(size: Size): void;
}) {
  return src ? (
    <img
      src={src}
      alt=""
      draggable={false}
      onLoad={(e) => {
        if (!image) onMeasure({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight });
      }}
    />
  ) : null;
}
