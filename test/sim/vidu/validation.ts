/**
 * What the gateway accepts on `POST /v1/video/generations`, written from UniAll's pages independently
 * of GenVault's request builders, so the contract tests catch a builder that drifts from the docs.
 */
import { invalidParameter } from './errors';

export const SIM_MODELS = [
  'viduq3p-540p',
  'viduq3p-720p',
  'viduq3p-1080p',
  'viduq3t-540p',
  'viduq3t-720p',
  'viduq3t-1080p',
] as const;
export const SIM_ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export const MAX_REFERENCE_IMAGES = 4;

export type SimMode = 'text' | 'image' | 'start_end' | 'reference';

export interface CreateSpec {
  model: string;
  tier: 'pro' | 'turbo';
  resolution: '540p' | '720p' | '1080p';
  offpeak: boolean;
  prompt: string;
  mode: SimMode;
  duration: number;
  aspectRatio: string | null;
  /** Every image the request names, for the fail markers. */
  images: string[];
  audio: boolean;
  bgm: boolean;
  seed: number | null;
}

function isImageRef(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (/^data:image\/(?:png|jpe?g|webp);base64,[A-Za-z0-9+/]+={0,2}$/.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !/\s/.test(value);
  } catch {
    return false;
  }
}

function modelOf(value: unknown): Pick<CreateSpec, 'model' | 'tier' | 'resolution' | 'offpeak'> {
  if (typeof value !== 'string' || value === '') throw invalidParameter('model', 'model is required.');
  const base = value.endsWith('-offpeak') ? value.slice(0, -'-offpeak'.length) : value;
  if (!(SIM_MODELS as readonly string[]).includes(base)) {
    throw invalidParameter('model', `model ${value} is not available on this gateway.`);
  }
  const [family, resolution] = base.split('-') as [string, CreateSpec['resolution']];
  return { model: value, tier: family === 'viduq3p' ? 'pro' : 'turbo', resolution, offpeak: base !== value };
}

/** `duration` is documented as integer/string: 5 and "5" are both accepted. */
function durationOf(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 16) {
    throw invalidParameter('duration', 'duration must be a whole number of seconds from 1 to 16.');
  }
  return n;
}

function optionalBoolean(extra: Record<string, unknown>, key: string): boolean {
  const v = extra[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean')
    throw invalidParameter(`extra_body.${key}`, `extra_body.${key} must be a boolean.`);
  return v;
}

export function validateCreate(body: Record<string, unknown>): CreateSpec {
  const model = modelOf(body.model);
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') {
    throw invalidParameter('prompt', 'prompt is required.');
  }
  const duration = durationOf(body.duration);

  const { image, last_image: lastImage, reference_image_urls: refs } = body;
  for (const [name, value] of [
    ['image', image],
    ['last_image', lastImage],
  ] as const) {
    if (value !== undefined && value !== null && !isImageRef(value)) {
      throw invalidParameter(name, `${name} must be a public image URL or a base64 data URI.`);
    }
  }
  if (lastImage != null && image == null) {
    throw invalidParameter('last_image', 'last_image needs image: a last frame alone is not supported.');
  }
  let references: string[] = [];
  if (refs !== undefined && refs !== null) {
    if (!Array.isArray(refs) || refs.length === 0 || refs.length > MAX_REFERENCE_IMAGES) {
      throw invalidParameter('reference_image_urls', 'reference_image_urls must list 1 to 4 image URLs.');
    }
    if (!refs.every(isImageRef)) {
      throw invalidParameter('reference_image_urls', 'Every reference image must be a public image URL.');
    }
    if (image != null || lastImage != null) {
      throw invalidParameter(
        'reference_image_urls',
        'reference_image_urls cannot be combined with image or last_image.',
      );
    }
    references = refs as string[];
  }
  const mode: SimMode =
    references.length > 0
      ? 'reference'
      : image != null
        ? lastImage != null
          ? 'start_end'
          : 'image'
        : 'text';

  const ratio = body.aspect_ratio;
  if (ratio !== undefined && ratio !== null && !(SIM_ASPECT_RATIOS as readonly unknown[]).includes(ratio)) {
    throw invalidParameter('aspect_ratio', 'aspect_ratio must be 16:9, 9:16 or 1:1.');
  }

  const rawExtra = body.extra_body ?? {};
  if (typeof rawExtra !== 'object' || rawExtra === null || Array.isArray(rawExtra)) {
    throw invalidParameter('extra_body', 'extra_body must be an object.');
  }
  const extra = rawExtra as Record<string, unknown>;
  const seed = extra.seed;
  if (seed !== undefined && seed !== null && (!Number.isInteger(seed) || (seed as number) < 0)) {
    throw invalidParameter('extra_body.seed', 'extra_body.seed must be a non-negative whole number.');
  }

  return {
    ...model,
    prompt: body.prompt,
    mode,
    duration,
    // Only text-to-video and reference images use a ratio; an animated image keeps its own shape.
    aspectRatio: mode === 'text' || mode === 'reference' ? ((ratio as string | undefined) ?? '16:9') : null,
    images: [image, lastImage, ...references].filter((v): v is string => typeof v === 'string'),
    audio: optionalBoolean(extra, 'audio'),
    bgm: optionalBoolean(extra, 'bgm'),
    seed: typeof seed === 'number' ? seed : null,
  };
}
