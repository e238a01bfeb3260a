/**
 * The simulator on its own, at the HTTP level: what it refuses and how, the presigned upload's S3
 * behaviour, its clock-driven lifecycle, credits, and its CDN.
 */
import { FormData, fetch, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUTH_FAILED_MESSAGE,
  creditCost,
  startLeonardoSim,
  UPLOAD_POLICY_TTL_MS,
  type LeonardoSim,
} from '../sim/leonardo/index';
import { call, FINISH_MS, testImage } from './support';

let sim: LeonardoSim;

beforeEach(async () => {
  sim = await startLeonardoSim({ durations: { pending: 60_000, processing: 60_000 } });
});
afterEach(async () => {
  await sim.close();
});

interface Issued {
  id: string;
  url: string;
  fields: Record<string, string>;
}

async function issue(extension = 'png'): Promise<Issued> {
  const r = await call(sim, 'POST', '/init-image', { body: { extension } });
  expect(r.status, r.text).toBe(200);
  const u = (r.json as { uploadInitImage: { id: string; url: string; fields: string } }).uploadInitImage;
  return { id: u.id, url: u.url, fields: JSON.parse(u.fields) as Record<string, string> };
}

/** A presigned POST built by hand, so each S3 rule can be broken on purpose. */
async function presignedPost(
  issued: Issued,
  init: {
    fields?: Record<string, string>;
    after?: Record<string, string>;
    file?: Buffer | null;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; text: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(init.fields ?? issued.fields)) form.append(k, v);
  const file = init.file === undefined ? await testImage('png') : init.file;
  if (file !== null) form.append('file', new Blob([new Uint8Array(file)], { type: 'image/png' }), 'a.png');
  for (const [k, v] of Object.entries(init.after ?? {})) form.append(k, v);
  const res = await fetch(issued.url, { method: 'POST', body: form, headers: init.headers });
  return { status: res.status, text: await res.text() };
}

async function submitGenerated(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call(sim, 'POST', '/generations-image-to-video', {
    body: { prompt: 'x', imageId: sim.seedGeneratedImage(), imageType: 'GENERATED', ...extra },
  });
  expect(r.status, r.text).toBe(200);
  return (r.json as { motionVideoGenerationJob: { generationId: string } }).motionVideoGenerationJob
    .generationId;
}

