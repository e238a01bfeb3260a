/**
 * The choices the follow-up panels offer, as the Legnext API reference lists them (the core's
 * `inputs.ts` holds the same lists as zod enums; `test/api/followups-options.test.ts` keeps the two
 * equal). Plain data, no React, so the tests can read it.
 */

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
] as const;
export const TOPAZ_DEFAULT_RESOLUTION = '2K';

export const TOPAZ_CONTENT_TYPES = [
  { value: 'standard', label: 'Standard', hint: 'General purpose, mixed content' },
  { value: 'photo', label: 'Photo', hint: 'Photographs, realistic images' },
  { value: 'illustration', label: 'Illustration', hint: 'Digital art, CGI, drawings' },
  { value: 'text', label: 'Text', hint: 'Documents, screenshots with text' },
  { value: 'low_res', label: 'Low resolution', hint: 'Very low quality sources' },
] as const;

/** `off` and `none` mean the same to Topaz; one of them is enough in a menu. */
export const TOPAZ_FACE_LEVELS = [
  { value: 'off', label: 'Off (no faces)' },
  { value: 'subtle', label: 'Subtle' },
  { value: 'moderate', label: 'Moderate (default)' },
  { value: 'strong', label: 'Strong' },
] as const;

/** `jpg` and `tif` are spellings of `jpeg` and `tiff`. */
export const TOPAZ_OUTPUT_FORMATS = [
  { value: 'jpeg', label: 'JPEG (default)' },
  { value: 'png', label: 'PNG' },
  { value: 'tiff', label: 'TIFF' },
] as const;

export const TOPAZ_ASPECT_RATIOS = [
  'keep',
  '1:1',
  '16:9',
  '9:16',
  '4:5',
  '5:4',
  '3:2',
  '2:3',
  '4:3',
  '3:4',
] as const;

export const TOPAZ_CROP_MODES = [
  { value: 'letterbox', label: 'Letterbox', hint: 'Fit inside, pad the rest' },
  { value: 'crop', label: 'Crop', hint: 'Fill, cut what overflows' },
  { value: 'stretch', label: 'Stretch', hint: 'Fill, distort to fit' },
] as const;

export const VIDEO_BATCH_SIZES = [1, 2, 4] as const;
export type VideoBatch = (typeof VIDEO_BATCH_SIZES)[number];
export const VIDEO_QUALITIES = [480, 720] as const;
export type VideoQuality = (typeof VIDEO_QUALITIES)[number];
/** "Each extension adds 4 seconds … with a maximum of 4 extensions." */
export const MAX_VIDEO_EXTENDS = 4;

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
