import { describe, expect, it } from 'vitest';
import { ApiError, ProtocolError } from '../../src/main/core/errors';
import {
  apiErrorFromResponse,
  parseInitImageUpload,
  parseLeonardoGeneration,
  parseLeonardoSubmit,
} from '../../src/main/core/providers/leonardo/index';
import { normaliseLeonardoTime } from '../../src/main/core/providers/leonardo/schemas';
import { uploadErrorFromResponse } from '../../src/main/core/providers/leonardo/errors';

const ID = 'i8j9k0l1-m2n3-o4p5-qrst-uv7890123456';
const GEN = '6a1f3c2e-8b4d-4e5f-9a6b-7c8d9e0f1a2b';
const MP4 = 'https://cdn.leonardo.ai/users/u1/generations/g1/Leonardo_Motion.mp4';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('parseLeonardoSubmit', () => {
  it('reads the documented example (a dollar price is not a credit count)', () => {
    const raw = {
      motionVideoGenerationJob: {
        generationId: ID,
        apiCreditCost: null,
        cost: { amount: '0.0147', unit: 'DOLLARS' },
      },
    };
    expect(parseLeonardoSubmit(raw)).toMatchObject({
      provider: 'leonardo',
      remoteId: ID,
      taskType: 'image_to_video',
      status: 'queued',
      cost: { frozen: 0, consumed: 0 },
      outputs: [],
      raw,
    });
  });

  it.each<[string, unknown, number]>([
    ['cost in CREDITS', { generationId: ID, cost: { amount: '42', unit: 'CREDITS' } }, 42],
    ['the deprecated apiCreditCost', { generationId: ID, apiCreditCost: 30 }, 30],
    [
      'CREDITS over apiCreditCost',
      { generationId: ID, apiCreditCost: 30, cost: { amount: 25, unit: 'credits' } },
      25,
    ],
  ])('takes credits from %s', (_name, job, credits) => {
    expect(parseLeonardoSubmit({ motionVideoGenerationJob: job }).cost).toEqual({
      frozen: credits,
      consumed: credits,
    });
  });

  it('tolerates unknown fields and the older motionSvdGenerationJob name', () => {
    expect(
      parseLeonardoSubmit({ motionSvdGenerationJob: { generationId: ID, extra: [1] }, note: 'x' }).remoteId,
    ).toBe(ID);
  });

  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['a null job', { motionVideoGenerationJob: null }],
    ['a job without its id', { motionVideoGenerationJob: { apiCreditCost: 5 } }],
    ['an empty id', { motionVideoGenerationJob: { generationId: '  ' } }],
    ['an array', [ID]],
    ['a string', 'ok'],
  ])('refuses %s with a ProtocolError', (_name, raw) => {
    const err = thrown(() => parseLeonardoSubmit(raw));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toBe(
      'Leonardo accepted the video request but did not say which generation it started.',
    );
  });
});

describe('parseLeonardoGeneration', () => {
  const complete = (extra: Record<string, unknown> = {}) => ({
    generations_by_pk: {
      id: GEN,
      status: 'COMPLETE',
      createdAt: '2025-07-01T09:30:00.123',
      seed: 1234,
      generated_images: [{ id: 'img', url: 'https://cdn.leonardo.ai/x.jpg', motionMP4URL: MP4, nsfw: false }],
      ...extra,
    },
  });

  it('reads a completed generation: the video at index 0, seed, UTC creation time', () => {
    expect(parseLeonardoGeneration(complete(), GEN)).toMatchObject({
      remoteId: GEN,
      status: 'completed',
      outputs: [{ kind: 'video', index: 0, url: MP4 }],
      seed: '1234',
      createdAt: '2025-07-01T09:30:00.123Z',
      error: null,
      progress: null,
    });
  });

  it.each([
    ['PENDING', 'running'],
    ['pending', 'running'],
    ['FAILED', 'failed'],
  ])('status %s → %s', (status, folded) => {
    const snap = parseLeonardoGeneration({ generations_by_pk: { status, generated_images: [] } }, GEN);
    expect(snap.status).toBe(folded);
    expect(snap.remoteId).toBe(GEN);
    expect(snap.error === null).toBe(folded !== 'failed');
  });

  it('is tolerant: junk entries, non-URL videos and odd field types are skipped; a given progress is kept', () => {
    const snap = parseLeonardoGeneration(
      complete({
        createdAt: 12,
        seed: { big: true },
        progress: '45',
        generated_images: [null, 'x', { motionMP4URL: 'not a url' }, { motionMP4URL: MP4 }],
        newField: { anything: 1 },
      }),
      GEN,
    );
    expect(snap.outputs).toEqual([{ kind: 'video', index: 0, url: MP4 }]);
    expect(snap.seed).toBeNull();
    expect(snap.progress).toBe(45);
  });

  it('an unknown generation (null) is a final 404 ApiError', () => {
    const err = thrown(() => parseLeonardoGeneration({ generations_by_pk: null }, GEN));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, retryable: false });
  });

  it.each<[string, unknown, RegExp]>([
    ['no generations_by_pk', {}, /without a generation status/],
    ['no status', { generations_by_pk: { id: GEN } }, /without a generation status/],
    [
      'an undocumented status',
      { generations_by_pk: { status: 'RUNNING' } },
      /status GenVault does not know \("RUNNING"\)/,
    ],
    [
      'complete without a video',
      complete({ generated_images: [{ url: 'https://cdn.leonardo.ai/x.jpg' }] }),
      /complete but gave no video URL/,
    ],
    ['another generation', complete({ id: ID }), new RegExp(`for generation ${GEN} with generation ${ID}`)],
  ])('refuses %s with a ProtocolError', (_name, raw, message) => {
    const err = thrown(() => parseLeonardoGeneration(raw, GEN));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toMatch(message);
  });
});

