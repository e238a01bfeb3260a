import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/main/core/errors';
import {
  buildLeonardoRequest,
  LEONARDO_IMAGE_TO_VIDEO_OP,
  LEONARDO_MODEL_IDS,
  LEONARDO_MODELS,
  leonardoVideoInputSchema,
  MAX_SEED,
  MOTION2_MAX_SEED,
  parseLeonardoInput,
} from '../../src/main/core/providers/leonardo/index';
import type { LeonardoVideoInput } from '../../src/main/core/providers/leonardo/index';
import { startLeonardoSim, type LeonardoSim } from '../sim/leonardo/index';
import { call } from './support';

const IMAGE = '0b7e4c1a-52d3-4f8e-9a6b-3c2d1e0f9a8b';
const END = '7d9f2a6c-1b3e-4c5d-8e7f-6a5b4c3d2e1f';
const STYLE = '111dc692-d470-4eec-b791-3475abac4c46';
const ELEMENT = 'ece8c6a9-3deb-430e-8c93-4d5061b6adbf';
const base = { prompt: 'the lighthouse beam sweeps across the fog', imageId: IMAGE, imageType: 'GENERATED' };

function invalid(input: unknown): InvalidInputError {
  try {
    buildLeonardoRequest(input as LeonardoVideoInput);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return err as InvalidInputError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

function expectInvalid(input: unknown, field: string, message?: RegExp): void {
  const err = invalid(input);
  expect(err.field).toBe(field);
  expect(err.exitCode).toBe(2);
  expect(err.message).toMatch(/[.]$/);
  if (message) expect(err.message).toMatch(message);
}

/** Valid inputs and the exact bodies the reference says they become. */
const VALID: Array<[string, LeonardoVideoInput, Record<string, unknown>]> = [
  [
    'Motion 2.0 by default, 480p, no duration field',
    { ...base },
    { ...base, model: 'MOTION2', resolution: 'RESOLUTION_480', isPublic: false },
  ],
  [
    'Motion 2.0 Fast at 720p 9:16 with styles, elements and smoothing',
    {
      ...base,
      model: 'MOTION2FAST',
      resolution: '720p',
      aspectRatio: '9:16',
      styleIds: [STYLE],
      elements: [{ akUUID: ELEMENT, weight: 0.8 }],
      frameInterpolation: true,
      seed: MOTION2_MAX_SEED,
    },
    {
      ...base,
      model: 'MOTION2FAST',
      resolution: 'RESOLUTION_720',
      width: 720,
      height: 1280,
      seed: MOTION2_MAX_SEED,
      frameInterpolation: true,
      isPublic: false,
      styleIds: [STYLE],
      elements: [{ akUUID: ELEMENT, weight: 0.8 }],
    },
  ],
  [
    'Veo 3 defaults to 8 s at 720p',
    { ...base, model: 'VEO3' },
    { ...base, model: 'VEO3', resolution: 'RESOLUTION_720', duration: 8, isPublic: false },
  ],
  [
    'Veo 3 Fast, 4 s, 1080p, 9:16, largest seed, negative prompt',
    {
      ...base,
      model: 'veo3fast',
      duration: 4,
      resolution: 'RESOLUTION_1080',
      aspectRatio: '9:16',
      seed: MAX_SEED,
      negativePrompt: '  blurry, text  ',
    },
    {
      ...base,
      model: 'VEO3FAST',
      resolution: 'RESOLUTION_1080',
      duration: 4,
      width: 1080,
      height: 1920,
      negativePrompt: 'blurry, text',
      seed: MAX_SEED,
      isPublic: false,
    },
  ],
  [
    'Kling 2.1 with an end frame, 10 s',
    { ...base, model: 'kling2_1', duration: 10, endFrameImage: { id: END.toUpperCase(), type: 'uploaded' } },
    {
      ...base,
      model: 'KLING2_1',
      resolution: 'RESOLUTION_1080',
      duration: 10,
      endFrameImage: { id: END, type: 'UPLOADED' },
      isPublic: false,
    },
  ],
  [
    'Kling 2.5 defaults to 5 s; 1:1 is 1440×1440',
    { ...base, model: 'KLING2_5', aspectRatio: '1:1', resolution: 1080 },
    {
      ...base,
      model: 'KLING2_5',
      resolution: 'RESOLUTION_1080',
      duration: 5,
      width: 1440,
      height: 1440,
      isPublic: false,
    },
  ],
  [
    'an instruction alone turns prompt enhancement on; public when asked',
    { ...base, promptEnhanceInstruction: ' make it cinematic ', isPublic: true },
    {
      ...base,
      model: 'MOTION2',
      resolution: 'RESOLUTION_480',
      promptEnhance: true,
      promptEnhanceInstruction: 'make it cinematic',
      isPublic: true,
    },
  ],
  [
    'an uploaded init image, ids lower-cased, blank negative prompt left out, enhancement off kept',
    {
      ...base,
      imageId: IMAGE.toUpperCase(),
      imageType: 'UPLOADED',
      negativePrompt: '   ',
      promptEnhance: false,
    },
    {
      ...base,
      imageType: 'UPLOADED',
      model: 'MOTION2',
      resolution: 'RESOLUTION_480',
      promptEnhance: false,
      isPublic: false,
    },
  ],
];

describe('buildLeonardoRequest: valid inputs', () => {
  it.each(VALID)('%s', (_name, input, body) => {
    expect(buildLeonardoRequest(input)).toEqual({
      provider: 'leonardo',
      op: LEONARDO_IMAGE_TO_VIDEO_OP,
      body,
    });
  });

  it('parsing is idempotent: a parsed input builds the same body', () => {
    for (const [, input] of VALID) {
      const parsed = parseLeonardoInput(input);
      expect(buildLeonardoRequest(parsed as LeonardoVideoInput)).toEqual(buildLeonardoRequest(input));
    }
  });

  it.each([['720p'], ['720'], ['resolution_720'], [720]])(
    'resolution %s means RESOLUTION_720',
    (resolution) => {
      expect(buildLeonardoRequest({ ...base, model: 'VEO3', resolution }).body.resolution).toBe(
        'RESOLUTION_720',
      );
    },
  );

  it('every model builds with its own defaults and every listed duration, resolution and aspect ratio', () => {
    for (const id of LEONARDO_MODEL_IDS) {
      const caps = LEONARDO_MODELS[id];
      const body = buildLeonardoRequest({ ...base, model: id }).body;
      expect(body.resolution).toBe(caps.defaultResolution);
      expect(body.duration).toBe(caps.durationSelectable ? caps.defaultDuration : undefined);
      for (const duration of caps.durations) buildLeonardoRequest({ ...base, model: id, duration });
      for (const resolution of caps.resolutions) {
        for (const [ratio, size] of Object.entries(caps.sizes[resolution] ?? {})) {
          expect(
            buildLeonardoRequest({ ...base, model: id, resolution, aspectRatio: ratio }).body,
          ).toMatchObject(size);
          expect(caps.aspectRatios).toContain(ratio);
        }
      }
    }
  });
});

describe('buildLeonardoRequest: invalid inputs name their field', () => {
  it.each<[string, unknown, string, RegExp?]>([
    ['no prompt', { imageId: IMAGE, imageType: 'GENERATED' }, 'prompt', /prompt is required/],
    ['a blank prompt', { ...base, prompt: '   ' }, 'prompt'],
    ['no imageId', { prompt: 'x', imageType: 'UPLOADED' }, 'imageId', /imageId must be the id/],
    ['an imageId that is not a UUID', { ...base, imageId: 'cat.png' }, 'imageId'],
    ['an imageId without imageType', { prompt: 'x', imageId: IMAGE }, 'imageType', /UPLOADED.*GENERATED/],
    ['an unknown imageType', { ...base, imageType: 'INIT' }, 'imageType'],
    ['an unknown model', { ...base, model: 'SORA2' }, 'model', /MOTION2, MOTION2FAST, VEO3/],
    [
      'VEO3 for 5 s',
      { ...base, model: 'VEO3', duration: 5 },
      'duration',
      /Veo 3 makes clips of 4, 6 or 8 seconds/,
    ],
    ['VEO3FAST for 10 s', { ...base, model: 'VEO3FAST', duration: 10 }, 'duration'],
    ['KLING2_5 for 8 s', { ...base, model: 'KLING2_5', duration: 8 }, 'duration', /5 or 10 seconds/],
    ['KLING2_1 for 6 s', { ...base, model: 'KLING2_1', duration: 6 }, 'duration'],
    ['Motion 2.0 for 10 s', { ...base, duration: 10 }, 'duration', /5-second clips only/],
    ['a fractional duration', { ...base, model: 'VEO3', duration: 4.5 }, 'duration'],
    ['Motion 2.0 at 1080p', { ...base, resolution: '1080p' }, 'resolution', /480p or 720p, not 1080p/],
    ['Kling 2.1 at 720p', { ...base, model: 'KLING2_1', resolution: '720p' }, 'resolution', /1080p/],
    ['Veo 3 at 480p', { ...base, model: 'VEO3', resolution: 'RESOLUTION_480' }, 'resolution'],
    ['a resolution Leonardo does not have', { ...base, resolution: '4k' }, 'resolution'],
    [
      '4:5 from Motion 2.0 at 720p',
      { ...base, resolution: '720p', aspectRatio: '4:5' },
      'aspectRatio',
      /makes 16:9 or 9:16 videos, not 4:5/,
    ],
    ['1:1 from Veo 3', { ...base, model: 'VEO3', aspectRatio: '1:1' }, 'aspectRatio'],
    ['an aspect ratio in words', { ...base, aspectRatio: 'wide' }, 'aspectRatio'],
    [
      'an end frame on KLING2_5',
      { ...base, model: 'KLING2_5', endFrameImage: { id: END, type: 'GENERATED' } },
      'endFrameImage',
      /only with KLING2_1/,
    ],
    [
      'an end frame on VEO3',
      { ...base, model: 'VEO3', endFrameImage: { id: END, type: 'GENERATED' } },
      'endFrameImage',
    ],
    [
      'an end frame on Motion 2.0',
      { ...base, endFrameImage: { id: END, type: 'UPLOADED' } },
      'endFrameImage',
    ],
    [
      'an end frame without its type',
      { ...base, model: 'KLING2_1', endFrameImage: { id: END } },
      'endFrameImage.type',
    ],
    [
      'an end frame with a bad id',
      { ...base, model: 'KLING2_1', endFrameImage: { id: 'x', type: 'GENERATED' } },
      'endFrameImage.id',
    ],
    [
      'a Motion 2.0 seed above 2147483637',
      { ...base, seed: MOTION2_MAX_SEED + 1 },
      'seed',
      /at most 2147483637/,
    ],
    [
      'a Motion 2.0 Fast seed above 2147483637',
      { ...base, model: 'MOTION2FAST', seed: MOTION2_MAX_SEED + 1 },
      'seed',
    ],
    ['a Veo seed above the 32-bit range', { ...base, model: 'VEO3', seed: MAX_SEED + 1 }, 'seed'],
    ['a negative seed', { ...base, seed: -1 }, 'seed'],
    ['a fractional seed', { ...base, seed: 1.5 }, 'seed'],
    [
      'elements on Veo 3',
      { ...base, model: 'VEO3', elements: [{ akUUID: ELEMENT }] },
      'elements',
      /Motion 2.0/,
    ],
    ['an element without a valid id', { ...base, elements: [{ akUUID: 'lora' }] }, 'elements[0].akUUID'],
    ['a style id that is not a UUID', { ...base, styleIds: ['cinematic'] }, 'styleIds[0]'],
    [
      'a negative prompt over 1000 characters',
      { ...base, negativePrompt: 'x'.repeat(1001) },
      'negativePrompt',
      /1000/,
    ],
    [
      'an instruction with enhancement off',
      { ...base, promptEnhance: false, promptEnhanceInstruction: 'add rain' },
      'promptEnhanceInstruction',
    ],
    ['a flag that is not a boolean', { ...base, isPublic: 'yes' }, 'isPublic'],
    ['a field the API spells differently', { ...base, enhancePrompt: true }, 'enhancePrompt', /not a field/],
  ])('%s', (_name, input, field, message) => {
    expectInvalid(input, field, message);
  });
});

describe('LEONARDO_MODELS: the capability table', () => {
  it('lists the six models of the reference, with the documented durations', () => {
    expect(Object.keys(LEONARDO_MODELS)).toEqual([...LEONARDO_MODEL_IDS]);
    expect(LEONARDO_MODELS.VEO3.durations).toEqual([4, 6, 8]);
    expect(LEONARDO_MODELS.VEO3FAST.defaultDuration).toBe(8);
    expect(LEONARDO_MODELS.KLING2_5.durations).toEqual([5, 10]);
    expect(LEONARDO_MODELS.KLING2_5.defaultDuration).toBe(5);
    expect(LEONARDO_MODELS.MOTION2.maxSeed).toBe(2_147_483_637);
  });

  it('offers an end frame only on KLING2_1 and elements only on the Motion 2.0 models', () => {
    const withEndFrame = LEONARDO_MODEL_IDS.filter((m) => LEONARDO_MODELS[m].features.endFrame);
    const withElements = LEONARDO_MODEL_IDS.filter((m) => LEONARDO_MODELS[m].features.elements);
    expect(withEndFrame).toEqual(['KLING2_1']);
    expect(withElements).toEqual(['MOTION2', 'MOTION2FAST']);
  });

  it('is consistent: defaults are allowed values and every resolution has sizes', () => {
    for (const caps of Object.values(LEONARDO_MODELS)) {
      expect(caps.durations).toContain(caps.defaultDuration);
      expect(caps.resolutions).toContain(caps.defaultResolution);
      for (const r of caps.resolutions) expect(Object.keys(caps.sizes[r] ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('the input schema is exported for IPC and CLI validation', () => {
    expect(leonardoVideoInputSchema.safeParse(base).success).toBe(true);
    expect(leonardoVideoInputSchema.safeParse({ ...base, imageType: 'nope' }).success).toBe(false);
  });
});

describe('contract: the simulated API agrees with the builder', () => {
  let sim: LeonardoSim;
  let start: string;
  let end: string;
  beforeAll(async () => {
    sim = await startLeonardoSim({ maxConcurrent: 1000, credits: 1_000_000 });
    start = sim.seedGeneratedImage();
    end = sim.seedGeneratedImage();
  });
  afterAll(async () => {
    await sim.close();
  });

  /** The body as built, pointed at images the simulator knows. */
  function bodyFor(input: LeonardoVideoInput): Record<string, unknown> {
    const body: Record<string, unknown> = {
      ...buildLeonardoRequest(input).body,
      imageId: start,
      imageType: 'GENERATED',
    };
    if (body.endFrameImage) body.endFrameImage = { id: end, type: 'GENERATED' };
    return body;
  }

  it.each(VALID)('accepts what the builder makes: %s', async (_name, input) => {
    const r = await call(sim, 'POST', '/generations-image-to-video', { body: bodyFor(input) });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ motionVideoGenerationJob: { generationId: expect.any(String) } });
  });

  it('accepts every model with its defaults', async () => {
    for (const model of LEONARDO_MODEL_IDS) {
      const r = await call(sim, 'POST', '/generations-image-to-video', { body: bodyFor({ ...base, model }) });
      expect(r.status, `${model}: ${r.text}`).toBe(200);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['VEO3 for 5 s', { model: 'VEO3', duration: 5 }],
    ['KLING2_5 for 8 s', { model: 'KLING2_5', duration: 8 }],
    ['Motion 2.0 at 1080p', { model: 'MOTION2', resolution: 'RESOLUTION_1080' }],
    ['Veo 3 at 480p', { model: 'VEO3', resolution: 'RESOLUTION_480' }],
    ['an end frame on KLING2_5', { model: 'KLING2_5', endFrameImage: { id: END, type: 'GENERATED' } }],
    ['a Motion 2.0 seed above 2147483637', { model: 'MOTION2', seed: MOTION2_MAX_SEED + 1 }],
    ['elements on Veo 3', { model: 'VEO3', elements: [{ akUUID: ELEMENT }] }],
    ['a size the model does not make', { model: 'VEO3', width: 1440, height: 1440 }],
  ])('rejects what the builder refuses: %s', async (_name, extra) => {
    const r = await call(sim, 'POST', '/generations-image-to-video', {
      body: { prompt: 'x', imageId: start, imageType: 'GENERATED', ...extra },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: expect.any(String), path: '$', code: 'unexpected' });
  });
});
