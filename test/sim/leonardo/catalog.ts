/**
 * What the simulated API accepts per model, written from Leonardo's reference for
 * `POST /generations-image-to-video` and its per-model guides (see the client's `models.ts` for the
 * sources and the few assumptions both sides share), plus the simulator's own credit prices.
 */

export const SIM_MODELS = ['MOTION2', 'MOTION2FAST', 'VEO3', 'VEO3FAST', 'KLING2_1', 'KLING2_5'] as const;
export type SimModel = (typeof SIM_MODELS)[number];
export const SIM_RESOLUTIONS = ['RESOLUTION_480', 'RESOLUTION_720', 'RESOLUTION_1080'] as const;
export type SimResolution = (typeof SIM_RESOLUTIONS)[number];
export const IMAGE_TYPES = ['GENERATED', 'UPLOADED'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** `[width, height]` pairs a model accepts at one resolution. */
type Sizes = Partial<Record<SimResolution, ReadonlyArray<readonly [number, number]>>>;

export interface SimModelRules {
  durations: readonly number[];
  defaultDuration: number;
  resolutions: readonly SimResolution[];
  defaultResolution: SimResolution;
  sizes: Sizes;
  endFrame: boolean;
  elements: boolean;
  maxSeed: number;
  /** Simulated price in API credits per second of video at 720p or below. */
  creditsPerSecond: number;
}

const MOTION: Omit<SimModelRules, 'creditsPerSecond'> = {
  durations: [5],
  defaultDuration: 5,
  resolutions: ['RESOLUTION_480', 'RESOLUTION_720'],
  defaultResolution: 'RESOLUTION_480',
  sizes: {
    RESOLUTION_480: [
      [832, 480],
      [480, 832],
      [512, 768],
      [576, 720],
    ],
    RESOLUTION_720: [
      [1280, 720],
      [720, 1280],
    ],
  },
  endFrame: false,
  elements: true,
  maxSeed: 2_147_483_637,
};

const VEO: Omit<SimModelRules, 'creditsPerSecond'> = {
  durations: [4, 6, 8],
  defaultDuration: 8,
  resolutions: ['RESOLUTION_720', 'RESOLUTION_1080'],
  defaultResolution: 'RESOLUTION_720',
  sizes: {
    RESOLUTION_720: [
      [1280, 720],
      [720, 1280],
    ],
    RESOLUTION_1080: [
      [1920, 1080],
      [1080, 1920],
    ],
  },
  endFrame: false,
  elements: false,
  maxSeed: 2_147_483_647,
};

const KLING: Omit<SimModelRules, 'creditsPerSecond' | 'sizes' | 'endFrame'> = {
  durations: [5, 10],
  defaultDuration: 5,
  resolutions: ['RESOLUTION_1080'],
  defaultResolution: 'RESOLUTION_1080',
  elements: false,
  maxSeed: 2_147_483_647,
};

export const MODEL_RULES: Record<SimModel, SimModelRules> = {
  MOTION2: { ...MOTION, creditsPerSecond: 5 },
  MOTION2FAST: { ...MOTION, creditsPerSecond: 2 },
  VEO3: { ...VEO, creditsPerSecond: 50 },
  VEO3FAST: { ...VEO, creditsPerSecond: 25 },
  KLING2_1: {
    ...KLING,
    sizes: {
      RESOLUTION_1080: [
        [1920, 1080],
        [1080, 1920],
      ],
    },
    endFrame: true,
    creditsPerSecond: 40,
  },
  KLING2_5: {
    ...KLING,
    sizes: {
      RESOLUTION_1080: [
        [1920, 1080],
        [1440, 1440],
        [1080, 1920],
      ],
    },
    endFrame: false,
    creditsPerSecond: 30,
  },
};

/** Credits a generation costs: per second, half as much again at 1080p. */
export function creditCost(model: SimModel, seconds: number, resolution: SimResolution): number {
  const base = MODEL_RULES[model].creditsPerSecond * seconds;
  return resolution === 'RESOLUTION_1080' ? Math.round(base * 1.5) : base;
}

/** "Examples of file extensions are png, jpg, jpeg, and webp." */
export const INIT_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'] as const;

export const MAX_NEGATIVE_PROMPT_CHARS = 1000;
