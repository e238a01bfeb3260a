import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, InvalidInputError, NetworkError, ProtocolError } from '../../src/main/core/errors';
import type { GenVaultError } from '../../src/main/core/errors';
import { buildLeonardoRequest, LeonardoClient } from '../../src/main/core/providers/leonardo/index';
import type { LeonardoVideoInput } from '../../src/main/core/providers/leonardo/index';
import {
  creditCost,
  FAIL_MARKER,
  FORBIDDEN_MARKER,
  NOT_ENOUGH_CREDITS_MESSAGE,
  startLeonardoSim,
  UPLOAD_POLICY_TTL_MS,
  type FaultKind,
  type LeonardoSim,
  type UploadRecord,
} from '../sim/leonardo/index';
import { call, clientFor, FINISH_MS, pollUntilDone, rejection, testImage } from './support';

/** Long phases: only the sim clock moves a generation, never the wall clock during a test. */
const PHASE_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let agent: Agent;
let sim: LeonardoSim;
let client: LeonardoClient;
let dir: string;

beforeAll(async () => {
  agent = new Agent({ keepAliveTimeout: 1000 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-leonardo-'));
});
afterAll(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  sim = await startLeonardoSim({ durations: { pending: PHASE_MS, processing: PHASE_MS } });
  client = clientFor(sim, { dispatcher: agent });
});
afterEach(async () => {
  await sim.close();
});

function video(
  input: Partial<LeonardoVideoInput> & { imageId: string },
): ReturnType<typeof buildLeonardoRequest> {
  return buildLeonardoRequest({ prompt: 'waves roll onto the shore', imageType: 'GENERATED', ...input });
}

describe('submit and poll against the simulator', () => {
  it('submits the built body with the Bearer key and polls pending → processing → complete', async () => {
    const imageId = sim.seedGeneratedImage();
    const req = video({ imageId, model: 'VEO3', duration: 6, aspectRatio: '16:9' });
    const submitted = await client.submit(req);

    expect(submitted).toMatchObject({
      provider: 'leonardo',
      taskType: 'image_to_video',
      status: 'queued',
      outputs: [],
      error: null,
      cost: {
        frozen: creditCost('VEO3', 6, 'RESOLUTION_720'),
        consumed: creditCost('VEO3', 6, 'RESOLUTION_720'),
      },
    });
    expect(submitted.remoteId).toMatch(UUID);
    const sent = sim.requests[0]!;
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/api/rest/v1/generations-image-to-video',
      body: req.body,
    });
    expect(sent.headers.authorization).toBe(`Bearer ****${sim.apiKey.slice(-4)}`);
    expect(sent.headers['content-type']).toBe('application/json');

    const id = submitted.remoteId;
    expect(sim.phase(id)).toBe('pending');
    const pending = await client.poll(id);
    expect(pending).toMatchObject({ remoteId: id, status: 'running', outputs: [], error: null });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/rest/v1/generations/${id}` });

    sim.clock.advance(PHASE_MS);
    expect(sim.phase(id)).toBe('processing');
    expect((await client.poll(id)).status).toBe('running');

    sim.clock.advance(PHASE_MS);
    expect(sim.phase(id)).toBe('complete');
    const done = await client.poll(id);
    const wire = sim.generation(id)!;
    expect(done).toMatchObject({ remoteId: id, status: 'completed', error: null, seed: String(wire.seed) });
    expect(done.outputs).toEqual([
      {
        kind: 'video',
        index: 0,
        url: (wire.generated_images as Array<{ motionMP4URL: string }>)[0]!.motionMP4URL,
      },
    ]);
    expect(done.outputs[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn\/users\/.+\/motion\.mp4$/);
    // The API writes its UTC timestamps without a zone; they must not be read as local time.
    expect(done.createdAt).toBe(`${String(wire.createdAt)}Z`);
    expect(done.raw).toEqual({ generations_by_pk: wire });
  });

  it('the finished video on the CDN is a real MP4 (ftyp box), served whole and by range', async () => {
    const { remoteId } = await client.submit(video({ imageId: sim.seedGeneratedImage() }));
    sim.clock.advance(FINISH_MS);
    const url = (await client.poll(remoteId)).outputs[0]!.url;

    const whole = await request(url, { dispatcher: agent });
    const bytes = Buffer.from(await whole.body.arrayBuffer());
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(bytes.toString('latin1', 4, 8)).toBe('ftyp');
    expect(bytes.length).toBeGreaterThan(1000);

    const part = await request(url, { headers: { range: 'bytes=4-11' }, dispatcher: agent });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${bytes.length}`);
    expect(Buffer.from(await part.body.arrayBuffer())).toEqual(bytes.subarray(4, 12));
  });

  it('a failed generation yields a failed snapshot with a reason, and the credits come back', async () => {
    const before = sim.credits();
    const { remoteId } = await client.submit(
      video({ imageId: sim.seedGeneratedImage(), prompt: `a storm ${FAIL_MARKER}` }),
    );
    expect(sim.credits()).toBeLessThan(before);
    const seen = await pollUntilDone(sim, client, remoteId, PHASE_MS);
    const last = seen.at(-1)!;
    expect(last.status).toBe('failed');
    expect(last.outputs).toEqual([]);
    expect(last.error).toEqual({
      code: 'failed',
      message: 'Leonardo reported the generation as failed without giving a reason.',
    });
    expect(sim.credits()).toBe(before);
  });

  it('an unknown generation is a final 404 naming it', async () => {
    const missing = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const err = await rejection(client.poll(missing));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, retryable: false, kind: 'rejected' });
    expect((err as ApiError).message).toBe(`Leonardo has no generation ${missing} for this API key.`);
  });

  it('refuses a request that is not a Leonardo one, or a blank id, without sending anything', async () => {
    await expect(client.submit({ provider: 'legnext', op: 'diffusion', body: {} })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(client.poll('  ')).rejects.toMatchObject({ field: 'remoteId' });
    expect(sim.requests).toEqual([]);
  });
});

