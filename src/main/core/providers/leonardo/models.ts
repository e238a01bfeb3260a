/**
 * What each Leonardo image-to-video model accepts: the table the request builder validates against,
 * the UI's model picker shows and the CLI checks `--model/--duration/--resolution` with.
 *
 * Sources, in order of authority: the API reference of `POST /generations-image-to-video` (seed 003 and
 * its OpenAPI definition: the model and resolution enums, VEO3/VEO3FAST durations 4|6|8 default 8,
 * KLING2_5 durations 5|10 default 5, end frame only on KLING2_1, seed ≤ 2147483637 on Motion 2.0,
 * elements only on Motion 2.0), then Leonardo's per-model guides for what the reference leaves to
 * "acceptable values vary based on model":
 *  - Motion 2.0 / Motion 2.0 Fast: RESOLUTION_480 (default) or RESOLUTION_720; a fixed five-second clip
 *    with no duration parameter; 480p sizes 832×480, 480×832, 512×768, 576×720.
 *  - Veo 3: RESOLUTION_720 or RESOLUTION_1080 (720p is 1280×720).
 *  - Kling 2.1 Pro: 5 or 10 s, RESOLUTION_1080, height 1080 or 1920.
 *  - Kling 2.5 Turbo: RESOLUTION_1080, height 1080, 1440 or 1920.
 * Assumptions where no page gives a value (DESIGN §4 lists none either): Motion 2.0 at 720p offers the
 * two widescreen orientations 1280×720 and 720×1280; Veo 3 defaults to 720p (the cheaper preset);
 * Kling 2.1 defaults to 5 s like Kling 2.5; Kling 2.5's 1440 px height is the square 1440×1440.
 */

export const LEONARDO_MODEL_IDS = [
  'MOTION2',
  'MOTION2FAST',
  'VEO3',
  'VEO3FAST',
  'KLING2_1',
  'KLING2_5',
] as const;
export type LeonardoModel = (typeof LEONARDO_MODEL_IDS)[number];

/** The API's default when a request names no model. */
export const DEFAULT_LEONARDO_MODEL: LeonardoModel = 'MOTION2';

export const LEONARDO_RESOLUTIONS = ['RESOLUTION_480', 'RESOLUTION_720', 'RESOLUTION_1080'] as const;
export type LeonardoResolution = (typeof LEONARDO_RESOLUTIONS)[number];

/** `RESOLUTION_720` → `720p`, the way people say it. */
export function resolutionLabel(resolution: LeonardoResolution): string {
  return `${resolution.slice('RESOLUTION_'.length)}p`;
}

export interface VideoSize {
  width: number;
  height: number;
}

export interface LeonardoModelFeatures {
  /** `endFrameImage`: a last frame to land on. */
  endFrame: boolean;
  /** `elements`: Motion elements (LoRAs). */
  elements: boolean;
  negativePrompt: boolean;
  /** `promptEnhance` and `promptEnhanceInstruction`. */
  promptEnhance: boolean;
  /** `frameInterpolation` ("Smooth video"). */
  frameInterpolation: boolean;
  styleIds: boolean;
  seed: boolean;
}

export interface LeonardoModelCapabilities {
  id: LeonardoModel;
  /** The name Leonardo's app shows. */
  label: string;
  /** Clip lengths in seconds the model can make. */
  durations: readonly number[];
  defaultDuration: number;
  /** False when the length is fixed and the API takes no `duration` for the model (Motion 2.0). */
  durationSelectable: boolean;
  resolutions: readonly LeonardoResolution[];
  defaultResolution: LeonardoResolution;
  /** Output size for each resolution and aspect ratio (`16:9`…); sent as `width`/`height`. */
  sizes: Readonly<Partial<Record<LeonardoResolution, Readonly<Record<string, VideoSize>>>>>;
  /** Every aspect ratio offered at some resolution, in the order a picker should list them. */
  aspectRatios: readonly string[];
  /** Largest `seed` the model takes. */
  maxSeed: number;
  features: LeonardoModelFeatures;
}

