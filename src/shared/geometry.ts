/**
 * Mask and canvas geometry for the follow-up panels (Vary region, Pan, Zoom out, Edit, Paint): pure
 * functions shared by the renderer and the tests, so what a person draws is exactly what is sent.
 *
 * Coordinates are pixels with the origin at the top-left corner and y pointing down, as on screen and
 * in Legnext's requests. The limits are the documented ones (the Legnext API reference, mirrored by
 * `src/main/core/providers/legnext/inputs.ts`): polygon frames 500–4096 px per side, pan scale
 * 1.1–3.0, zoom-out scale 1.1–2.0, canvas and image sizes whole positive pixels.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Point, Size {}

/** One polygon of `mask.areas`: the frame it is drawn on and its vertices as x,y pairs. */
export interface MaskPolygon {
  width: number;
  height: number;
  points: number[];
}

/** `canvas` and `imgPos` of Edit and Upload-paint. */
export interface CanvasPlacement {
  canvas: Size;
  imgPos: Rect;
}

export const POLYGON_SIDE = { min: 500, max: 4096 } as const;
export const PAN_SCALE = { min: 1.1, max: 3.0 } as const;
export const OUTPAINT_SCALE = { min: 1.1, max: 2.0 } as const;
/** Legnext's direction numbers are the index in this list (0 down, 1 right, 2 up, 3 left). */
export const PAN_DIRECTIONS = ['down', 'right', 'up', 'left'] as const;
export type PanDirection = (typeof PAN_DIRECTIONS)[number];

/**
 * The smallest region worth repainting, as a share of the image area: anything smaller is a slip of
 * the mouse (a double click, a lasso that went nowhere) rather than a region.
 */
export const MIN_REGION_SHARE = 0.0005;

/** A geometry input that cannot be sent; the message names the field, as the core's errors do. */
export class GeometryError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'GeometryError';
  }
}

// ── displayed image ↔ image pixels ──────────────────────────────────────────────────────────────

/** Where `content` is drawn inside `box` with `object-fit: contain` (centred, aspect kept). */
export function containRect(box: Size, content: Size): Rect {
  if (content.width <= 0 || content.height <= 0 || box.width <= 0 || box.height <= 0) {
    return { x: box.width / 2, y: box.height / 2, width: 0, height: 0 };
  }
  const scale = Math.min(box.width / content.width, box.height / content.height);
  const width = content.width * scale;
  const height = content.height * scale;
  return { x: (box.width - width) / 2, y: (box.height - height) / 2, width, height };
}

/**
 * A pointer position (client coordinates) over an element that shows `image` with `object-fit:
 * contain`, in image pixels. `element` is the element's client rectangle (`getBoundingClientRect`).
 * The result is not clamped: a point in the letterbox lies outside the image (see `clampToImage`).
 */
export function clientToImage(client: Point, element: Rect, image: Size): Point {
  const shown = containRect(element, image);
  if (shown.width === 0 || shown.height === 0) return { x: 0, y: 0 };
  return {
    x: ((client.x - element.x - shown.x) * image.width) / shown.width,
    y: ((client.y - element.y - shown.y) * image.height) / shown.height,
  };
}

/** The inverse of `clientToImage`: where an image pixel appears on screen. */
export function imageToClient(point: Point, element: Rect, image: Size): Point {
  const shown = containRect(element, image);
  if (image.width <= 0 || image.height <= 0) return { x: element.x + shown.x, y: element.y + shown.y };
  return {
    x: element.x + shown.x + (point.x * shown.width) / image.width,
    y: element.y + shown.y + (point.y * shown.height) / image.height,
  };
}

/** How many image pixels one screen pixel covers on that element (for hit radii and tolerances). */
export function imagePixelsPerClientPixel(element: Size, image: Size): number {
  const shown = containRect(element, image);
  return shown.width > 0 ? image.width / shown.width : 1;
}

export function isInsideImage(point: Point, image: Size): boolean {
  return point.x >= 0 && point.y >= 0 && point.x <= image.width && point.y <= image.height;
}

/** The nearest point of the image: a vertex dropped in the letterbox lands on the image's edge. */
export function clampToImage(point: Point, image: Size): Point {
  return {
    x: Math.min(Math.max(point.x, 0), image.width),
    y: Math.min(Math.max(point.y, 0), image.height),
  };
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

// ── freehand paths and polygons ─────────────────────────────────────────────────────────────────

/** Distance from `p` to the segment a–b. */
function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return distance(p, a);
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return distance(p, { x: a.x + t * dx, y: a.y + t * dy });
}

