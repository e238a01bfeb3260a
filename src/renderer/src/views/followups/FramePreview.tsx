/**
 * A live preview of the canvas a pan or zoom out will produce: the new frame at its shape, the image
 * where it will sit, and the area Midjourney will paint shown as stripes. Also the hidden image that
 * measures an output whose size the library does not know yet.
 */
import type { Rect, Size } from '../../../../shared/geometry';
import { formatNumber } from '../../lib/format';

export function percent(part: number, whole: number): string {
  return `${(part / whole) * 100}%`;
}

export function FramePreview({
  src,
  frame,
  caption,
}: {
  src: string | null;
  frame: { canvas: Size; image: Rect };
  caption: string;
}) {
  const { canvas, image } = frame;
  return (
    <figure className="frame-preview">
      <div
        className="frame-stage"
        style={{
          aspectRatio: `${canvas.width} / ${canvas.height}`,
          ['--ratio' as string]: canvas.width / canvas.height,
        }}
        data-canvas={`${canvas.width}x${canvas.height}`}
      >
        <div
          className="frame-image"
          style={{
            left: percent(image.x, canvas.width),
            top: percent(image.y, canvas.height),
            width: percent(image.width, canvas.width),
            height: percent(image.height, canvas.height),
          }}
        >
          {src ? <img src={src} alt="" draggable={false} /> : null}
        </div>
      </div>
      <figcaption className="muted small">
        <strong className="frame-size">
          {formatNumber(canvas.width)} × {formatNumber(canvas.height)} px
        </strong>{' '}
        {caption}
      </figcaption>
    </figure>
  );
}

/** The scale a preview shows: the chosen one, or the nearest allowed while it is out of range or blank. */
export function previewScale(scale: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, scale || range.min));
}

/** A hidden copy of the image that reports its pixel size once loaded, while that size is unknown. */
export function MeasureImage({
  src,
  size,
  onMeasure,
}: {
  src: string | null;
  size: Size | null;
  onMeasure(size: Size): void;
}) {
  return src && !size ? (
    <img
      className="measure"
      src={src}
      alt=""
      onLoad={(e) =>
        onMeasure({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
      }
    />
  ) : null;
}

/** The new canvas's preview, or a note while the image's size is still being measured. */
export function NewCanvasPreview({
  src,
  size,
  frame,
  caption,
  onMeasure,
}: {
  src: string | null;
  size: Size | null;
  frame: { canvas: Size; image: Rect } | null;
  caption: string;
  onMeasure(size: Size): void;
}) {
  return (
    <>
      {frame ? (
        <FramePreview src={src} frame={frame} caption={caption} />
      ) : (
        <p className="muted small">Loading the image size…</p>
      )}
      <MeasureImage src={src} size={size} onMeasure={onMeasure} />
    </>
  );
}
