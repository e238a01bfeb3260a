import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/main/core/errors';
import {
  buildViduRequest,
  parseViduInput,
  VIDU_ASPECT_RATIOS,
  VIDU_MAX_INLINE_IMAGE_BYTES,
  VIDU_MODEL_IDS,
  VIDU_MODELS,
  VIDU_TASK_TYPES,
  viduTaskTypeOf,
} from '../../src/main/core/providers/vidu';
import type { ViduInput } from '../../src/main/core/providers/vidu';
import { HEAD, PNG_DATA_URI, REF_1, REF_2, TAIL, VALID } from './valid-inputs';

function invalid(input: unknown): InvalidInputError {
  try {
    buildViduRequest(input as ViduInput);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return err as InvalidInputError;
  }
  throw new Error(`expected ${JSON.stringify(input).slice(0, 200)} to be rejected`);
}

function expectInvalid(input: unknown, field: string | undefined, message?: RegExp): void {
  const err = invalid(input);
  expect(err.field).toBe(field);
  expect(err.exitCode).toBe(2);
  if (message !== undefined) expect(err.message).toMatch(message);
  expect(err.message).toMatch(/[.]$/);
}

const TEXT = { model: 'viduq3p-720p', prompt: 'a red kite over the dunes' } as const;

describe('buildViduRequest: one valid input per mode', () => {
  it.each(VIDU_TASK_TYPES)('%s builds the documented body', (mode) => {
    const { input, body } = VALID[mode];
    expect(buildViduRequest(input)).toEqual({ provider: 'vidu', op: mode, body });
  });

  it('parsing is idempotent: a parsed input builds the same request', () => {
    for (const mode of VIDU_TASK_TYPES) {
      const parsed = parseViduInput(VALID[mode].input);
      expect(buildViduRequest(parsed)).toEqual(buildViduRequest(VALID[mode].input));
    }
  });

  it('the mode follows the images given', () => {
    expect(viduTaskTypeOf({})).toBe('text_to_video');
    expect(viduTaskTypeOf({ image: HEAD })).toBe('image_to_video');
    expect(viduTaskTypeOf({ image: HEAD, lastImage: TAIL })).toBe('start_end_to_video');
    expect(viduTaskTypeOf({ referenceImages: [REF_1] })).toBe('reference_to_video');
  });

  it.each(VIDU_MODEL_IDS)('model %s builds in every mode', (model) => {
    for (const mode of VIDU_TASK_TYPES) {
      const req = buildViduRequest({ ...VALID[mode].input, model });
      expect(req.op).toBe(mode);
      expect(req.body.model).toBe(model);
    }
  });
});

describe('buildViduRequest: defaults and omissions', () => {
  it('duration defaults to 5 s; text-to-video and reference images default to 16:9', () => {
    expect(buildViduRequest(TEXT).body).toEqual({ ...TEXT, aspect_ratio: '16:9', duration: 5 });
    expect(buildViduRequest({ ...TEXT, referenceImages: [REF_1] }).body).toEqual({
      ...TEXT,
      reference_image_urls: [REF_1],
      aspect_ratio: '16:9',
      duration: 5,
    });
  });

  it('an image-to-video sends no aspect_ratio (the image sets the shape)', () => {
    expect(buildViduRequest({ ...TEXT, image: HEAD }).body).not.toHaveProperty('aspect_ratio');
    expect(buildViduRequest({ ...TEXT, image: HEAD, lastImage: TAIL }).body).not.toHaveProperty(
      'aspect_ratio',
    );
  });

  it('every allowed aspect ratio and duration passes through', () => {
    for (const aspectRatio of VIDU_ASPECT_RATIOS) {
      expect(buildViduRequest({ ...TEXT, aspectRatio }).body.aspect_ratio).toBe(aspectRatio);
    }
    for (const duration of [1, 8, 16])
      expect(buildViduRequest({ ...TEXT, duration }).body.duration).toBe(duration);
  });

  it('extra_body carries only what was given and is left out when empty', () => {
    expect(buildViduRequest(TEXT).body).not.toHaveProperty('extra_body');
    expect(buildViduRequest({ ...TEXT, bgm: true }).body.extra_body).toEqual({ bgm: true });
    expect(buildViduRequest({ ...TEXT, audio: true, seed: 0 }).body.extra_body).toEqual({
      audio: true,
      seed: 0,
    });
  });

  it('null for an optional field means "not given", as an empty form field sends it', () => {
    const req = buildViduRequest({
      ...TEXT,
      image: null,
      lastImage: null,
      referenceImages: null,
      aspectRatio: null,
      duration: null,
      audio: null,
      bgm: null,
      seed: null,
    });
    expect(req).toEqual({
      provider: 'vidu',
      op: 'text_to_video',
      body: { ...TEXT, aspect_ratio: '16:9', duration: 5 },
    });
  });

  it('image fields take http(s) URLs and base64 data URIs of PNG, JPEG or WebP', () => {
    expect(buildViduRequest({ ...TEXT, image: PNG_DATA_URI }).body.image).toBe(PNG_DATA_URI);
    const jpeg = 'data:image/jpeg;base64,/9j/4AAQSkZJRg==';
    expect(
      buildViduRequest({ ...TEXT, image: jpeg, lastImage: 'http://example.com/b.webp' }).body,
    ).toMatchObject({
      image: jpeg,
      last_image: 'http://example.com/b.webp',
    });
    expect(
      buildViduRequest({ ...TEXT, referenceImages: [REF_1, PNG_DATA_URI, REF_2, REF_1] }).body
        .reference_image_urls,
    ).toHaveLength(4);
  });

  it('an inline image just under the 10 MB limit is accepted', () => {
    // Whole 4-character groups of 3 bytes each: one byte under the limit.
    const payload = 'A'.repeat(Math.floor(VIDU_MAX_INLINE_IMAGE_BYTES / 3) * 4);
    expect(() => buildViduRequest({ ...TEXT, image: `data:image/png;base64,${payload}` })).not.toThrow();
  });
});

