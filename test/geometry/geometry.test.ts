/**
 * The mask and canvas geometry the follow-up panels send: coordinates stay inside the image, the
 * documented limits hold (checked against the core's own input schemas, so the two cannot drift),
 * freehand paths keep their ends, and regions that are not regions are refused.
 */
import { describe, expect, it } from 'vitest';
import {
  GeometryError,
  MIN_IMAGE_SIDE,
  MIN_VISIBLE_SHARE,
  OUTPAINT_SCALE,
  PAN_DIRECTIONS,
  PAN_SCALE,
  POLYGON_SIDE,
  canvasAround,
  canvasProblem,
  clampToImage,
  clientToImage,
  clockwiseFromTopLeft,
  containRect,
  fitImageInCanvas,
  imagePixelsPerClientPixel,
  imageToClient,
  isInsideImage,
  keepOnCanvas,
  maskFrame,
  moveImage,
  outpaintFrame,
  outpaintScaleProblem,
  panFrame,
  panScaleProblem,
  polygonArea,
  polygonProblem,
  resizeFromCorner,
  scaleImage,
  simplifyPath,
  toCanvasPlacement,
  toMaskAreas,
  withoutRepeats,
  type Point,
  type Rect,
} from '../../src/shared/geometry';
import {
  PAN_DIRECTIONS as CORE_PAN_DIRECTIONS,
  editInputSchema,
  inpaintInputSchema,
  maskSchema,
  outpaintInputSchema,
  panInputSchema,
} from '../../src/main/core/providers/legnext/inputs';

const square = (x: number, y: number, side: number): Point[] => [
  { x, y },
  { x: x + side, y },
  { x: x + side, y: y + side },
  { x, y: y + side },
];

const points = (...xy: Array<[number, number]>): Point[] => xy.map(([x, y]) => ({ x, y }));