describe('uploading a start or end frame', () => {
  it('init-image, then a multipart POST without the auth header, then a generation with imageType UPLOADED', async () => {
    const png = await testImage('png');
    const file = path.join(dir, 'start.png');
    await writeFile(file, png);

    const { id } = await client.uploadInitImage(file, 'png');
    expect(id).toMatch(UUID);

    const [init, upload] = sim.requests;
    expect(init).toMatchObject({
      method: 'POST',
      path: '/api/rest/v1/init-image',
      body: { extension: 'png' },
    });
    expect(init!.headers.authorization).toBe(`Bearer ****${sim.apiKey.slice(-4)}`);
    expect(upload).toMatchObject({ method: 'POST', path: `/upload/${id}` });
    expect(upload!.headers).not.toHaveProperty('authorization');
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; ?boundary=/);
    const form = upload!.body as UploadRecord;
    expect(form.fields.map(([name]) => name)).toEqual([
      'Content-Type',
      'bucket',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'key',
      'Policy',
      'X-Amz-Signature',
    ]);
    expect(form.files).toEqual([
      { field: 'file', filename: 'image.png', type: 'image/png', size: png.length },
    ]);
    expect(sim.initImage(id)).toMatchObject({ uploaded: true, extension: 'png' });
    expect(sim.initImage(id)!.bytes).toEqual(png);

    const req = buildLeonardoRequest({ prompt: 'the tide comes in', imageId: id, imageType: 'UPLOADED' });
    const { remoteId } = await client.submit(req);
    expect(sim.requests.at(-1)!.body).toMatchObject({ imageId: id, imageType: 'UPLOADED' });
    const last = (await pollUntilDone(sim, client, remoteId, PHASE_MS)).at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.outputs).toHaveLength(1);
  });

  it.each([
    ['jpeg', 'jpg'],
    ['jpeg', 'jpeg'],
    ['webp', 'webp'],
  ] as const)('uploads %s bytes given as .%s', async (format, ext) => {
    const bytes = await testImage(format);
    const { id } = await client.uploadInitImage(bytes, ext);
    expect(sim.initImage(id)).toMatchObject({ uploaded: true, extension: ext });
    expect(sim.initImage(id)!.bytes).toEqual(bytes);
  });

  it('KLING2_1 animates from an uploaded start frame to an uploaded end frame', async () => {
    const start = await client.uploadInitImage(await testImage('png', 160, 90), 'png');
    const end = await client.uploadInitImage(await testImage('jpeg', 160, 90), '.JPG');
    const req = buildLeonardoRequest({
      prompt: 'day turns to night',
      imageId: start.id,
      imageType: 'UPLOADED',
      model: 'KLING2_1',
      duration: 10,
      endFrameImage: { id: end.id, type: 'UPLOADED' },
    });
    const { remoteId } = await client.submit(req);
    expect(sim.requests.at(-1)!.body).toMatchObject({
      model: 'KLING2_1',
      duration: 10,
      endFrameImage: { id: end.id, type: 'UPLOADED' },
    });
    const last = (await pollUntilDone(sim, client, remoteId, PHASE_MS)).at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.outputs[0]!.kind).toBe('video');
  });

  it('a GENERATED end frame works with an UPLOADED start', async () => {
    const start = await client.uploadInitImage(await testImage('png'), 'png');
    const req = buildLeonardoRequest({
      prompt: 'x',
      imageId: start.id,
      imageType: 'UPLOADED',
      model: 'KLING2_1',
      endFrameImage: { id: sim.seedGeneratedImage(), type: 'GENERATED' },
    });
    expect((await client.submit(req)).status).toBe('queued');
  });

  it('an init image that was never uploaded, or an id used with the wrong type, is rejected by the API', async () => {
    const issued = await call(sim, 'POST', '/init-image', { body: { extension: 'png' } });
    const init = (issued.json as { uploadInitImage: { id: string } }).uploadInitImage.id;
    const notUploaded = await rejection(client.submit(video({ imageId: init, imageType: 'UPLOADED' })));
    expect(notUploaded).toBeInstanceOf(ApiError);
    expect(notUploaded).toMatchObject({ status: 400, retryable: false });
    expect((notUploaded as ApiError).apiMessage).toMatch(/has not been uploaded/);

    const generated = sim.seedGeneratedImage();
    const wrongType = await rejection(client.submit(video({ imageId: generated, imageType: 'UPLOADED' })));
    expect((wrongType as ApiError).message).toMatch(
      /^Leonardo rejected the request as invalid: ".*no init image/,
    );
  });

  it('an upload after its presigned form expired is refused by the storage with a clear 403', async () => {
    // The form is issued, then the sim clock passes its expiry just before the file goes out.
    const late = agent.compose((dispatch) => (opts, handler) => {
      if (String(opts.path).startsWith('/upload/')) sim.clock.advance(UPLOAD_POLICY_TTL_MS + 1000);
      return dispatch(opts, handler);
    });
    const err = await rejection(
      clientFor(sim, { dispatcher: late }).uploadInitImage(await testImage('png'), 'png'),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, retryable: false });
    expect((err as ApiError).message).toMatch(
      /storage refused the upload; its upload permission may have expired/,
    );
    expect((err as ApiError).apiMessage).toBe('AccessDenied: Invalid according to Policy: Policy expired.');
  });

  it('storage throttling is retryable and carries Retry-After', async () => {
    sim.faults.add({ target: 'any', kind: 'rate429RetryAfter', pathIncludes: '/upload/', retryAfterSec: 3 });
    const err = await rejection(client.uploadInitImage(await testImage('png'), 'png'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 503,
      retryable: true,
      retryAfterMs: 3000,
      apiMessage: 'SlowDown: Please reduce your request rate.',
    });
  });

  it('a storage connection reset is a NetworkError that names the storage', async () => {
    sim.faults.add({ target: 'any', kind: 'reset', pathIncludes: '/upload/' });
    const err = await rejection(client.uploadInitImage(await testImage('png'), 'png'));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(/^Could not reach Leonardo's image storage: /);
  });

  it.each<[string, () => Promise<unknown>, string, RegExp]>([
    [
      'a missing file',
      () => client.uploadInitImage(path.join(dir, 'nope.png'), 'png'),
      'file',
      /does not exist/,
    ],
    ['a folder', () => client.uploadInitImage(dir, 'png'), 'file', /is a folder/],
    [
      'an unsupported extension',
      async () => client.uploadInitImage(await testImage('png'), 'gif'),
      'extension',
      /png, jpg, jpeg or webp/,
    ],
    [
      'bytes of another type',
      async () => client.uploadInitImage(await testImage('jpeg'), 'png'),
      'file',
      /is a JPG file, not the png image/,
    ],
    [
      'bytes that are no image',
      () => client.uploadInitImage(Buffer.from('hello world'), 'webp'),
      'file',
      /not a PNG, JPEG or WebP image/,
    ],
    ['an empty file', () => client.uploadInitImage(Buffer.alloc(0), 'png'), 'file', /is empty/],
  ])('refuses %s before sending anything', async (_name, attempt, field, message) => {
    const err = await rejection(attempt());
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err).toMatchObject({ field });
    expect((err as InvalidInputError).message).toMatch(message);
    expect(sim.requests).toEqual([]);
  });

  it('an init-image answer without an upload form is a ProtocolError, and no file is sent', async () => {
    sim.faults.add({
      target: 'submit',
      kind: 'malformedJson',
      malformed: 'missingJobId',
      pathIncludes: '/init-image',
    });
    const err = await rejection(client.uploadInitImage(await testImage('png'), 'png'));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toBe(
      'Leonardo answered the image upload request without a usable upload address and form fields.',
    );
    expect(sim.requests.map((r) => r.path)).toEqual(['/api/rest/v1/init-image']);
  });
});

