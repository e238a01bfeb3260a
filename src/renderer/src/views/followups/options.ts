/**
 * The choices the follow-up panels offer, as the Legnext API reference lists them: the values come
 * from `shared/legnext-options` (which the core validates against), with the words the menus show;
 * `test/api/followups-options.test.ts` checks that every value has its menu entry. Plain data, no
 * React, so the tests can read it.
 */
import type {
  TopazContentType,
  TopazCropMode,
  TopazFaceLevel,
  TopazOutputFormat,
  TopazResolution,
} from '../../../../shared/legnext-options';

export {
  MAX_VIDEO_EXTENDS,
  TOPAZ_ASPECT_RATIOS,
  VIDEO_QUALITIES,
  type VideoQuality,
} from '../../../../shared/legnext-options';

/** Ops whose every state opens a panel: they are never one-click buttons. */
export const PANEL_ONLY_OPS: ReadonlySet<string> = new Set([
  'remix',
  'pan',
  'outpaint',
  'inpaint',
  'edit',
  'enhance-upscale',
  'retexture',
  'remove-background',
  'upload-paint',
]);

/** Topaz "Resolution Options": the long edge each resolution produces. */
export const TOPAZ_RESOLUTIONS = [
  { value: 'HD', longEdge: 1920 },
  { value: 'FHD', longEdge: 1920 },
  { value: '2K', longEdge: 2560 },
  { value: '4K', longEdge: 3840 },
  { value: '6K', longEdge: 6144 },
  { value: '8K', longEdge: 7680 },
  { value: '12K', longEdge: 12288 },
] as const satisfies ReadonlyArray<{ value: TopazResolution; longEdge: number }>;
export const TOPAZ_DEFAULT_RESOLUTION: TopazResolution = '2K';

export const TOPAZ_CONTENT_TYPES = [
  { value: 'standard', label: 'Standard', hint: 'General purpose, mixed content' },
  { value: 'photo', label: 'Photo', hint: 'Photographs, realistic images' },
  { value: 'illustration', label: 'Illustration', hint: 'Digital art, CGI, drawings' },
  { value: 'text', label: 'Text', hint: 'Documents, screenshots with text' },
  { value: 'low_res', label: 'Low resolution', hint: 'Very low quality sources' },
] as const satisfies ReadonlyArray<{ value: TopazContentType; label: string; hint: string }>;

/** `off` and `none` mean the same to Topaz; one of them is enough in a menu. */
export const TOPAZ_FACE_LEVELS = [
  { value: 'off', label: 'Off (no faces)' },
  { value: 'subtle', label: 'Subtle' },
  { value: 'moderate', label: 'Moderate (default)' },
  { value: 'strong', label: 'Strong' },
] as const satisfies ReadonlyArray<{ value: TopazFaceLevel; label: string }>;

/** `jpg` and `tif` are spellings of `jpeg` and `tiff`. */
export const TOPAZ_OUTPUT_FORMATS = [
  { value: 'jpeg', label: 'JPEG (default)' },
  { value: 'png', label: 'PNG' },
  { value: 'tiff', label: 'TIFF' },
] as const satisfies ReadonlyArray<{ value: TopazOutputFormat; label: string }>;

export const TOPAZ_CROP_MODES = [
  { value: 'letterbox', label: 'Letterbox', hint: 'Fit inside, pad the rest' },
  { value: 'crop', label: 'Crop', hint: 'Fill, cut what overflows' },
  { value: 'stretch', label: 'Stretch', hint: 'Fill, distort to fit' },
] as const satisfies ReadonlyArray<{ value: TopazCropMode; label: string; hint: string }>;

export const VIDEO_BATCH_SIZES = [1, 2, 4] as const;
export type VideoBatch = (typeof VIDEO_BATCH_SIZES)[number];

/** Edit canvas presets (width / height); "Image" keeps the image's own shape. */
export const CANVAS_ASPECTS = [
  { label: '1:1', ratio: 1 },
  { label: '4:3', ratio: 4 / 3 },
  { label: '3:4', ratio: 3 / 4 },
  { label: '3:2', ratio: 3 / 2 },
  { label: '2:3', ratio: 2 / 3 },
  { label: '16:9', ratio: 16 / 9 },
  { label: '9:16', ratio: 9 / 16 },
] as const;
/** The largest canvas side the editor offers; the API only asks for a positive whole size. */
export const MAX_CANVAS_SIDE = 8192;

/** The video flags Legnext reads from an animate prompt: text, then `--motion`, `--loop`, `--end`, `--bs`. */
export function animatePrompt(v: {
  text: string;
  motion: 'low' | 'high';
  loop: boolean;
  endUrl: string;
  batch: VideoBatch;
}): string {
  const parts = [v.text.trim()];
  // Low motion is the default, so only high motion needs a flag; a batch of 4 is the default too.
  if (v.motion === 'high') parts.push('--motion high');
  if (v.loop) parts.push('--loop');
  else if (v.endUrl.trim()) parts.push(`--end ${v.endUrl.trim()}`);
  if (v.batch !== 4) parts.push(`--bs ${v.batch}`);
  return parts.filter(Boolean).join(' ');
}

/** Whether text is an http(s) URL a provider could fetch. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