/** "The maximum seed value is 2147483637 for Motion 2.0" (the API reference). */
export const MOTION2_MAX_SEED = 2_147_483_637;
/** Elsewhere the seed is the API's `Int`: a signed 32-bit integer. */
export const MAX_SEED = 2_147_483_647;

const MOTION_SIZES = {
  RESOLUTION_480: {
    '16:9': { width: 832, height: 480 },
    '9:16': { width: 480, height: 832 },
    '2:3': { width: 512, height: 768 },
    '4:5': { width: 576, height: 720 },
  },
  RESOLUTION_720: {
    '16:9': { width: 1280, height: 720 },
    '9:16': { width: 720, height: 1280 },
  },
} as const;

const VEO_SIZES = {
  RESOLUTION_720: {
    '16:9': { width: 1280, height: 720 },
    '9:16': { width: 720, height: 1280 },
  },
  RESOLUTION_1080: {
    '16:9': { width: 1920, height: 1080 },
    '9:16': { width: 1080, height: 1920 },
  },
} as const;

const ALL_FEATURES: LeonardoModelFeatures = {
  endFrame: false,
  elements: false,
  negativePrompt: true,
  promptEnhance: true,
  frameInterpolation: true,
  styleIds: true,
  seed: true,
};

function motion(id: 'MOTION2' | 'MOTION2FAST', label: string): LeonardoModelCapabilities {
  return {
    id,
    label,
    durations: [5],
    defaultDuration: 5,
    durationSelectable: false,
    resolutions: ['RESOLUTION_480', 'RESOLUTION_720'],
    defaultResolution: 'RESOLUTION_480',
    sizes: MOTION_SIZES,
    aspectRatios: ['16:9', '9:16', '2:3', '4:5'],
    maxSeed: MOTION2_MAX_SEED,
    features: { ...ALL_FEATURES, elements: true },
  };
}

function veo(id: 'VEO3' | 'VEO3FAST', label: string): LeonardoModelCapabilities {
  return {
    id,
    label,
    durations: [4, 6, 8],
    defaultDuration: 8,
    durationSelectable: true,
    resolutions: ['RESOLUTION_720', 'RESOLUTION_1080'],
    defaultResolution: 'RESOLUTION_720',
    sizes: VEO_SIZES,
    aspectRatios: ['16:9', '9:16'],
    maxSeed: MAX_SEED,
    features: ALL_FEATURES,
  };
}

export const LEONARDO_MODELS: Readonly<Record<LeonardoModel, LeonardoModelCapabilities>> = {
  MOTION2: motion('MOTION2', 'Motion 2.0'),
  MOTION2FAST: motion('MOTION2FAST', 'Motion 2.0 Fast'),
  VEO3: veo('VEO3', 'Veo 3'),
  VEO3FAST: veo('VEO3FAST', 'Veo 3 Fast'),
  KLING2_1: {
    id: 'KLING2_1',
    label: 'Kling 2.1 Pro',
    durations: [5, 10],
    defaultDuration: 5,
    durationSelectable: true,
    resolutions: ['RESOLUTION_1080'],
    defaultResolution: 'RESOLUTION_1080',
    sizes: {
      RESOLUTION_1080: {
        '16:9': { width: 1920, height: 1080 },
        '9:16': { width: 1080, height: 1920 },
      },
    },
    aspectRatios: ['16:9', '9:16'],
    maxSeed: MAX_SEED,
    features: { ...ALL_FEATURES, endFrame: true },
  },
  KLING2_5: {
    id: 'KLING2_5',
    label: 'Kling 2.5 Turbo',
    durations: [5, 10],
    defaultDuration: 5,
    durationSelectable: true,
    resolutions: ['RESOLUTION_1080'],
    defaultResolution: 'RESOLUTION_1080',
    sizes: {
      RESOLUTION_1080: {
        '16:9': { width: 1920, height: 1080 },
        '1:1': { width: 1440, height: 1440 },
        '9:16': { width: 1080, height: 1920 },
      },
    },
    aspectRatios: ['16:9', '1:1', '9:16'],
    maxSeed: MAX_SEED,
    features: ALL_FEATURES,
  },
};

export function isLeonardoModel(value: string): value is LeonardoModel {
  return (LEONARDO_MODEL_IDS as readonly string[]).includes(value);
}