describe('parseInitImageUpload', () => {
  const fields = { key: 'u/initImages/a.png', Policy: 'eyJ9', 'X-Amz-Signature': 'abc' };
  it('parses fields given as a JSON string (documented) or as an object', () => {
    const url = 'https://bucket.s3.amazonaws.com';
    expect(
      parseInitImageUpload({ uploadInitImage: { id: ID, url, fields: JSON.stringify(fields) } }),
    ).toEqual({ id: ID, url, fields });
    expect(
      parseInitImageUpload({ uploadInitImage: { id: ID, url, fields: { ...fields, n: 5 } } }).fields.n,
    ).toBe('5');
  });

  it.each<[string, unknown]>([
    ['fields that are not JSON', { uploadInitImage: { id: ID, url: 'https://b', fields: '{key:' } }],
    ['fields that are a list', { uploadInitImage: { id: ID, url: 'https://b', fields: '[1,2]' } }],
    ['a url that is not http(s)', { uploadInitImage: { id: ID, url: 'file:///etc', fields: '{}' } }],
    ['no id', { uploadInitImage: { url: 'https://b', fields: '{}' } }],
    ['nothing', { data: null }],
  ])('refuses %s with a ProtocolError', (_name, raw) => {
    expect(() => parseInitImageUpload(raw)).toThrow(ProtocolError);
  });
});

describe('normaliseLeonardoTime', () => {
  it.each([
    ['2025-07-01T09:30:00.123', '2025-07-01T09:30:00.123Z'],
    ['2025-07-01T09:30:00.123Z', '2025-07-01T09:30:00.123Z'],
    ['2025-07-01T11:30:00+02:00', '2025-07-01T09:30:00.000Z'],
    ['', null],
    ['yesterday', null],
    [null, null],
  ])('%s → %s', (input, expected) => {
    expect(normaliseLeonardoTime(input)).toBe(expected);
  });
});

describe('error mapping', () => {
  const KEY = 'ab12cd34-0000-4000-8000-feedfacecafe';

  it.each<[number, string, RegExp, boolean]>([
    [
      400,
      '{"error":"invalid file extension","path":"$","code":"unexpected"}',
      /^Leonardo rejected the request as invalid: "invalid file extension"\.$/,
      false,
    ],
    [
      401,
      '{"error":"Authentication hook unauthorized this request","path":"$","code":"access-denied"}',
      /did not accept the API key/,
      false,
    ],
    [402, '{"error":"Payment required"}', /out of API credits/, false],
    [
      403,
      '{"message":"forbidden"}',
      /^Leonardo refused the request \(content moderation or permission\): "forbidden"\.$/,
      false,
    ],
    [413, '', /too large/, false],
    [
      418,
      '{"error":{"message":"teapot"}}',
      /^Leonardo rejected the request \(HTTP 418\): "teapot"\.$/,
      false,
    ],
    [429, '{}', /rate limiting/, true],
    [500, '<html><body>oops</body></html>', /^Leonardo is unavailable right now \(HTTP 500\)/, true],
  ])('HTTP %i → a plain sentence', (status, bodyText, message, retryable) => {
    const err = apiErrorFromResponse({ status, bodyText, retryAfter: undefined, apiKey: KEY });
    expect(err.status).toBe(status);
    expect(err.retryable).toBe(retryable);
    expect(err.message).toMatch(message);
  });

  it('an HTML error page leaves no API message', () => {
    expect(
      apiErrorFromResponse({
        status: 502,
        bodyText: '<!DOCTYPE html><p>x</p>',
        retryAfter: undefined,
        apiKey: null,
      }).apiMessage,
    ).toBe('');
  });

  it('a balance message with any 4xx becomes 402 so the queue pauses', () => {
    const err = apiErrorFromResponse({
      status: 400,
      bodyText: JSON.stringify({ error: "You don't have enough API tokens for this generation." }),
      retryAfter: undefined,
      apiKey: KEY,
    });
    expect(err).toMatchObject({ status: 402, pausesQueue: true });
  });

  it('never keeps the key, even when the API echoes it', () => {
    const err = apiErrorFromResponse({
      status: 400,
      bodyText: JSON.stringify({ error: `Key ${KEY} is not valid for this endpoint` }),
      retryAfter: '2',
      apiKey: KEY,
    });
    expect(err.apiMessage).toBe('Key [api key] is not valid for this endpoint');
    expect(err.message).not.toContain(KEY);
    expect(err.retryAfterMs).toBe(2000);
  });

  it('storage errors read the S3 XML document', () => {
    const xml =
      '<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>Unsupported Authorization Type</Message></Error>';
    const err = uploadErrorFromResponse({ status: 400, bodyText: xml, retryAfter: undefined });
    expect(err).toMatchObject({
      status: 400,
      retryable: false,
      apiMessage: 'InvalidArgument: Unsupported Authorization Type',
    });
    expect(err.message).toBe(
      'Leonardo\'s image storage rejected the upload (HTTP 400): "InvalidArgument: Unsupported Authorization Type".',
    );
  });
});