/**
 * Ramer–Douglas–Peucker: the fewest vertices that stay within `tolerance` of the drawn path. The
 * first and last points are always kept. Runs with an explicit stack, so a long lasso cannot
 * overflow the call stack.
 */
export function simplifyPath(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2) return points.map((p) => ({ ...p }));
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let farthest = -1;
    let farthestDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance(points[i]!, points[first]!, points[last]!);
      if (d > farthestDistance) {
        farthest = i;
        farthestDistance = d;
      }
    }
    if (farthest !== -1) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1).map((p) => ({ ...p }));
}

/** Shoelace area with y pointing down: positive when the vertices run clockwise on screen. */
export function polygonArea(points: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

/** The vertices without consecutive repeats (a closing point equal to the first one included). */
export function withoutRepeats(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) out.push({ ...p });
  }
  while (out.length > 1 && out[0]!.x === out[out.length - 1]!.x && out[0]!.y === out[out.length - 1]!.y) {
    out.pop();
  }
  return out;
}

/**
 * Why a drawn outline cannot be a region, or null when it can: at least three distinct vertices,
 * every vertex inside the image, and an area of at least `MIN_REGION_SHARE` of the image (so a line
 * or a slip of the mouse is refused).
 */
export function polygonProblem(points: readonly Point[], image: Size): string | null {
  const distinct = withoutRepeats(points);
  if (distinct.length < 3) return 'A region needs at least three corners.';
  if (!distinct.every((p) => isInsideImage(p, image)))
    return 'Every corner of a region must lie on the image.';
  const area = Math.abs(polygonArea(distinct));
  if (area === 0) return 'A region cannot be a straight line.';
  if (area < MIN_REGION_SHARE * image.width * image.height) {
    return 'This region is too small to repaint; draw a larger one.';
  }
  return null;
}

/**
 * The vertices clockwise on screen, starting from the one nearest the top-left corner: the order
 * Legnext documents for polygon points ("clockwise from top-left").
 */
export function clockwiseFromTopLeft(points: readonly Point[]): Point[] {
  const distinct = withoutRepeats(points);
  const ordered = polygonArea(distinct) < 0 ? [...distinct].reverse() : distinct;
  let start = 0;
  for (let i = 1; i < ordered.length; i++) {
    const p = ordered[i]!;
    const s = ordered[start]!;
    if (p.x + p.y < s.x + s.y || (p.x + p.y === s.x + s.y && p.y < s.y)) start = i;
  }
  return [...ordered.slice(start), ...ordered.slice(0, start)];
}

// ── mask.areas ──────────────────────────────────────────────────────────────────────────────────

/**
 * The frame polygons are drawn on. Legnext takes 500–4096 px per side: an image inside that range is
 * its own frame (scale 1, coordinates are image pixels); a smaller or larger image is scaled
 * uniformly into the range, which keeps the region where it was drawn. An image too long and thin to
 * fit both limits at once cannot carry a polygon mask.
 */
export function maskFrame(image: Size): Size & { scale: number } {
  const { width, height } = image;
  if (!(width > 0 && height > 0)) {
    throw new GeometryError('mask: the image size is not known yet.', 'mask');
  }
  let scale = 1;
  if (Math.min(width, height) < POLYGON_SIDE.min) scale = POLYGON_SIDE.min / Math.min(width, height);
  else if (Math.max(width, height) > POLYGON_SIDE.max) scale = POLYGON_SIDE.max / Math.max(width, height);
  const frame = { width: Math.round(width * scale), height: Math.round(height * scale) };
  const fits = (side: number) => side >= POLYGON_SIDE.min && side <= POLYGON_SIDE.max;
  if (!fits(frame.width) || !fits(frame.height)) {
    throw new GeometryError(
      `mask: a ${width}×${height} image cannot be described within Legnext's ${POLYGON_SIDE.min}–${POLYGON_SIDE.max} px polygon limits.`,
      'mask.areas',
    );
  }
  return { ...frame, scale };
}

/**
 * Regions drawn on `image` (image pixels) → `mask.areas` as Legnext takes them: whole-pixel vertices
 * inside the frame, clockwise from the top-left. Throws `GeometryError` naming the field for an
 * empty mask or an invalid region.
 */