describe('the API', () => {
  it('answers 401 in Hasura’s shape without a key, with a wrong key, or with another scheme', async () => {
    for (const key of [null, 'wrong']) {
      const r = await call(sim, 'GET', '/me', { key });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: AUTH_FAILED_MESSAGE, path: '$', code: 'access-denied' });
    }
    const basic = await request(`${sim.baseUrl}/me`, { headers: { authorization: `Basic ${sim.apiKey}` } });
    expect(basic.statusCode).toBe(401);
    await basic.body.dump();
  });

  it('reports type errors as validation-failed with the JSON path, and rule errors as unexpected', async () => {
    const imageId = sim.seedGeneratedImage();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ imageId, imageType: 'GENERATED' }, '$.prompt', 'validation-failed'],
      [{ prompt: 'x', imageId, imageType: 'INIT' }, '$.imageType', 'validation-failed'],
      [{ prompt: 'x', imageId, imageType: 'GENERATED', isPublic: 'no' }, '$.isPublic', 'validation-failed'],
      [
        { prompt: 'x', imageId, imageType: 'GENERATED', enhancePrompt: true },
        '$.enhancePrompt',
        'validation-failed',
      ],
      [{ prompt: 'x', imageId, imageType: 'GENERATED', duration: 4.5 }, '$.duration', 'validation-failed'],
      [{ prompt: 'x', imageId, imageType: 'GENERATED', width: 832 }, '$', 'unexpected'],
      [{ prompt: 'x', imageId: 'abc', imageType: 'GENERATED' }, '$', 'unexpected'],
    ];
    for (const [body, path, code] of cases) {
      const r = await call(sim, 'POST', '/generations-image-to-video', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toMatchObject({ error: expect.any(String), path, code });
    }
  });

  it('rejects bodies that are not JSON objects, unknown routes and wrong methods', async () => {
    expect(
      (await call(sim, 'POST', '/generations-image-to-video', { rawBody: '{"prompt":' })).json,
    ).toMatchObject({
      code: 'invalid-json',
    });
    expect((await call(sim, 'POST', '/generations-image-to-video', { rawBody: '[1]' })).status).toBe(400);
    expect((await call(sim, 'GET', '/generations-image-to-video')).status).toBe(405);
    expect((await call(sim, 'GET', '/generations/not-a-uuid')).json).toMatchObject({
      code: 'data-exception',
    });
    const unknown = await call(sim, 'GET', '/nowhere');
    expect([unknown.status, unknown.json]).toEqual([
      404,
      { error: 'Endpoint not found', path: '$', code: 'not-found' },
    ]);
  });

  it('answers an unknown generation with generations_by_pk: null', async () => {
    const r = await call(sim, 'GET', '/generations/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d');
    expect([r.status, r.json]).toEqual([200, { generations_by_pk: null }]);
  });

  it('moves a generation along on its clock alone and only lists the video once COMPLETE', async () => {
    const id = await submitGenerated({ model: 'KLING2_5' });
    const status = async () => {
      const r = await call(sim, 'GET', `/generations/${id}`);
      return (r.json as { generations_by_pk: { status: string; generated_images: unknown[] } })
        .generations_by_pk;
    };
    expect(sim.phase(id)).toBe('pending');
    expect(await status()).toMatchObject({ status: 'PENDING', generated_images: [] });
    sim.clock.advance(60_000);
    expect(sim.phase(id)).toBe('processing');
    expect(await status()).toMatchObject({ status: 'PENDING', generated_images: [] });
    sim.clock.advance(60_000);
    const done = await status();
    expect(done.status).toBe('COMPLETE');
    expect(done.generated_images).toEqual([
      expect.objectContaining({ motionMP4URL: expect.stringMatching(/\/motion\.mp4$/), nsfw: false }),
    ]);
  });

  it('takes credits at submit, refuses when they run out, and reports the balance on /me', async () => {
    const before = sim.credits();
    await submitGenerated({ model: 'VEO3', duration: 4, resolution: 'RESOLUTION_1080' });
    const cost = creditCost('VEO3', 4, 'RESOLUTION_1080');
    expect(sim.credits()).toBe(before - cost);
    const me = await call(sim, 'GET', '/me');
    expect(me.json).toMatchObject({ user_details: [{ apiPaidTokens: before - cost }] });

    sim.setCredits(cost - 1);
    const r = await call(sim, 'POST', '/generations-image-to-video', {
      body: {
        prompt: 'x',
        imageId: sim.seedGeneratedImage(),
        imageType: 'GENERATED',
        model: 'VEO3',
        duration: 4,
        resolution: 'RESOLUTION_1080',
      },
    });
    expect(r.status).toBe(400);
    expect((r.json as { error: string }).error).toMatch(/not have enough API credits/);
    expect(sim.credits()).toBe(cost - 1);
  });

  it('refuses an init-image extension it does not take, with the documented message', async () => {
    const r = await call(sim, 'POST', '/init-image', { body: { extension: 'cat.png' } });
    expect([r.status, r.json]).toEqual([
      400,
      { error: 'invalid file extension', path: '$', code: 'unexpected' },
    ]);
  });
});