describe('buildViduRequest: every rule, with the field named', () => {
  it('model must be one of the table', () => {
    expectInvalid({ prompt: 'x' }, 'model', /model must be one of viduq3p-540p/);
    expectInvalid({ ...TEXT, model: 'viduq3p-mix-720p' }, 'model', /model must be one of/);
    expectInvalid({ ...TEXT, model: 'viduq2-720p' }, 'model');
    expectInvalid({ ...TEXT, model: 'VIDUQ3P-720P' }, 'model');
  });

  it('prompt is required and not blank', () => {
    expectInvalid({ model: 'viduq3p-720p' }, 'prompt', /prompt is required/);
    expectInvalid({ ...TEXT, prompt: '   ' }, 'prompt', /prompt is required/);
    expectInvalid({ ...TEXT, prompt: 7 }, 'prompt');
    expectInvalid({ ...TEXT, prompt: '  ', image: HEAD }, 'prompt');
  });

  it('image must be an http(s) URL or an image data URI', () => {
    for (const image of [
      'not a url',
      'ftp://example.com/a.png',
      'file:///tmp/a.png',
      'https://exa mple.com/a.png',
      42,
    ]) {
      expectInvalid({ ...TEXT, image }, 'image', /image must be an http\(s\) image URL or a data:image/);
    }
  });

  it('a data URI must be base64 of PNG, JPEG or WebP', () => {
    for (const image of [
      'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
      'data:image/png,rawbytes',
      'data:image/png;base64,abc',
      'data:image/png;base64,ab$d',
      'data:text/plain;base64,aGVsbG8=',
    ]) {
      expectInvalid({ ...TEXT, image }, 'image', /base64 data URI of a PNG, JPEG or WebP image/);
    }
  });

  it('an inline image over 10 MB is refused with a hint to use a URL', () => {
    const payload = 'A'.repeat(Math.ceil((VIDU_MAX_INLINE_IMAGE_BYTES + 4) / 3) * 4);
    expectInvalid(
      { ...TEXT, image: `data:image/png;base64,${payload}` },
      'image',
      /larger than the 10 MB.*image URL/,
    );
  });

  it('lastImage needs image', () => {
    expectInvalid({ ...TEXT, lastImage: TAIL }, 'lastImage', /lastImage needs image as the first frame/);
    expectInvalid({ ...TEXT, image: HEAD, lastImage: 'nope' }, 'lastImage');
  });

  it('referenceImages: 1 to 4 images, never with image or lastImage', () => {
    expectInvalid({ ...TEXT, referenceImages: [] }, 'referenceImages', /at least one image/);
    expectInvalid(
      { ...TEXT, referenceImages: [REF_1, REF_2, REF_1, REF_2, REF_1] },
      'referenceImages',
      /at most 4/,
    );
    expectInvalid({ ...TEXT, referenceImages: REF_1 }, 'referenceImages', /list of 1 to 4 images/);
    expectInvalid(
      { ...TEXT, referenceImages: [REF_1, 'nope'] },
      'referenceImages[1]',
      /Every entry of referenceImages/,
    );
    expectInvalid(
      { ...TEXT, referenceImages: [REF_1], image: HEAD },
      'referenceImages',
      /cannot be combined/,
    );
    expectInvalid({ ...TEXT, referenceImages: [REF_1], image: HEAD, lastImage: TAIL }, 'referenceImages');
  });

  it('a reference prompt may only mention the images it has', () => {
    expectInvalid(
      { ...TEXT, prompt: 'A @Image1 beside @image3', referenceImages: [REF_1, REF_2] },
      'prompt',
      /mentions @Image3 but there are 2 reference images/,
    );
    expectInvalid(
      { ...TEXT, prompt: 'a @Image0', referenceImages: [REF_1] },
      'prompt',
      /there is 1 reference image/,
    );
    expect(() =>
      buildViduRequest({ ...TEXT, prompt: 'a @Image2 and @Image1', referenceImages: [REF_1, REF_2] }),
    ).not.toThrow();
  });

  it('aspectRatio: one of 16:9, 9:16, 1:1, and not when animating an image', () => {
    for (const aspectRatio of ['4:3', '16:10', '', 1.78]) {
      expectInvalid({ ...TEXT, aspectRatio }, 'aspectRatio', /aspectRatio must be one of 16:9, 9:16, 1:1/);
    }
    expectInvalid({ ...TEXT, image: HEAD, aspectRatio: '9:16' }, 'aspectRatio', /takes the image’s shape/);
    expectInvalid({ ...TEXT, image: HEAD, lastImage: TAIL, aspectRatio: '1:1' }, 'aspectRatio');
  });

  it('duration: a whole number of seconds from 1 to 16', () => {
    for (const duration of [0, 17, -5, 2.5, '5', Number.NaN]) {
      expectInvalid({ ...TEXT, duration }, 'duration', /duration must be a whole number from 1 to 16/);
    }
  });

  it('seed: a whole number from 0 to 2147483647; audio and bgm are booleans', () => {
    for (const seed of [-1, 1.5, 2_147_483_648, '42']) {
      expectInvalid({ ...TEXT, seed }, 'seed', /seed must be a whole number from 0 to 2147483647/);
    }
    expectInvalid({ ...TEXT, audio: 'yes' }, 'audio', /audio must be true or false/);
    expectInvalid({ ...TEXT, bgm: 1 }, 'bgm', /bgm must be true or false/);
  });

  it('an unknown field is named, so a typo is not silently dropped', () => {
    expectInvalid(
      { ...TEXT, resolution: '1080p' },
      'resolution',
      /resolution is not a field of a Vidu video/,
    );
    expectInvalid({ ...TEXT, last_image: TAIL }, 'last_image');
  });

  it('an input that is not an object is refused', () => {
    for (const input of [null, undefined, 'text', 42, [TEXT]])
      expectInvalid(input, undefined, /as an object/);
  });
});