export function toMaskAreas(regions: ReadonlyArray<readonly Point[]>, image: Size): { areas: MaskPolygon[] } {
  if (regions.length === 0) {
    throw new GeometryError('mask.areas needs at least one region: draw one on the image.', 'mask.areas');
  }
  const frame = maskFrame(image);
  const areas = regions.map((region, i) => {
    const problem = polygonProblem(
      region.map((p) => clampToImage(p, image)),
      image,
    );
    if (problem) throw new GeometryError(`mask.areas[${i}]: ${problem}`, `mask.areas[${i}]`);
    const vertices = clockwiseFromTopLeft(
      region.map((p) => {
        const c = clampToImage(p, image);
        return {
          x: Math.min(frame.width, Math.max(0, Math.round(c.x * frame.scale))),
          y: Math.min(frame.height, Math.max(0, Math.round(c.y * frame.scale))),
        };
      }),
    );
    if (vertices.length < 3 || polygonArea(vertices) === 0) {
      throw new GeometryError(`mask.areas[${i}]: this region is too small to repaint.`, `mask.areas[${i}]`);
    }
    return { width: frame.width, height: frame.height, points: vertices.flatMap((p) => [p.x, p.y]) };
  });
  return { areas };
}

// ── pan and zoom-out previews ───────────────────────────────────────────────────────────────────

/** Whether a scale is inside an inclusive range, with a tolerance for slider arithmetic. */
function inRange(value: number, range: { min: number; max: number }): boolean {
  return Number.isFinite(value) && value >= range.min - 1e-9 && value <= range.max + 1e-9;
}

export function panScaleProblem(scale: number): string | null {
  return inRange(scale, PAN_SCALE)
    ? null
    : `scale must be a number from ${PAN_SCALE.min} to ${PAN_SCALE.max.toFixed(1)}.`;
}

export function outpaintScaleProblem(scale: number): string | null {
  return inRange(scale, OUTPAINT_SCALE)
    ? null
    : `scale must be a number from ${OUTPAINT_SCALE.min} to ${OUTPAINT_SCALE.max.toFixed(1)}.`;
}

/**
 * The picture after a pan: the canvas grows by `scale` along the direction and the original keeps
 * its size, pinned to the opposite edge (panning down adds room below, so the image stays on top).
 */
export function panFrame(image: Size, direction: PanDirection, scale: number): { canvas: Size; image: Rect } {
  const problem = panScaleProblem(scale);
  if (problem) throw new GeometryError(problem, 'scale');
  const vertical = direction === 'down' || direction === 'up';
  const canvas = vertical
    ? { width: image.width, height: Math.round(image.height * scale) }
    : { width: Math.round(image.width * scale), height: image.height };
  const x = direction === 'left' ? canvas.width - image.width : 0;
  const y = direction === 'up' ? canvas.height - image.height : 0;
  return { canvas, image: { x, y, width: image.width, height: image.height } };
}

/** The picture after a zoom out: a canvas `scale` times larger each way, the original centred. */
export function outpaintFrame(image: Size, scale: number): { canvas: Size; image: Rect } {
  const problem = outpaintScaleProblem(scale);
  if (problem) throw new GeometryError(problem, 'scale');
  const canvas = { width: Math.round(image.width * scale), height: Math.round(image.height * scale) };
  return {
    canvas,
    image: {
      x: Math.round((canvas.width - image.width) / 2),
      y: Math.round((canvas.height - image.height) / 2),
      width: image.width,
      height: image.height,
    },
  };
}

// ── edit canvas ─────────────────────────────────────────────────────────────────────────────────

/** The share of the image's shorter side that must stay on the canvas while it is dragged. */
export const MIN_VISIBLE_SHARE = 0.1;
/** The smallest image side (px) a resize can reach. */
export const MIN_IMAGE_SIDE = 32;

export type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** `image` scaled to fit inside `canvas` (aspect kept) and centred: where Edit starts. */
export function fitImageInCanvas(image: Size, canvas: Size): Rect {
  const fit = containRect(canvas, image);
  return { x: fit.x, y: fit.y, width: fit.width, height: fit.height };
}

/** The smallest canvas of aspect `ratio` (width / height) that holds `image` at its size. */
export function canvasAround(image: Size, ratio: number): Size {
  if (!(ratio > 0)) return { width: Math.round(image.width), height: Math.round(image.height) };
  return image.width / image.height >= ratio
    ? { width: Math.round(image.width), height: Math.round(image.width / ratio) }
    : { width: Math.round(image.height * ratio), height: Math.round(image.height) };
}