describe('the presigned upload', () => {
  it('accepts the issued form and stores the file (204)', async () => {
    const issued = await issue();
    expect(issued.url).toBe(`${sim.url}/upload/${issued.id}`);
    expect(issued.fields).toMatchObject({
      key: expect.stringContaining(issued.id),
      Policy: expect.any(String),
    });
    const r = await presignedPost(issued);
    expect(r.status).toBe(204);
    expect(sim.initImage(issued.id)?.uploaded).toBe(true);
  });

  it('refuses a request that carries an Authorization header, as S3 does', async () => {
    const issued = await issue();
    const r = await presignedPost(issued, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>InvalidArgument</Code><Message>Unsupported Authorization Type</Message>');
    expect(sim.initImage(issued.id)?.uploaded).toBe(false);
  });

  it('refuses a tampered or missing field, and ignores fields sent after the file', async () => {
    const issued = await issue();
    const { key, ...withoutKey } = issued.fields;
    const tampered = await presignedPost(issued, { fields: { ...issued.fields, key: `${key}.exe` } });
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;');
    const missing = await presignedPost(issued, { fields: withoutKey });
    expect([missing.status, missing.text.includes("must contain a field named 'key'")]).toEqual([400, true]);
    const late = await presignedPost(issued, { fields: withoutKey, after: { key: key! } });
    expect(late.status).toBe(400);
    const forged = await presignedPost(issued, { fields: { ...issued.fields, 'X-Amz-Signature': '00' } });
    expect(forged.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(sim.initImage(issued.id)?.uploaded).toBe(false);
  });

  it('refuses an upload without a file, an empty file, an expired policy and a non-multipart body', async () => {
    const issued = await issue();
    expect((await presignedPost(issued, { file: null })).status).toBe(400);
    expect((await presignedPost(issued, { file: Buffer.alloc(0) })).text).toContain('EntityTooSmall');
    const plain = await fetch(issued.url, {
      method: 'POST',
      body: 'file=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(412);
    await plain.body?.cancel();
    sim.clock.advance(UPLOAD_POLICY_TTL_MS + 1);
    const expired = await presignedPost(issued);
    expect([expired.status, expired.text.includes('Policy expired')]).toEqual([403, true]);
  });

  it('lets a generation use an init image only once it is uploaded, and fails one whose bytes are no image', async () => {
    const pending = await issue();
    const early = await call(sim, 'POST', '/generations-image-to-video', {
      body: { prompt: 'x', imageId: pending.id, imageType: 'UPLOADED' },
    });
    expect((early.json as { error: string }).error).toMatch(/has not been uploaded yet/);

    const bogus = await issue();
    expect((await presignedPost(bogus, { file: Buffer.from('not an image at all') })).status).toBe(204);
    const r = await call(sim, 'POST', '/generations-image-to-video', {
      body: { prompt: 'x', imageId: bogus.id, imageType: 'UPLOADED' },
    });
    const id = (r.json as { motionVideoGenerationJob: { generationId: string } }).motionVideoGenerationJob
      .generationId;
    sim.clock.advance(FINISH_MS);
    expect(sim.phase(id)).toBe('failed');
  });
});

describe('the CDN', () => {
  async function finishedVideoUrl(): Promise<string> {
    const id = await submitGenerated();
    const before = await call(sim, 'GET', `/generations/${id}`);
    expect((before.json as { generations_by_pk: { status: string } }).generations_by_pk.status).toBe(
      'PENDING',
    );
    sim.clock.advance(FINISH_MS);
    const gen = sim.generation(id) as { generated_images: Array<{ motionMP4URL: string; url: string }> };
    return gen.generated_images[0]!.motionMP4URL;
  }

  it('serves nothing for an unfinished generation', async () => {
    const id = await submitGenerated();
    const url = `${sim.url}/cdn/users/00000000-0000-4000-8000-000000000000/generations/${id}/motion.mp4`;
    const r = await request(url);
    expect(r.statusCode).toBe(404);
    expect(await r.body.text()).toContain('<Code>NoSuchKey</Code>');
  });

  it('answers HEAD with the length, 416 for a range past the end, and a PNG poster', async () => {
    const url = await finishedVideoUrl();
    const head = await request(url, { method: 'HEAD' });
    const size = Number(head.headers['content-length']);
    expect(head.statusCode).toBe(200);
    expect(size).toBeGreaterThan(1000);
    await head.body.dump();
    const past = await request(url, { headers: { range: `bytes=${size}-` } });
    expect([past.statusCode, past.headers['content-range']]).toEqual([416, `bytes */${size}`]);
    await past.body.dump();
    const poster = await request(url.replace('motion.mp4', 'poster.png'));
    const bytes = Buffer.from(await poster.body.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('drips a slow download but delivers the same bytes', async () => {
    const url = await finishedVideoUrl();
    const whole = Buffer.from(await (await request(url)).body.arrayBuffer());
    sim.faults.add({ target: 'cdn', kind: 'slow', slowBytesPerSec: 400_000 });
    const slow = Buffer.from(await (await request(url)).body.arrayBuffer());
    expect(slow.equals(whole)).toBe(true);
    expect(sim.faults.pending()).toBe(0);
  });

  it('truncates a download on demand: fewer bytes than Content-Length announces', async () => {
    const url = await finishedVideoUrl();
    sim.faults.add({ target: 'cdn', kind: 'truncate' });
    const r = await request(url);
    const announced = Number(r.headers['content-length']);
    const received = await r.body.arrayBuffer().then(
      (b) => b.byteLength,
      () => -1,
    );
    expect(received).toBeLessThan(announced);
  });
});
