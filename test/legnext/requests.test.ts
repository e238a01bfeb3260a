import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/main/core/errors';
import {
  buildLegnextRequest,
  LEGNEXT_INPUT_SCHEMAS,
  LEGNEXT_OPS,
  legnextInputSchema,
  parseLegnextInput,
} from '../../src/main/core/providers/legnext/requests';
import type { LegnextInput } from '../../src/main/core/providers/legnext/requests';
import { IMG, JOB, POLYGON, VALID } from './valid-inputs';

function invalid(input: unknown): InvalidInputError {
  try {
    buildLegnextRequest(input as LegnextInput);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return err as InvalidInputError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

function expectInvalid(input: unknown, field: string, message?: string | RegExp): void {
  const err = invalid(input);
  expect(err.field).toBe(field);
  expect(err.exitCode).toBe(2);
  if (message !== undefined) expect(err.message).toMatch(message);
  expect(err.message).toMatch(/[.]$/);
}

describe('buildLegnextRequest: one valid input per op', () => {
  it.each(LEGNEXT_OPS)('%s builds the documented body', (op) => {
    const { input, body } = VALID[op];
    expect(buildLegnextRequest(input)).toEqual({ provider: 'legnext', op, body });
  });

  it('never adds a callback', () => {
    for (const op of LEGNEXT_OPS)
      expect(buildLegnextRequest(VALID[op].input).body).not.toHaveProperty('callback');
  });

  it('the per-op schemas and the union accept the same inputs', () => {
    for (const op of LEGNEXT_OPS) {
      expect(LEGNEXT_INPUT_SCHEMAS[op].safeParse(VALID[op].input).success).toBe(true);
      expect(legnextInputSchema.safeParse(VALID[op].input).success).toBe(true);
    }
  });

  it('parsing is idempotent: a parsed input builds the same body', () => {
    for (const op of LEGNEXT_OPS) {
      const parsed = parseLegnextInput(VALID[op].input);
      expect(buildLegnextRequest(parsed as LegnextInput)).toEqual(buildLegnextRequest(VALID[op].input));
    }
  });
});

describe('buildLegnextRequest: mappings', () => {
  it('variation subtle/strong → 0/1; a blank remix prompt is left out', () => {
    expect(
      buildLegnextRequest({ op: 'variation', jobId: JOB, imageNo: 1, type: 'strong', remixPrompt: '  ' })
        .body,
    ).toEqual({ jobId: JOB, imageNo: 1, type: 1 });
    expect(
      buildLegnextRequest({ op: 'variation', jobId: JOB, imageNo: 1, type: 'subtle', remixPrompt: null })
        .body,
    ).toEqual({ jobId: JOB, imageNo: 1, type: 0 });
  });

  it('upscale subtle → 0', () => {
    expect(buildLegnextRequest({ op: 'upscale', jobId: JOB, imageNo: 0, type: 'subtle' }).body.type).toBe(0);
  });

  it("remix strong → 0 (the docs' table), and no mode when none was chosen", () => {
    const base = { op: 'remix', jobId: JOB, imageNo: 0, remixPrompt: 'watercolor' } as const;
    expect(buildLegnextRequest({ ...base, mode: 'strong' }).body.mode).toBe(0);
    expect(buildLegnextRequest(base).body).not.toHaveProperty('mode');
  });

  it.each([
    ['down', 0],
    ['right', 1],
    ['up', 2],
    ['left', 3],
  ] as const)('pan %s → direction %i', (direction, value) => {
    expect(
      buildLegnextRequest({ op: 'pan', jobId: JOB, imageNo: 0, direction, scale: 1.1 }).body.direction,
    ).toBe(value);
  });

  it('blend defaults to a 1:1 aspect ratio', () => {
    expect(buildLegnextRequest({ op: 'blend', imageUrls: [IMG, IMG] }).body.aspect_ratio).toBe('1:1');
  });

  it('inpaint takes a mask image URL instead of polygons', () => {
    expect(
      buildLegnextRequest({
        op: 'inpaint',
        jobId: JOB,
        imageNo: 0,
        mask: { url: 'https://example.com/m.png' },
      }).body,
    ).toEqual({ jobId: JOB, imageNo: 0, mask: { url: 'https://example.com/m.png' } });
  });

  it('edit without a mask sends none', () => {
    const { input } = VALID.edit;
    const { mask: _mask, ...rest } = input as Extract<LegnextInput, { op: 'edit' }>;
    expect(buildLegnextRequest(rest).body).not.toHaveProperty('mask');
  });

  it('Topaz from a job sends jobId and imageNo with every option in snake_case', () => {
    expect(
      buildLegnextRequest({
        op: 'enhance-upscale',
        jobId: '1868588555208310784',
        imageNo: 0,
        targetResolution: '8K',
        contentType: 'illustration',
        aspectRatio: '16:9',
        cropMode: 'crop',
        outputFormat: 'png',
        faceEnhancementLevel: 'off',
      }).body,
    ).toEqual({
      jobId: '1868588555208310784',
      imageNo: 0,
      target_resolution: '8K',
      content_type: 'illustration',
      aspect_ratio: '16:9',
      crop_mode: 'crop',
      output_format: 'png',
      face_enhancement_level: 'off',
    });
  });

  it('video from a prompt that starts with an image URL; 720 → videoType 1', () => {
    const prompt = 'https://example.com/image.jpg A cinematic shot of ocean waves --motion high --bs 2';
    expect(buildLegnextRequest({ op: 'video-diffusion', prompt, quality: 720 }).body).toEqual({
      prompt,
      videoType: 1,
    });
  });

  it('video from a job without prompt or quality sends only the source', () => {
    expect(buildLegnextRequest({ op: 'video-diffusion', jobId: JOB, imageNo: 2 }).body).toEqual({
      jobId: JOB,
      imageNo: 2,
    });
  });

  it('extend-video without a prompt', () => {
    expect(buildLegnextRequest({ op: 'extend-video', jobId: JOB, videoNo: 1, prompt: '' }).body).toEqual({
      jobId: JOB,
      videoNo: 1,
    });
  });
});

describe('buildLegnextRequest: invalid inputs name their field', () => {
  it('rejects an unknown op', () => {
    expectInvalid({ op: 'imagine', prompt: 'x' }, 'op', 'op must be one of the Legnext operations.');
  });

  it('rejects unknown fields (a typo must not be silently ignored)', () => {
    expectInvalid({ ...VALID.upscale.input, imageNumber: 1 }, 'imageNumber', /imageNumber is not a field/);
  });

  it.each([
    ['jobId', { op: 'reroll', jobId: '' }],
    ['jobId', { op: 'reroll', jobId: 'has space' }],
    ['jobId', { op: 'reroll' }],
    ['jobId', { op: 'reroll', jobId: 42 }],
  ])('rejects a bad %s: %j', (field, input) => {
    expectInvalid(input, field, /jobId must be the id of a Legnext job/);
  });

  it.each([-1, 4, 1.5, '1', null])('rejects imageNo %j', (imageNo) => {
    expectInvalid(
      { op: 'upscale', jobId: JOB, imageNo, type: 'subtle' },
      'imageNo',
      'imageNo must be 0, 1, 2 or 3.',
    );
  });

  it.each([-1, 4])('rejects videoNo %j', (videoNo) => {
    expectInvalid({ op: 'video-upscale', jobId: JOB, videoNo }, 'videoNo', 'videoNo must be 0, 1, 2 or 3.');
    expectInvalid({ op: 'extend-video', jobId: JOB, videoNo }, 'videoNo');
  });

  it('rejects variation and upscale types from the other op', () => {
    expectInvalid(
      { op: 'variation', jobId: JOB, imageNo: 0, type: 'creative' },
      'type',
      'type must be subtle or strong.',
    );
    expectInvalid(
      { op: 'upscale', jobId: JOB, imageNo: 0, type: 'strong' },
      'type',
      'type must be subtle or creative.',
    );
    expectInvalid({ op: 'upscale', jobId: JOB, imageNo: 0, type: 0 }, 'type');
  });

  it('rejects a remix mode outside strong/subtle', () => {
    expectInvalid(
      { op: 'remix', jobId: JOB, imageNo: 0, remixPrompt: 'x', mode: 0 },
      'mode',
      'mode must be strong or subtle.',
    );
  });

  it.each([1.09, 3.01, 0, Number.NaN])('rejects pan scale %s', (scale) => {
    expectInvalid(
      { op: 'pan', jobId: JOB, imageNo: 0, direction: 'up', scale },
      'scale',
      'scale must be a number from 1.1 to 3.0.',
    );
  });

  it('accepts pan scale at both ends', () => {
    for (const scale of [1.1, 3.0]) {
      expect(
        buildLegnextRequest({ op: 'pan', jobId: JOB, imageNo: 0, direction: 'up', scale }).body.scale,
      ).toBe(scale);
    }
  });

  it('rejects a pan direction outside down/right/up/left', () => {
    expectInvalid({ op: 'pan', jobId: JOB, imageNo: 0, direction: 'north', scale: 2 }, 'direction');
    expectInvalid({ op: 'pan', jobId: JOB, imageNo: 0, direction: 1, scale: 2 }, 'direction');
  });

  it.each([1.0, 2.01, 3])('rejects outpaint scale %s', (scale) => {
    expectInvalid(
      { op: 'outpaint', jobId: JOB, imageNo: 0, scale },
      'scale',
      'scale must be a number from 1.1 to 2.0.',
    );
  });

  it('accepts outpaint scale at both ends', () => {
    for (const scale of [1.1, 2.0])
      expect(buildLegnextRequest({ op: 'outpaint', jobId: JOB, imageNo: 0, scale }).body.scale).toBe(scale);
  });

  it('rejects blends of fewer than 2 or more than 5 images, non-http URLs and other ratios', () => {
    expectInvalid({ op: 'blend', imageUrls: [IMG] }, 'imageUrls', 'blend needs at least 2 image URLs.');
    expectInvalid(
      { op: 'blend', imageUrls: Array(6).fill(IMG) },
      'imageUrls',
      'blend takes at most 5 image URLs.',
    );
    expectInvalid(
      { op: 'blend', imageUrls: [IMG, 'ftp://example.com/a.png'] },
      'imageUrls[1]',
      /http\(s\) URL/,
    );
    expectInvalid({ op: 'blend', imageUrls: [IMG, 'not a url'] }, 'imageUrls[1]');
    expectInvalid(
      { op: 'blend', imageUrls: [IMG, IMG], aspectRatio: '16:9' },
      'aspectRatio',
      'aspectRatio must be 2:3, 1:1 or 3:2.',
    );
    expect(buildLegnextRequest({ op: 'blend', imageUrls: Array(5).fill(IMG) }).body.imgUrls).toHaveLength(5);
  });

  it('rejects a describe of something that is not an http(s) URL', () => {
    expectInvalid(
      { op: 'describe', imageUrl: 'file:///home/me/cat.png' },
      'imageUrl',
      'imageUrl must be an http(s) URL.',
    );
  });

  it('caps image URLs at 1024 characters where the docs say so', () => {
    const long = `https://example.com/${'a'.repeat(1005)}`;
    expect(long.length).toBe(1025);
    for (const op of ['retexture', 'remove-background'] as const) {
      expectInvalid(
        { op, imageUrl: long, remixPrompt: 'x' },
        'imageUrl',
        'imageUrl must be at most 1024 characters long.',
      );
    }
    const exact = long.slice(0, 1024);
    expect(buildLegnextRequest({ op: 'remove-background', imageUrl: exact }).body.imgUrl).toBe(exact);
    expectInvalid({ ...VALID['upload-paint'].input, imageUrl: long }, 'imageUrl');
  });

  it('requires the prompts the docs mark required', () => {
    expectInvalid({ op: 'diffusion', prompt: '   ' }, 'prompt', 'prompt is required.');
    expectInvalid({ op: 'shorten' }, 'prompt');
    expectInvalid({ op: 'remix', jobId: JOB, imageNo: 0 }, 'remixPrompt', 'remixPrompt is required.');
    expectInvalid({ op: 'retexture', imageUrl: IMG, remixPrompt: '' }, 'remixPrompt');
    expectInvalid({ ...VALID.edit.input, remixPrompt: undefined }, 'remixPrompt');
  });

  it('runs prompts through the prompt rules, naming the flag', () => {
    expectInvalid(
      { op: 'diffusion', prompt: 'a cat --v 8 --turbo' },
      '--turbo',
      '--turbo is not available with --v 8 (it is rejected by Legnext).',
    );
    expectInvalid(
      { op: 'variation', jobId: JOB, imageNo: 0, type: 'subtle', remixPrompt: 'x --repeat 2' },
      '--repeat',
    );
    expectInvalid(
      { op: 'pan', jobId: JOB, imageNo: 0, direction: 'up', scale: 2, remixPrompt: 'x --bs 2' },
      '--bs',
    );
    expectInvalid({ op: 'diffusion', prompt: 'x'.repeat(8193) }, 'prompt', /8193 characters/);
    expectInvalid(
      { op: 'remix', jobId: JOB, imageNo: 0, remixPrompt: 'x'.repeat(9000) },
      'remixPrompt',
      /^The remix prompt is 9000/,
    );
  });

  it('checks video prompts with the video rules', () => {
    expectInvalid(
      { op: 'video-diffusion', jobId: JOB, imageNo: 0, prompt: 'waves --bs 3' },
      '--bs',
      /1, 2 or 4/,
    );
    expectInvalid({ op: 'video-diffusion', jobId: JOB, imageNo: 0, prompt: 'waves --s 100' }, '--s');
    expectInvalid({ op: 'extend-video', jobId: JOB, videoNo: 0, prompt: 'more --motion fast' }, '--motion');
  });

  it('shorten only checks the length of the prompt it analyses', () => {
    expect(buildLegnextRequest({ op: 'shorten', prompt: 'a cat --repeat 2 --v 8 --turbo' }).body.prompt).toBe(
      'a cat --repeat 2 --v 8 --turbo',
    );
    expectInvalid({ op: 'shorten', prompt: 'x'.repeat(8193) }, 'prompt');
  });

  it('video-diffusion needs a prompt or a source image', () => {
    expectInvalid({ op: 'video-diffusion' }, 'prompt', /needs a prompt/);
    // Text-to-video: the SDK reference's "Generate from text only".
    expect(buildLegnextRequest({ op: 'video-diffusion', prompt: 'ocean waves crashing' }).body).toEqual({
      prompt: 'ocean waves crashing',
    });
    expectInvalid({ op: 'video-diffusion', jobId: JOB }, 'imageNo', /needed with jobId/);
    expectInvalid({ op: 'video-diffusion', imageNo: 1, prompt: 'x' }, 'jobId', /needs the jobId/);
    expectInvalid(
      { op: 'video-diffusion', jobId: JOB, imageNo: 0, quality: 1080 },
      'quality',
      'quality must be 480 or 720.',
    );
  });

  it('Topaz needs exactly one source and documented option values', () => {
    expectInvalid({ op: 'enhance-upscale' }, 'imageUrl', 'Give imageUrl, or jobId with imageNo.');
    expectInvalid({ op: 'enhance-upscale', imageUrl: IMG, jobId: JOB, imageNo: 0 }, 'imageUrl', /not both/);
    expectInvalid({ op: 'enhance-upscale', jobId: JOB }, 'imageNo');
    expectInvalid({ op: 'enhance-upscale', imageNo: 0 }, 'jobId');
    expectInvalid(
      { op: 'enhance-upscale', imageUrl: IMG, targetResolution: '16K' },
      'targetResolution',
      /one of HD, FHD, 2K/,
    );
    expectInvalid({ op: 'enhance-upscale', imageUrl: IMG, contentType: 'anime' }, 'contentType');
    expectInvalid({ op: 'enhance-upscale', imageUrl: IMG, aspectRatio: '21:9' }, 'aspectRatio');
    expectInvalid({ op: 'enhance-upscale', imageUrl: IMG, cropMode: 'fit' }, 'cropMode');
    expectInvalid({ op: 'enhance-upscale', imageUrl: IMG, outputFormat: 'webp' }, 'outputFormat');
    expectInvalid(
      { op: 'enhance-upscale', imageUrl: IMG, faceEnhancementLevel: 'max' },
      'faceEnhancementLevel',
    );
  });
});

describe('buildLegnextRequest: masks, canvases and polygons', () => {
  const inpaint = (mask: unknown) => ({ op: 'inpaint', jobId: JOB, imageNo: 0, mask });

  it.each([499, 4097, 500.5])('rejects a polygon width of %s', (width) => {
    expectInvalid(
      inpaint({ areas: [{ ...POLYGON, width }] }),
      'mask.areas[0].width',
      'width must be a whole number from 500 to 4096.',
    );
  });

  it.each([499, 4097])('rejects a polygon height of %s', (height) => {
    expectInvalid(inpaint({ areas: [{ ...POLYGON, height }] }), 'mask.areas[0].height');
  });

  it('accepts polygon sizes at both ends', () => {
    for (const size of [500, 4096]) {
      expect(() =>
        buildLegnextRequest(inpaint({ areas: [{ ...POLYGON, width: size, height: size }] }) as LegnextInput),
      ).not.toThrow();
    }
  });

  it('rejects odd, short, negative or out-of-image point lists', () => {
    expectInvalid(
      inpaint({ areas: [{ ...POLYGON, points: [1, 2, 3, 4, 5, 6, 7] }] }),
      'mask.areas[0].points',
      /even count/,
    );
    expectInvalid(
      inpaint({ areas: [{ ...POLYGON, points: [1, 2, 3, 4] }] }),
      'mask.areas[0].points',
      /three x,y vertices/,
    );
    expectInvalid(
      inpaint({ areas: [{ ...POLYGON, points: [1, 2, 3, 4, 5, -6] }] }),
      'mask.areas[0].points[5]',
    );
    expectInvalid(
      inpaint({ areas: [{ ...POLYGON, points: [1, 2, 3, 4, 5, 501] }] }),
      'mask.areas[0].points',
      /inside the 500×500 image/,
    );
  });

  it('needs either areas or url in a mask', () => {
    expectInvalid(inpaint({}), 'mask', /either areas .* or url/);
    expectInvalid(inpaint({ areas: [POLYGON], url: 'https://example.com/m.png' }), 'mask', /not both/);
    expectInvalid(inpaint({ areas: [] }), 'mask.areas', 'mask.areas needs at least one polygon.');
    expectInvalid(inpaint({ url: 'mask.png' }), 'mask.url', 'mask.url must be an http(s) URL.');
    expectInvalid({ op: 'inpaint', jobId: JOB, imageNo: 0 }, 'mask');
  });

  it('upload-paint requires a mask; edit does not', () => {
    const { mask: _m, ...noMask } = VALID['upload-paint'].input as Extract<
      LegnextInput,
      { op: 'upload-paint' }
    >;
    expectInvalid(noMask, 'mask');
  });

  it('rejects canvases and positions that are not whole positive pixel sizes', () => {
    const edit = VALID.edit.input as Extract<LegnextInput, { op: 'edit' }>;
    expectInvalid(
      { ...edit, canvas: { width: 0, height: 1024 } },
      'canvas.width',
      'canvas.width must be a whole number of pixels above 0.',
    );
    expectInvalid({ ...edit, canvas: { width: 1024 } }, 'canvas.height');
    expectInvalid({ ...edit, imgPos: { ...edit.imgPos, height: 10.5 } }, 'imgPos.height');
    expectInvalid(
      { ...edit, imgPos: { ...edit.imgPos, x: 0.5 } },
      'imgPos.x',
      'imgPos.x must be a whole number.',
    );
    expect(() => buildLegnextRequest({ ...edit, imgPos: { ...edit.imgPos, x: -20, y: -5 } })).not.toThrow();
  });
});