describe('VIDU_MODELS: the capability table', () => {
  it('lists the six documented models and their off-peak twins, in picker order', () => {
    expect(Object.keys(VIDU_MODELS)).toEqual([...VIDU_MODEL_IDS]);
    expect(VIDU_MODEL_IDS.filter((id) => !id.endsWith('-offpeak'))).toEqual([
      'viduq3p-540p',
      'viduq3p-720p',
      'viduq3p-1080p',
      'viduq3t-540p',
      'viduq3t-720p',
      'viduq3t-1080p',
    ]);
    expect(VIDU_MODEL_IDS.filter((id) => id.endsWith('-offpeak'))).toHaveLength(6);
  });

  it('describes each model from its id', () => {
    for (const [id, info] of Object.entries(VIDU_MODELS)) {
      expect(info.id).toBe(id);
      expect(id.startsWith(info.tier === 'pro' ? 'viduq3p-' : 'viduq3t-')).toBe(true);
      expect(id).toContain(`-${info.resolution}`);
      expect(info.resolutions).toEqual([info.resolution]);
      expect(info.offpeak).toBe(id.endsWith('-offpeak'));
      expect(info.durations).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect(info.aspectRatios).toEqual(['16:9', '9:16', '1:1']);
      expect(info.modes).toEqual([...VIDU_TASK_TYPES]);
      expect(info.features).toEqual({
        audio: true,
        bgm: true,
        seed: true,
        lastFrame: true,
        maxReferenceImages: 4,
      });
    }
    expect(VIDU_MODELS['viduq3t-1080p-offpeak'].label).toBe('Vidu Q3 Turbo · 1080p · off-peak');
    expect(new Set(Object.values(VIDU_MODELS).map((m) => m.label)).size).toBe(VIDU_MODEL_IDS.length);
  });

  it('the builders accept exactly what the table allows', () => {
    const pro = VIDU_MODELS['viduq3p-720p'];
    for (const duration of pro.durations) expect(() => buildViduRequest({ ...TEXT, duration })).not.toThrow();
    expect(() => buildViduRequest({ ...TEXT, duration: Math.max(...pro.durations) + 1 })).toThrow(
      InvalidInputError,
    );
    const refs = Array.from(
      { length: pro.features.maxReferenceImages },
      (_, i) => `https://example.com/r${i}.png`,
    );
    expect(() => buildViduRequest({ ...TEXT, referenceImages: refs })).not.toThrow();
    expect(() => buildViduRequest({ ...TEXT, referenceImages: [...refs, REF_1] })).toThrow(InvalidInputError);
  });
});
