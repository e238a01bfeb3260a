/**
 * A live preview of the canvas a pan or zoom out will produce: the new frame at its shape, the image
 * where it will sit, and the area Midjourney will paint shown as stripes.
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