/**
 * Keeps a placed image reachable: it may hang over the canvas edges (as in Midjourney's editor), but
 * at least `MIN_VISIBLE_SHARE` of its shorter side stays on the canvas each way.
 */
export function keepOnCanvas(pos: Rect, canvas: Size): Rect {
  const margin = Math.max(1, Math.min(pos.width, pos.height) * MIN_VISIBLE_SHARE);
  const x = Math.min(Math.max(pos.x, margin - pos.width), canvas.width - margin);
  const y = Math.min(Math.max(pos.y, margin - pos.height), canvas.height - margin);
  return { ...pos, x, y };
}

/** The image dragged by `delta` canvas pixels. */
export function moveImage(pos: Rect, delta: Point, canvas: Size): Rect {
  return keepOnCanvas({ ...pos, x: pos.x + delta.x, y: pos.y + delta.y }, canvas);
}

function anchorOf(pos: Rect, corner: Corner): Point {
  // The corner opposite the one being dragged stays where it is.
  return {
    x: corner.endsWith('left') ? pos.x + pos.width : pos.x,
    y: corner.startsWith('top') ? pos.y + pos.height : pos.y,
  };
}

/**
 * The image resized by dragging `corner` to `pointer` (canvas pixels), aspect ratio kept, the opposite
 * corner fixed. The size follows whichever axis the pointer moved further, never below
 * `MIN_IMAGE_SIDE` on the shorter side.
 */
export function resizeFromCorner(pos: Rect, corner: Corner, pointer: Point, canvas: Size): Rect {
  const aspect = pos.width / pos.height;
  const anchor = anchorOf(pos, corner);
  const signX = corner.endsWith('left') ? -1 : 1;
  const signY = corner.startsWith('top') ? -1 : 1;
  const fromX = (pointer.x - anchor.x) * signX;
  const fromY = (pointer.y - anchor.y) * signY * aspect;
  const minWidth = aspect >= 1 ? MIN_IMAGE_SIDE * aspect : MIN_IMAGE_SIDE;
  const width = Math.max(minWidth, fromX, fromY);
  const height = width / aspect;
  const next = {
    x: signX < 0 ? anchor.x - width : anchor.x,
    y: signY < 0 ? anchor.y - height : anchor.y,
    width,
    height,
  };
  return keepOnCanvas(next, canvas);
}

/** The image scaled by `factor` about its centre (a slider or the keyboard), aspect kept. */
export function scaleImage(pos: Rect, factor: number, canvas: Size): Rect {
  const aspect = pos.width / pos.height;
  const minWidth = aspect >= 1 ? MIN_IMAGE_SIDE * aspect : MIN_IMAGE_SIDE;
  const width = Math.max(minWidth, pos.width * factor);
  const height = width / aspect;
  const cx = pos.x + pos.width / 2;
  const cy = pos.y + pos.height / 2;
  return keepOnCanvas({ x: cx - width / 2, y: cy - height / 2, width, height }, canvas);
}

/** Why a canvas size cannot be sent (field and message), or null: whole pixels above 0, as the API takes. */
export function canvasProblem(canvas: Size): { field: string; message: string } | null {
  for (const side of ['width', 'height'] as const) {
    if (!Number.isInteger(canvas[side]) || canvas[side] < 1) {
      return { field: `canvas.${side}`, message: `canvas.${side} must be a whole number of pixels above 0.` };
    }
  }
  return null;
}

/**
 * The `canvas` and `imgPos` of a placement, in whole pixels. Throws `GeometryError` naming the field
 * when the canvas is not a positive whole size or the image would be entirely off the canvas.
 */
export function toCanvasPlacement(canvas: Size, pos: Rect): CanvasPlacement {
  const problem = canvasProblem(canvas);
  if (problem) throw new GeometryError(problem.message, problem.field);
  const imgPos = {
    x: Math.round(pos.x),
    y: Math.round(pos.y),
    width: Math.max(1, Math.round(pos.width)),
    height: Math.max(1, Math.round(pos.height)),
  };
  const overlaps =
    imgPos.x < canvas.width &&
    imgPos.y < canvas.height &&
    imgPos.x + imgPos.width > 0 &&
    imgPos.y + imgPos.height > 0;
  if (!overlaps)
    throw new GeometryError('imgPos must place the image at least partly on the canvas.', 'imgPos');
  return { canvas: { width: canvas.width, height: canvas.height }, imgPos };
}