describe('errors the API answers', () => {
  it('a wrong key is a 401 that pauses the queue and never echoes the key', async () => {
    const wrong = 'a1b2c3d4-0000-4000-8000-123456789abc';
    const err = await rejection(
      clientFor(sim, { key: wrong }).submit(video({ imageId: sim.seedGeneratedImage() })),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, pausesQueue: true, retryable: false });
    expect((err as ApiError).message).toBe(
      'Leonardo did not accept the API key; replace it in Settings (or LEONARDO_API_KEY).',
    );
    expect(JSON.stringify({ ...(err as ApiError), message: (err as ApiError).message })).not.toContain(wrong);
  });

  it('no key is an invalid input, and nothing is sent', async () => {
    const err = await rejection(clientFor(sim, { key: null }).poll('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err).toMatchObject({ field: 'apiKey' });
    expect(sim.requests).toEqual([]);
  });

  it('an empty balance is reported as 402 (the API says so in words) and pauses the queue', async () => {
    sim.setCredits(0);
    const err = await rejection(client.submit(video({ imageId: sim.seedGeneratedImage() })));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 402, pausesQueue: true, apiMessage: NOT_ENOUGH_CREDITS_MESSAGE });
    expect((err as ApiError).message).toBe(
      'Your Leonardo account is out of API credits; top it up at leonardo.ai to continue.',
    );
  });

  it('content moderation is a final 403 with the API’s words', async () => {
    const err = await rejection(
      client.submit(video({ imageId: sim.seedGeneratedImage(), prompt: FORBIDDEN_MARKER })),
    );
    expect(err).toMatchObject({ status: 403, retryable: false, kind: 'rejected' });
    expect((err as ApiError).message).toBe(
      'Leonardo refused the request (content moderation or permission): "Your prompt was flagged by our content moderation filter".',
    );
  });

  it('a body the API finds invalid is a 400 carrying its message', async () => {
    const imageId = sim.seedGeneratedImage();
    const err = await rejection(
      client.submit({
        provider: 'leonardo',
        op: 'generations-image-to-video',
        body: { prompt: 'x', imageId, imageType: 'GENERATED', model: 'VEO3', duration: 5 },
      }),
    );
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect((err as ApiError).apiMessage).toBe('Duration 5 is not supported by model VEO3; use 4 or 6 or 8.');
  });

  it('too many generations at once is a retryable 429', async () => {
    await sim.close();
    sim = await startLeonardoSim({
      durations: { pending: PHASE_MS, processing: PHASE_MS },
      maxConcurrent: 1,
    });
    client = clientFor(sim, { dispatcher: agent });
    await client.submit(video({ imageId: sim.seedGeneratedImage() }));
    const err = await rejection(client.submit(video({ imageId: sim.seedGeneratedImage() })));
    expect(err).toMatchObject({ status: 429, retryable: true, kind: 'unavailable' });
  });

  it('a wrong base URL is a 404 rather than a crash', async () => {
    const err = await rejection(clientFor(sim, { baseUrl: `${sim.url}/api/rest/v9` }).poll('x'));
    expect(err).toMatchObject({ status: 404, retryable: false });
    expect((err as ApiError).message).toBe(
      'Leonardo could not find what the request refers to: "Endpoint not found".',
    );
  });

  it('an invalid base URL is an invalid input', () => {
    expect(() => new LeonardoClient({ baseUrl: 'ftp://x', apiKey: async () => 'k' })).toThrow(
      InvalidInputError,
    );
  });
});

