/**
 * The image on a canvas, placed like Midjourney's editor: drag the image to move it, drag a corner to
 * resize it (aspect kept, the opposite corner fixed). From the keyboard the image is a button: arrows
 * move it (Shift for larger steps), + and − resize it about its centre.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import {
  clientToImage,
  moveImage,
  resizeFromCorner,
  scaleImage,
  type Corner,
  type Point,
  type Rect,
  type Size,
} from '../../../../shared/geometry';
import { formatNumber } from '../../lib/format';
import { percent } from './FramePreview';
import { fieldId } from './parts';

const CORNERS: readonly Corner[] = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];

type Drag =
  | { kind: 'move'; start: Point; from: Rect; pointerId: number }
  | { kind: 'resize'; corner: Corner; from: Rect; pointerId: number };

/** How far an arrow key moves something: `step` pixels its way; undefined for any other key. */
export function arrowMove(key: string, step: number): Point | undefined {
  switch (key) {
    case 'ArrowLeft':
      return { x: -step, y: 0 };
    case 'ArrowRight':
      return { x: step, y: 0 };
    case 'ArrowUp':
      return { x: 0, y: -step };
    case 'ArrowDown':
      return { x: 0, y: step };
    default:
      return undefined;
  }
}

export function CanvasEditor({
  src,
  canvas,
  placement,
  onChange,
  error,
}: {
  src: string | null;
  canvas: Size;
  placement: Rect;
  onChange(next: Rect): void;
  error: string | undefined;
}) {
  const stageRef = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const id = fieldId('imgPos');

  const stageRect = (): Rect | null => {
    const r = stageRef.current?.getBoundingClientRect();
    return r ? { x: r.left, y: r.top, width: r.width, height: r.height } : null;
  };

  const begin = (e: PointerEvent<HTMLElement>, next: Drag) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = next;
  };

  const onMove = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    const rect = stageRect();
    if (!d || d.pointerId !== e.pointerId || !rect || rect.width === 0) return;
    if (d.kind === 'move') {
      const scale = canvas.width / rect.width;
      onChange(
        moveImage(d.from, { x: (e.clientX - d.start.x) * scale, y: (e.clientY - d.start.y) * scale }, canvas),
      );
    } else {
      const pointer = clientToImage({ x: e.clientX, y: e.clientY }, rect, canvas);
      onChange(resizeFromCorner(d.from, d.corner, pointer, canvas));
    }
  };

  const end = (e: PointerEvent<HTMLElement>) => {
    if (drag.current?.pointerId === e.pointerId) drag.current = null;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const move = arrowMove(e.key, (Math.max(canvas.width, canvas.height) / 100) * (e.shiftKey ? 10 : 1));
    if (move) {
      e.preventDefault();
      onChange(moveImage(placement, move, canvas));
    } else if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      onChange(scaleImage(placement, 1.05, canvas));
    } else if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      onChange(scaleImage(placement, 1 / 1.05, canvas));
    }
  };

  const box = {
    left: percent(placement.x, canvas.width),
    top: percent(placement.y, canvas.height),
    width: percent(placement.width, canvas.width),
    height: percent(placement.height, canvas.height),
  };
  const described = `${Math.round(placement.width)} × ${Math.round(placement.height)} px at ${Math.round(placement.x)}, ${Math.round(placement.y)}`;

  return (
    <div className="canvas-editor">
      <div
        ref={stageRef}
        className={`canvas-stage${error ? ' invalid' : ''}`}
        style={{
          aspectRatio: `${canvas.width} / ${canvas.height}`,
          ['--ratio' as string]: canvas.width / canvas.height,
        }}
      >
        <button
          type="button"
          id={id}
          className="canvas-image"
          style={box}
          aria-label={`Image on the canvas, ${described}. Arrow keys move it, plus and minus resize it.`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onKeyDown={onKeyDown}
          onPointerDown={(e) =>
            begin(e, {
              kind: 'move',
              start: { x: e.clientX, y: e.clientY },
              from: placement,
              pointerId: e.pointerId,
            })
          }
          onPointerMove={onMove}
          onPointerUp={end}
          onPointerCancel={end}
        >
          {src ? <img src={src} alt="" draggable={false} /> : null}
        </button>
        {CORNERS.map((corner) => (
          <span
            key={corner}
            className={`canvas-handle ${corner}`}
            aria-hidden="true"
            style={{
              left: corner.endsWith('left') ? box.left : percent(placement.x + placement.width, canvas.width),
              top: corner.startsWith('top')
                ? box.top
                : percent(placement.y + placement.height, canvas.height),
            }}
            onPointerDown={(e) =>
              begin(e, { kind: 'resize', corner, from: placement, pointerId: e.pointerId })
            }
            onPointerMove={onMove}
            onPointerUp={end}
            onPointerCancel={end}
          />
        ))}
      </div>
      <p className="muted small canvas-readout">
        Canvas {formatNumber(canvas.width)} × {formatNumber(canvas.height)} px · image {described}
      </p>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