/** A deterministic pseudo-random sequence, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('displayed image ↔ image pixels', () => {
  it('places content like object-fit: contain', () => {
    expect(containRect({ width: 800, height: 400 }, { width: 1000, height: 1000 })).toEqual({
      x: 200,
      y: 0,
      width: 400,
      height: 400,
    });
    expect(containRect({ width: 300, height: 600 }, { width: 1024, height: 512 })).toEqual({
      x: 0,
      y: 225,
      width: 300,
      height: 150,
    });
    // No size yet: an empty rectangle in the middle rather than NaN.
    expect(containRect({ width: 300, height: 600 }, { width: 0, height: 0 })).toEqual({
      x: 150,
      y: 300,
      width: 0,
      height: 0,
    });
  });

  it('maps client points to image pixels and back, through the letterbox offset', () => {
    const element: Rect = { x: 100, y: 50, width: 800, height: 400 };
    const image = { width: 1024, height: 1024 };
    // The image is drawn 400 px square, 200 px in from the element's left edge.
    expect(clientToImage({ x: 300, y: 50 }, element, image)).toEqual({ x: 0, y: 0 });
    expect(clientToImage({ x: 700, y: 450 }, element, image)).toEqual({ x: 1024, y: 1024 });
    expect(clientToImage({ x: 500, y: 250 }, element, image)).toEqual({ x: 512, y: 512 });
    // In the letterbox: outside the image until clamped.
    const outside = clientToImage({ x: 150, y: 100 }, element, image);
    expect(isInsideImage(outside, image)).toBe(false);
    expect(clampToImage(outside, image)).toEqual({ x: 0, y: outside.y });

    const next = random(7);
    for (let i = 0; i < 200; i++) {
      const p = { x: next() * 1024, y: next() * 1024 };
      const back = clientToImage(imageToClient(p, element, image), element, image);
      expect(back.x).toBeCloseTo(p.x, 6);
      expect(back.y).toBeCloseTo(p.y, 6);
    }
    expect(imagePixelsPerClientPixel(element, image)).toBeCloseTo(1024 / 400, 9);
  });

  it('clamps any point into the image', () => {
    const image = { width: 640, height: 480 };
    const next = random(11);
    for (let i = 0; i < 500; i++) {
      const p = clampToImage({ x: next() * 2000 - 700, y: next() * 2000 - 700 }, image);
      expect(isInsideImage(p, image)).toBe(true);
    }
  });
});

describe('freehand simplification', () => {
  it('keeps both endpoints and drops points within the tolerance', () => {
    const path: Point[] = [];
    for (let i = 0; i <= 100; i++) path.push({ x: i * 5, y: Math.sin(i / 3) * 0.4 });
    const simple = simplifyPath(path, 1);
    expect(simple[0]).toEqual(path[0]);
    expect(simple[simple.length - 1]).toEqual(path[path.length - 1]);
    expect(simple).toHaveLength(2);
  });

  it('keeps the corners of a shape and every kept point is an original one', () => {
    const path: Point[] = [];
    const corners = square(100, 100, 300).concat([{ x: 100, y: 100 }]);
    for (let c = 0; c < 4; c++) {
      const a = corners[c]!;
      const b = corners[c + 1]!;
      for (let t = 0; t < 50; t++) {
        path.push({ x: a.x + ((b.x - a.x) * t) / 50, y: a.y + ((b.y - a.y) * t) / 50 + (t % 2) * 0.3 });
      }
    }
    path.push({ x: 100, y: 100.5 });
    const simple = simplifyPath(path, 2);
    expect(simple.length).toBeGreaterThanOrEqual(4);
    expect(simple.length).toBeLessThanOrEqual(6);
    for (const corner of square(100, 100, 300)) {
      expect(simple.some((p) => Math.hypot(p.x - corner.x, p.y - corner.y) < 1)).toBe(true);
    }
    expect(simple.every((p) => path.some((q) => q.x === p.x && q.y === p.y))).toBe(true);
    expect(simple[0]).toEqual(path[0]);
    expect(simple[simple.length - 1]).toEqual(path[path.length - 1]);
  });

  it('handles tiny and very long paths', () => {
    expect(simplifyPath([], 1)).toEqual([]);
    expect(simplifyPath([{ x: 1, y: 2 }], 1)).toEqual([{ x: 1, y: 2 }]);
    // Ten seconds of pointer moves at 500 Hz around a wobbly circle.
    const long: Point[] = [];
    for (let i = 0; i < 5000; i++) {
      const a = (i / 5000) * Math.PI * 2;
      const r = 300 + Math.sin(i / 9) * 4;
      long.push({ x: 512 + Math.cos(a) * r, y: 512 + Math.sin(a) * r });
    }
    const simple = simplifyPath(long, 1.5);
    expect(simple.length).toBeLessThan(long.length / 4);
    expect(simple[0]).toEqual(long[0]);
    expect(simple[simple.length - 1]).toEqual(long[long.length - 1]);
  });
});

describe('polygons', () => {
  const image = { width: 1024, height: 1024 };

  it('measures signed area, clockwise on screen being positive', () => {
    expect(polygonArea(square(0, 0, 10))).toBe(100);
    expect(polygonArea([...square(0, 0, 10)].reverse())).toBe(-100);
  });

  it('accepts a real region and refuses fewer than three corners, lines, slips and outside points', () => {
    expect(polygonProblem(square(100, 100, 200), image)).toBeNull();
    expect(polygonProblem(points([1, 1], [50, 50]), image)).toMatch(/three corners/);
    // Three points but two of them the same: still only two corners.
    expect(polygonProblem(points([1, 1], [1, 1], [50, 50]), image)).toMatch(/three corners/);
    expect(polygonProblem(points([0, 0], [100, 100], [300, 300]), image)).toMatch(/straight line/);
    expect(polygonProblem(square(10, 10, 5), image)).toMatch(/too small/);
    expect(polygonProblem(square(900, 900, 200), image)).toMatch(/on the image/);
  });

  it('drops repeated vertices, including a closing copy of the first', () => {
    expect(
      withoutRepeats([
        { x: 1, y: 1 },
        { x: 1, y: 1 },
        { x: 2, y: 3 },
        { x: 1, y: 1 },
      ]),
    ).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 3 },
    ]);
  });

  it('orders vertices clockwise from the top-left corner', () => {
    const counter = [
      { x: 300, y: 300 },
      { x: 300, y: 100 },
      { x: 100, y: 100 },
      { x: 100, y: 300 },
    ];
    expect(clockwiseFromTopLeft(counter)).toEqual(square(100, 100, 200));
    expect(polygonArea(clockwiseFromTopLeft(counter))).toBeGreaterThan(0);
  });
});

describe('mask.areas', () => {
  it('is image pixels when the image is within 500–4096 px, and passes the core schema', () => {
    const image = { width: 1024, height: 768 };
    const mask = toMaskAreas(
      [
        square(100.4, 100.6, 300),
        [
          { x: 600, y: 50 },
          { x: 1000, y: 700 },
          { x: 500, y: 700 },
        ],
      ],
      image,
    );
    expect(mask.areas[0]).toEqual({
      width: 1024,
      height: 768,
      points: [100, 101, 400, 101, 400, 401, 100, 401],
    });
    expect(mask.areas[1]!.points).toEqual([600, 50, 1000, 700, 500, 700]);
    expect(() => maskSchema.parse(mask)).not.toThrow();
    expect(() => inpaintInputSchema.parse({ op: 'inpaint', jobId: 'job-1', imageNo: 0, mask })).not.toThrow();
  });

  it('keeps every vertex inside the frame, whatever was drawn', () => {
    const next = random(3);
    for (const image of [
      { width: 512, height: 512 },
      { width: 1456, height: 816 },
      { width: 344, height: 512 },
      { width: 8192, height: 6144 },
    ]) {
      for (let n = 0; n < 40; n++) {
        const cx = next() * image.width;
        const cy = next() * image.height;
        const r = (0.1 + next() * 0.8) * Math.min(image.width, image.height);
        const region: Point[] = [];
        for (let k = 0; k < 12; k++) {
          const a = (k / 12) * Math.PI * 2;
          region.push({ x: cx + Math.cos(a) * r, y: cy + Math.sin(a) * r });
        }
        const clamped = region.map((p) => clampToImage(p, image));
        if (polygonProblem(clamped, image) !== null) continue;
        const { areas } = toMaskAreas([region], image);
        const area = areas[0]!;
        expect(area.width).toBeGreaterThanOrEqual(POLYGON_SIDE.min);
        expect(area.width).toBeLessThanOrEqual(POLYGON_SIDE.max);
        expect(area.height).toBeGreaterThanOrEqual(POLYGON_SIDE.min);
        expect(area.height).toBeLessThanOrEqual(POLYGON_SIDE.max);
        for (let i = 0; i < area.points.length; i += 2) {
          expect(Number.isInteger(area.points[i])).toBe(true);
          expect(area.points[i]).toBeGreaterThanOrEqual(0);
          expect(area.points[i]).toBeLessThanOrEqual(area.width);
          expect(area.points[i + 1]).toBeGreaterThanOrEqual(0);
          expect(area.points[i + 1]).toBeLessThanOrEqual(area.height);
        }
        expect(() => maskSchema.parse({ areas })).not.toThrow();
      }
    }
  });

  it('scales small and huge images into the documented frame, keeping the region in place', () => {
    expect(maskFrame({ width: 1024, height: 1024 })).toEqual({ width: 1024, height: 1024, scale: 1 });
    const small = maskFrame({ width: 344, height: 512 });
    expect(small.width).toBe(500);
    expect(small.height).toBe(744);
    const huge = maskFrame({ width: 8192, height: 6144 });
    expect(huge).toEqual({ width: 4096, height: 3072, scale: 0.5 });
    const { areas } = toMaskAreas([square(1000, 1000, 2000)], { width: 8192, height: 6144 });
    expect(areas[0]!.points).toEqual([500, 500, 1500, 500, 1500, 1500, 500, 1500]);
  });

  it('refuses an image no frame can hold, an empty mask and a bad region, naming the field', () => {
    expect(() => maskFrame({ width: 5000, height: 400 })).toThrow(/500–4096/);
    expect(() => maskFrame({ width: 0, height: 0 })).toThrow(GeometryError);
    const empty = (() => {
      try {
        toMaskAreas([], { width: 1024, height: 1024 });
      } catch (err) {
        return err as GeometryError;
      }
      return null;
    })();
    expect(empty).toBeInstanceOf(GeometryError);
    expect(empty!.field).toBe('mask.areas');
    expect(() =>
      toMaskAreas(
        [
          square(100, 100, 300),
          [
            { x: 0, y: 0 },
            { x: 5, y: 5 },
          ],
        ],
        { width: 1024, height: 1024 },
      ),
    ).toThrow(/^mask\.areas\[1\]: A region needs at least three corners/);
  });
});

describe('pan and zoom-out frames', () => {
  const image = { width: 1024, height: 768 };

  it('uses the core limits and directions', () => {
    expect(PAN_DIRECTIONS).toEqual(CORE_PAN_DIRECTIONS);
    const pan = (scale: number) =>
      panInputSchema.safeParse({ op: 'pan', jobId: 'j', imageNo: 0, direction: 'down', scale }).success;
    const zoom = (scale: number) =>
      outpaintInputSchema.safeParse({ op: 'outpaint', jobId: 'j', imageNo: 0, scale }).success;
    for (const scale of [1, 1.09, PAN_SCALE.min, 2, PAN_SCALE.max, 3.01, 4]) {
      expect(panScaleProblem(scale) === null).toBe(pan(scale));
    }
    for (const scale of [1, OUTPAINT_SCALE.min, 1.5, OUTPAINT_SCALE.max, 2.01]) {
      expect(outpaintScaleProblem(scale) === null).toBe(zoom(scale));
    }
    expect(panScaleProblem(Number.NaN)).toBe('scale must be a number from 1.1 to 3.0.');
  });

  it('grows the canvas along the pan direction and pins the image to the other side', () => {
    expect(panFrame(image, 'down', 1.5)).toEqual({
      canvas: { width: 1024, height: 1152 },
      image: { x: 0, y: 0, width: 1024, height: 768 },
    });
    expect(panFrame(image, 'up', 1.5)).toEqual({
      canvas: { width: 1024, height: 1152 },
      image: { x: 0, y: 384, width: 1024, height: 768 },
    });
    expect(panFrame(image, 'right', 2)).toEqual({
      canvas: { width: 2048, height: 768 },
      image: { x: 0, y: 0, width: 1024, height: 768 },
    });
    expect(panFrame(image, 'left', 3)).toEqual({
      canvas: { width: 3072, height: 768 },
      image: { x: 2048, y: 0, width: 1024, height: 768 },
    });
    expect(() => panFrame(image, 'left', 3.5)).toThrow(GeometryError);
  });

  it('centres the image in a zoomed-out canvas', () => {
    expect(outpaintFrame(image, 2)).toEqual({
      canvas: { width: 2048, height: 1536 },
      image: { x: 512, y: 384, width: 1024, height: 768 },
    });
    expect(() => outpaintFrame(image, 2.5)).toThrow(/1\.1 to 2\.0/);
  });
});

describe('edit canvas', () => {
  const canvas = { width: 1024, height: 1024 };
  const image = { width: 1024, height: 512 };

  it('fits the image into the canvas, and builds a canvas of an aspect around it', () => {
    expect(fitImageInCanvas(image, canvas)).toEqual({ x: 0, y: 256, width: 1024, height: 512 });
    expect(canvasAround(image, 1)).toEqual({ width: 1024, height: 1024 });
    expect(canvasAround(image, 3)).toEqual({ width: 1536, height: 512 });
    expect(canvasAround(image, 16 / 9)).toEqual({ width: 1024, height: 576 });
  });

  it('moves the image but keeps part of it on the canvas', () => {
    const start = fitImageInCanvas(image, canvas);
    expect(moveImage(start, { x: 10, y: -20 }, canvas)).toEqual({ ...start, x: 10, y: 236 });
    const flung = moveImage(start, { x: 5000, y: 5000 }, canvas);
    const margin = 512 * MIN_VISIBLE_SHARE;
    expect(flung.x).toBe(canvas.width - margin);
    expect(flung.y).toBe(canvas.height - margin);
    const away = moveImage(start, { x: -5000, y: -5000 }, canvas);
    expect(away.x + away.width).toBeCloseTo(margin, 9);
    expect(away.y + away.height).toBeCloseTo(margin, 9);
    expect(keepOnCanvas(start, canvas)).toEqual(start);
  });

  it('resizes from a corner with the aspect kept and the opposite corner fixed', () => {
    const start: Rect = { x: 0, y: 256, width: 1024, height: 512 };
    const smaller = resizeFromCorner(start, 'bottom-right', { x: 512, y: 400 }, canvas);
    expect(smaller).toEqual({ x: 0, y: 256, width: 512, height: 256 });
    const fromTopLeft = resizeFromCorner(start, 'top-left', { x: 512, y: 0 }, canvas);
    // The y distance (512 px × aspect 2) is the larger pull: the image grows to 1024 wide from the fixed corner.
    expect(fromTopLeft.x + fromTopLeft.width).toBeCloseTo(1024, 9);
    expect(fromTopLeft.y + fromTopLeft.height).toBeCloseTo(768, 9);
    expect(fromTopLeft.width / fromTopLeft.height).toBeCloseTo(2, 9);
    const tiny = resizeFromCorner(start, 'bottom-right', { x: -100, y: -100 }, canvas);
    expect(tiny.height).toBe(MIN_IMAGE_SIDE);
    expect(tiny.width).toBe(MIN_IMAGE_SIDE * 2);
  });

  it('scales about the centre', () => {
    const start: Rect = { x: 256, y: 384, width: 512, height: 256 };
    expect(scaleImage(start, 2, canvas)).toEqual({ x: 0, y: 256, width: 1024, height: 512 });
    expect(scaleImage(start, 0.001, canvas).height).toBe(MIN_IMAGE_SIDE);
  });

  it('rounds to whole pixels, passes the core schema and refuses bad sizes by field', () => {
    const placement = toCanvasPlacement(
      { width: 1456, height: 816 },
      { x: 10.4, y: -3.6, width: 700.5, height: 400.2 },
    );
    expect(placement).toEqual({
      canvas: { width: 1456, height: 816 },
      imgPos: { x: 10, y: -4, width: 701, height: 400 },
    });
    expect(() =>
      editInputSchema.parse({ op: 'edit', jobId: 'j', imageNo: 1, remixPrompt: 'a boat', ...placement }),
    ).not.toThrow();
    expect(canvasProblem({ width: 0, height: 10 })).toEqual({
      field: 'canvas.width',
      message: 'canvas.width must be a whole number of pixels above 0.',
    });
    expect(canvasProblem({ width: 10, height: 1.5 })?.field).toBe('canvas.height');
    expect(() => toCanvasPlacement({ width: 100, height: 0 }, { x: 0, y: 0, width: 10, height: 10 })).toThrow(
      /canvas\.height/,
    );
    expect(() =>
      toCanvasPlacement({ width: 100, height: 100 }, { x: 200, y: 0, width: 10, height: 10 }),
    ).toThrow(/imgPos/);
  });
});