describe('faults on the wire', () => {
  type Target = 'submit' | 'poll';
  const targets: Target[] = ['submit', 'poll'];
  let generationId: string;

  /** Submits (or, for `poll`, polls a generation submitted before the fault was queued). */
  async function attempt(target: Target): Promise<unknown> {
    if (target === 'poll') return client.poll(generationId);
    return client.submit(video({ imageId: sim.seedGeneratedImage() }));
  }

  beforeEach(async () => {
    generationId = (await client.submit(video({ imageId: sim.seedGeneratedImage() }))).remoteId;
  });

  it.each(
    targets.flatMap((t) =>
      (
        [
          ['status500', 500],
          ['status502', 502],
          ['status503', 503],
        ] as Array<[FaultKind, number]>
      ).map(([kind, status]) => [t, kind, status] as const),
    ),
  )('%s %s → retryable ApiError %i', async (target, kind, status) => {
    sim.faults.add({ target, kind });
    const err = await rejection(attempt(target));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, retryable: true, kind: 'unavailable' });
    expect((err as ApiError).message).toBe(
      `Leonardo is unavailable right now (HTTP ${status}); GenVault will try again.`,
    );
  });

  it.each(targets)(
    '%s rate429 → retryable 429 without a delay; rate429RetryAfter carries it',
    async (target) => {
      sim.faults.add({ target, kind: 'rate429' });
      expect(await rejection(attempt(target))).toMatchObject({
        status: 429,
        retryable: true,
        retryAfterMs: undefined,
      });
      sim.faults.add({ target, kind: 'rate429RetryAfter', retryAfterSec: 7 });
      expect(await rejection(attempt(target))).toMatchObject({ status: 429, retryAfterMs: 7000 });
    },
  );

  it.each(targets)('%s reset → NetworkError', async (target) => {
    sim.faults.add({ target, kind: 'reset' });
    const err = await rejection(attempt(target));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(
      /^Could not reach Leonardo: the connection (was reset|was closed before an answer arrived)\.$/,
    );
  });

  it.each(targets)('%s truncated body → NetworkError', async (target) => {
    sim.faults.add({ target, kind: 'truncate' });
    expect(await rejection(attempt(target))).toBeInstanceOf(NetworkError);
  });

  it.each(targets)('%s too slow → NetworkError naming the timeout', async (target) => {
    sim.faults.add({ target, kind: 'slow', slowBytesPerSec: 10 });
    const slowClient = clientFor(sim, { dispatcher: agent, timeoutMs: 300 });
    const err = await rejection(
      target === 'poll'
        ? slowClient.poll(generationId)
        : slowClient.submit(video({ imageId: sim.seedGeneratedImage() })),
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe('Leonardo did not answer within 300 ms.');
  });

  it.each(targets)('%s html200 → ProtocolError naming the content type', async (target) => {
    sim.faults.add({ target, kind: 'html200' });
    const err = await rejection(attempt(target));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toBe(
      'Leonardo sent a response GenVault cannot read (text/html, not JSON).',
    );
  });

  it.each(targets)('%s malformed JSON → ProtocolError', async (target) => {
    sim.faults.add({ target, kind: 'malformedJson' });
    const err = await rejection(attempt(target));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toMatch(/cannot read \(application\/json, not JSON\)/);
  });

  it('submit JSON without a generation id → ProtocolError', async () => {
    sim.faults.add({ target: 'submit', kind: 'malformedJson', malformed: 'missingJobId' });
    const err = await rejection(attempt('submit'));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as GenVaultError).message).toBe(
      'Leonardo accepted the video request but did not say which generation it started.',
    );
  });

  it('poll JSON without a status → ProtocolError', async () => {
    sim.faults.add({ target: 'poll', kind: 'malformedJson', malformed: 'missingJobId' });
    const err = await rejection(attempt('poll'));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as GenVaultError).message).toBe(
      `Leonardo answered the status request for generation ${generationId} without a generation status.`,
    );
  });

  it('after a fault is spent, the same call succeeds', async () => {
    sim.faults.add({ target: 'poll', kind: 'status503' });
    await expect(client.poll(generationId)).rejects.toBeInstanceOf(ApiError);
    await expect(client.poll(generationId)).resolves.toMatchObject({ status: 'running' });
  });
});
