/**
 * What the simulator knows about each Legnext task type: the endpoint that creates it, what it
 * produces, and what it costs. Task types are spelled as the live API spells `task_type`
 * (underscores, per the prose docs); the OpenAPI contract's hyphenated enum is a known disagreement.
 */

export const SIM_TASK_TYPES = [
  'diffusion',
  'variation',
  'upscale',
  'reroll',
  'blend',
  'describe',
  'shorten',
  'pan',
  'outpaint',
  'inpaint',
  'remix',
  'edit',
  'upload_paint',
  'retexture',
  'remove_background',
  'enhance',
  'enhance_upscale',
  'video_diffusion',
  'extend_video',
  'video_upscale',
] as const;
export type SimTaskType = (typeof SIM_TASK_TYPES)[number];

/**
 * `grid`: a 2×2 grid plus its four images. `single`: one image (both `image_url` and a one-element
 * `image_urls`). `video`: `video_urls`. `text`: describe/shorten prompts, no files.
 */
export type OutputShape = 'grid' | 'single' | 'video' | 'text';

export const OUTPUT_SHAPE: Record<SimTaskType, OutputShape> = {
  diffusion: 'grid',
  variation: 'grid',
  upscale: 'single',
  reroll: 'grid',
  blend: 'grid',
  describe: 'text',
  shorten: 'text',
  pan: 'grid',
  outpaint: 'grid',
  inpaint: 'grid',
  remix: 'grid',
  edit: 'grid',
  upload_paint: 'grid',
  retexture: 'grid',
  remove_background: 'single',
  enhance: 'grid',
  enhance_upscale: 'single',
  video_diffusion: 'video',
  extend_video: 'video',
  video_upscale: 'video',
};

/**
 * Points frozen per task. Figures come from the `usage.frozen` of each endpoint's documented
 * response example (diffusion 80, variation 120, upscale 120, describe 20, video 480 for the default
 * batch of 4…). Video tasks scale with the batch (120 per video); Topaz upscales are priced by
 * target resolution from their own table; V8 premium and turbo multipliers apply on top.
 */
export const TASK_COST: Record<SimTaskType, number> = {
  diffusion: 80,
  variation: 120,
  upscale: 120,
  reroll: 80,
  blend: 80,
  describe: 20,
  shorten: 20,
  pan: 80,
  outpaint: 80,
  inpaint: 120,
  remix: 120,
  edit: 120,
  upload_paint: 120,
  retexture: 120,
  remove_background: 80,
  enhance: 80,
  enhance_upscale: 120,
  video_diffusion: 480,
  extend_video: 480,
  video_upscale: 480,
};

export const VIDEO_COST_PER_VIDEO = 120;

export const TOPAZ_RESOLUTION_COST: Record<string, number> = {
  HD: 120,
  FHD: 120,
  '2K': 120,
  '4K': 160,
  '6K': 200,
  '8K': 300,
  '12K': 540,
};

/** POST endpoint path segment (`/api/v1/<segment>`) → the task type it creates. */
export const ENDPOINT_TASK: Record<string, SimTaskType> = Object.fromEntries(
  SIM_TASK_TYPES.map((t) => [t.replace(/_/g, '-'), t]),
) as Record<string, SimTaskType>;

/** Accepts either spelling (`video_diffusion` or `video-diffusion`). */
export function normalizeTaskType(name: string): SimTaskType | undefined {
  const underscored = name.trim().toLowerCase().replace(/-/g, '_');
  return (SIM_TASK_TYPES as readonly string[]).includes(underscored)
    ? (underscored as SimTaskType)
    : undefined;
}

/** Follow-ups that must appear in the parent's `available_actions` under this key. */
export const ACTION_KEY: Partial<Record<SimTaskType, string>> = {
  variation: 'variation',
  upscale: 'upscale',
  pan: 'pan',
  outpaint: 'outpaint',
  inpaint: 'inpaint',
  remix: 'remix',
  edit: 'edit',
  enhance: 'enhance',
};

/** Each extension adds 4 s; the docs allow at most 4 in one chain. */
export const MAX_VIDEO_EXTENSIONS = 4;
