/**
 * What UniAll's Vidu gateway offers, as one table the UI's model picker shows and the builders and
 * CLI validate against. Sources: the "Create Video Task" page (seed 004) and UniAll's Vidu overview,
 * which lists the six models, says each supports all four modes (reference images up to 4), gives
 * durations 1–16 and the aspect ratios 16:9, 9:16 and 1:1. The seed's first-and-last-frame example
 * names `viduq3p-1080p-offpeak`: the same model queued for off-peak hours, so every model has an
 * `-offpeak` twin with the same capabilities.
 */

/** GenVault's task types for Vidu, one per mode; also the `op` of a built request. */
export const VIDU_TASK_TYPES = [
  'text_to_video',
  'image_to_video',
  'start_end_to_video',
  'reference_to_video',
] as const;
export type ViduTaskType = (typeof VIDU_TASK_TYPES)[number];

export function isViduTaskType(value: string): value is ViduTaskType {
  return (VIDU_TASK_TYPES as readonly string[]).includes(value);
}

export const VIDU_MODEL_IDS = [
  'viduq3p-540p',
  'viduq3p-720p',
  'viduq3p-1080p',
  'viduq3t-540p',
  'viduq3t-720p',
  'viduq3t-1080p',
  'viduq3p-540p-offpeak',
  'viduq3p-720p-offpeak',
  'viduq3p-1080p-offpeak',
  'viduq3t-540p-offpeak',
  'viduq3t-720p-offpeak',
  'viduq3t-1080p-offpeak',
] as const;
export type ViduModelId = (typeof VIDU_MODEL_IDS)[number];

export const VIDU_RESOLUTIONS = ['540p', '720p', '1080p'] as const;
export type ViduResolution = (typeof VIDU_RESOLUTIONS)[number];

/** Used by text-to-video and reference images; an image-to-video takes its first frame's shape. */
export const VIDU_ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export type ViduAspectRatio = (typeof VIDU_ASPECT_RATIOS)[number];

export const VIDU_MIN_DURATION = 1;
export const VIDU_MAX_DURATION = 16;
/** What every example of the seed asks for; sent when the caller names no duration. */
export const VIDU_DEFAULT_DURATION = 5;
export const VIDU_DEFAULT_ASPECT_RATIO: ViduAspectRatio = '16:9';
export const VIDU_MAX_REFERENCE_IMAGES = 4;
/** `extra_body.seed`: Vidu's range; 0 asks for a random seed. */
export const VIDU_MAX_SEED = 2_147_483_647;

export interface ViduModelInfo {
  id: ViduModelId;
  /** For a picker, e.g. "Vidu Q3 Pro · 720p · off-peak". */
  label: string;
  tier: 'pro' | 'turbo';
  resolution: ViduResolution;
  /** Queued for off-peak hours: cheaper, and it may take many hours to start. */
  offpeak: boolean;
  /** The output resolutions this model makes (one per model id). */
  resolutions: readonly ViduResolution[];
  /** Whole seconds. */
  durations: readonly number[];
  /** Allowed where the mode takes one (text-to-video, reference images). */
  aspectRatios: readonly ViduAspectRatio[];
  modes: readonly ViduTaskType[];
  features: {
    /** `extra_body.audio`: generated sound (dialogue, effects). */
    audio: boolean;
    /** `extra_body.bgm`: background music. */
    bgm: boolean;
    seed: boolean;
    /** `last_image` with `image`. */
    lastFrame: boolean;
    /** How many `reference_image_urls` the model takes. */
    maxReferenceImages: number;
  };
}

const DURATIONS: readonly number[] = Array.from(
  { length: VIDU_MAX_DURATION - VIDU_MIN_DURATION + 1 },
  (_, i) => VIDU_MIN_DURATION + i,
);

function describeModel(id: ViduModelId): ViduModelInfo {
  const [family, resolution, suffix] = id.split('-') as [string, ViduResolution, string | undefined];
  const tier = family === 'viduq3p' ? 'pro' : 'turbo';
  const offpeak = suffix === 'offpeak';
  return {
    id,
    label: `Vidu Q3 ${tier === 'pro' ? 'Pro' : 'Turbo'} · ${resolution}${offpeak ? ' · off-peak' : ''}`,
    tier,
    resolution,
    offpeak,
    resolutions: [resolution],
    durations: DURATIONS,
    aspectRatios: VIDU_ASPECT_RATIOS,
    modes: VIDU_TASK_TYPES,
    features: {
      audio: true,
      bgm: true,
      seed: true,
      lastFrame: true,
      maxReferenceImages: VIDU_MAX_REFERENCE_IMAGES,
    },
  };
}

/** Every model in picker order (Pro before Turbo, low to high resolution, off-peak last). */
export const VIDU_MODELS: Readonly<Record<ViduModelId, ViduModelInfo>> = Object.freeze(
  Object.fromEntries(VIDU_MODEL_IDS.map((id) => [id, describeModel(id)])) as Record<
    ViduModelId,
    ViduModelInfo
  >,
);

export function isViduModelId(value: string): value is ViduModelId {
  return (VIDU_MODEL_IDS as readonly string[]).includes(value);
}
