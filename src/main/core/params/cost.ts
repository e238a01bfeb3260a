/**
 * The points a task will freeze, estimated before it is sent so the UI can show the price. The API's
 * own `meta.usage.frozen` is the truth once the task exists; these figures come from the docs:
 *
 * - Base figures per op are the `frozen` values of the docs' response examples (diffusion 80,
 *   variation/upscale/inpaint/remix/edit/upload-paint/retexture 120, describe/shorten 20, video 480…).
 * - `--draft` uses "only half the GPU resources" (Important Information) → ½.
 * - `--turbo` "consumes double GPU time quota" → ×2.
 * - v8 `--hd`, `--q 4` and `--sv 6` "each cost 4x credits" → ×4 (applied once; the docs do not say
 *   whether they compound). v8.1 is "a flat 1x" whatever its flags.
 * - `--oref` on v7 "consumes 2x GPU time" → ×2.
 * - Topaz (`enhance-upscale`) has a per-resolution table.
 * - Video: the 480-point example is a default batch of 4 at 480p; `--bs` "affects the cost
 *   accordingly", so a batch of 1 or 2 is a quarter or half of it. The docs give no figure for 720p,
 *   so 720p uses the same example figure.
 */
import type { LegnextOp } from '../providers/legnext/ops';
import { parseNumber, parsePrompt } from './parse';

export interface CostEstimate {
  points: number;
  /** How the figure was reached, in words, for a tooltip. */
  basis: string;
}

export interface CostOptions {
  /** video-diffusion resolution; 480 when omitted (the API default). */
  videoQuality?: 480 | 720;
  /** enhance-upscale `target_resolution`; 2K when omitted (the API default). */
  targetResolution?: string;
}

const BASE_POINTS: Record<LegnextOp, number> = {
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
  'upload-paint': 120,
  retexture: 120,
  'remove-background': 80,
  enhance: 80,
  'enhance-upscale': 120,
  'video-diffusion': 480,
  'extend-video': 480,
  'video-upscale': 480,
};

/** Topaz resolution table (Topaz Upscale Image, "Resolution Options"). */
export const TOPAZ_POINTS: Record<string, number> = {
  HD: 120,
  FHD: 120,
  '2K': 120,
  '4K': 160,
  '6K': 200,
  '8K': 300,
  '12K': 540,
};

/** Ops that render a new set of images from a prompt: the speed/model flags change their price. */
const PROMPT_PRICED: readonly LegnextOp[] = ['diffusion', 'reroll', 'variation', 'remix'];
const DEFAULT_VIDEO_BATCH = 4;

export function estimateCost(op: LegnextOp, prompt?: string, opts: CostOptions = {}): CostEstimate {
  if (op === 'enhance-upscale') {
    const resolution = (opts.targetResolution ?? '2K').toUpperCase();
    const points = TOPAZ_POINTS[resolution];
    if (points === undefined) {
      return {
        points: BASE_POINTS[op],
        basis: `${BASE_POINTS[op]} points (Topaz 2K; "${resolution}" is not in the price table)`,
      };
    }
    return { points, basis: `${points} points (Topaz ${resolution})` };
  }

  let points = BASE_POINTS[op];
  const basis = [`${points} points (${op})`];
  if (prompt === undefined) return { points, basis: basis[0]! };
  const parsed = parsePrompt(prompt);
  const has = (name: string): boolean => parsed.flags.some((f) => f.name === name);
  const value = (name: string): number | null => {
    const raw = parsed.flags.findLast((f) => f.name === name)?.value;
    return raw === undefined || raw === null ? null : parseNumber(raw);
  };

  if (op === 'video-diffusion') {
    const batch = value('batchsize') ?? DEFAULT_VIDEO_BATCH;
    if ([1, 2].includes(batch)) {
      points = (points * batch) / DEFAULT_VIDEO_BATCH;
      basis[0] = `${points} points (video-diffusion, batch of ${batch})`;
    }
    if (opts.videoQuality === 720) basis.push('720p: the docs give no figure, so the 480p example is used');
    if (has('turbo')) {
      points *= 2;
      basis.push('× 2 for --turbo');
    }
    return { points, basis: basis.join(', ') };
  }

  if (!PROMPT_PRICED.includes(op)) return { points, basis: basis[0]! };

  if (parsed.version === '8.1') return { points, basis: `${basis[0]} (v8.1 is a flat 1x)` };
  if (has('draft')) {
    points /= 2;
    basis.push('× ½ for --draft');
  }
  if (has('turbo')) {
    points *= 2;
    basis.push('× 2 for --turbo');
  }
  if (parsed.version === '8' && (has('hd') || value('quality') === 4 || value('sv') === 6)) {
    points *= 4;
    basis.push('× 4 for the v8 premium (--hd, --q 4 or --sv 6)');
  }
  if (parsed.version === '7' && has('oref')) {
    points *= 2;
    basis.push('× 2 for --oref');
  }
  return { points, basis: basis.join(', ') };
}
