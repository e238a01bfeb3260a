/**
 * Option values of Legnext operations, as the Legnext API reference lists them: the core validates
 * requests against them (as zod enums) and the renderer's follow-up panels offer them. Plain data
 * without zod, so both sides can import it (the renderer may not import the core).
 */

/** Topaz option values, from the "Common Parameters" table of Topaz Upscale Image. */
export const TOPAZ_RESOLUTIONS = ['HD', 'FHD', '2K', '4K', '6K', '8K', '12K'] as const;
export type TopazResolution = (typeof TOPAZ_RESOLUTIONS)[number];
export const TOPAZ_CONTENT_TYPES = ['standard', 'photo', 'illustration', 'text', 'low_res'] as const;
export type TopazContentType = (typeof TOPAZ_CONTENT_TYPES)[number];
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
export const TOPAZ_CROP_MODES = ['letterbox', 'crop', 'stretch'] as const;
export type TopazCropMode = (typeof TOPAZ_CROP_MODES)[number];
/** `jpg` and `tif` are other spellings of `jpeg` and `tiff`. */
export const TOPAZ_OUTPUT_FORMATS = ['jpeg', 'jpg', 'png', 'tiff', 'tif'] as const;
export type TopazOutputFormat = (typeof TOPAZ_OUTPUT_FORMATS)[number];
/** `off` and `none` mean the same to Topaz. */
export const TOPAZ_FACE_LEVELS = ['off', 'none', 'subtle', 'moderate', 'strong'] as const;
export type TopazFaceLevel = (typeof TOPAZ_FACE_LEVELS)[number];

/** Video resolutions (`quality`) of an animation. */
export const VIDEO_QUALITIES = [480, 720] as const;
export type VideoQuality = (typeof VIDEO_QUALITIES)[number];
/** "Each extension adds 4 seconds … with a maximum of 4 extensions." */
export const MAX_VIDEO_EXTENDS = 4;
