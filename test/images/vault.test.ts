/**
 * Images from anywhere through the real core: the Legnext simulator and a real S3-compatible server
 * (s3rver behind the signature-checking gate) on 127.0.0.1, a real library on disk. The simulator does
 * not fetch image URLs, so each test fetches the URLs it received itself and compares the bytes.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSource } from '../../src/shared/contract';
import { DAY_MS, type JobView } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import { NO_IMAGE_HOST_MESSAGE, importImage, sha256Hex, uploadRef } from '../../src/main/core/images';
import { MAX_IMAGE_URL_CHARS } from '../../src/main/core/providers/legnext/inputs';
import { SecretStore } from '../../src/main/core/secrets';
import { noiseImage } from '../archive/fixtures';
import {
  MemoryBackend,
  filesUnder,
  imagined,
  jobEvent,
  settled,
  useHarness,
  type Harness,
} from '../core/harness';
import { S3_SECRET, startS3Gate, type S3Gate } from './s3-gate';

const harness = useHarness();
let gate: S3Gate;
let pngA: Buffer;
let pngB: Buffer;

beforeAll(async () => {
  gate = await startS3Gate();
  [pngA, pngB] = await Promise.all([noiseImage(48, 32, 'png'), noiseImage(32, 48, 'png')]);
});
afterAll(async () => {
  await gate.close();
});

async function withHost(h: Harness, overrides = {}): Promise<void> {
  await h.vault.images.set(gate.config(overrides), S3_SECRET);
}

async function imported(h: Harness, bytes: Buffer, name: string): Promise<ImageSource> {
  const view = await importImage(h.dir, name, bytes.toString('base64'));
  return { kind: 'file', ref: view.ref };
}

async function fetchBytes(url: string): Promise<{ status: number; body: Buffer }> {
  const res = await request(url);
  return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
}

function expectPresigned(url: string, sha: string): void {
  expect(
    url.startsWith(`${gate.endpoint}/genvault-test/genvault/${sha}.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&`),
  ).toBe(true);
  expect(url).toMatch(/&X-Amz-Signature=[0-9a-f]{64}$/);
  expect(url.length).toBeLessThanOrEqual(MAX_IMAGE_URL_CHARS);
}

const storedBody = (h: Harness, id: string) => h.vault.library.getJob(id)!.request!.body;
const count = (method: string, from = 0) =>
  gate.requests.slice(from).filter((r) => r.method === method).length;

function refusedLocally(h: Harness, work: () => unknown, message: string | RegExp): void {
  const posts = h.posts().length;
  const jobs = h.vault.list({ limit: 500 }).items.length;
  let caught: unknown;
  try {
    work();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  if (typeof message === 'string') expect((caught as Error).message).toBe(message);
  else expect((caught as Error).message).toMatch(message);
  expect(h.posts()).toHaveLength(posts);
  expect(h.vault.list({ limit: 500 }).items).toHaveLength(jobs);
}

describe('files from the computer', () => {
  it('blends two dropped files: Legnext gets presigned URLs of the uploaded files, the library keeps references', async () => {
    const h = await harness.start();
    await withHost(h);
    const sources = [await imported(h, pngA, 'a.png'), await imported(h, pngB, 'b.png')];
    const before = gate.requests.length;

    await h.vault.stageImages(sources, 'blend');
    await h.vault.start();
    const done = await settled(h.vault, h.vault.blend(sources, '2:3').id);

    expect(done.status).toBe('completed');
    const body = h.posts('blend').at(-1)!.body as { imgUrls: string[]; aspect_ratio: string };
    expect(body.aspect_ratio).toBe('2:3');
    const [urlA, urlB] = body.imgUrls as [string, string];
    expectPresigned(urlA, sha256Hex(pngA));
    expectPresigned(urlB, sha256Hex(pngB));
    expect((await fetchBytes(urlA)).body).toEqual(pngA);
    expect((await fetchBytes(urlB)).body).toEqual(pngB);

    // Uploaded once each (when staged); the send found them with HEAD.
    expect(count('PUT', before)).toBe(2);
    expect(gate.requests.slice(before).every((r) => r.verdict === 'forwarded')).toBe(true);
    expect(storedBody(h, done.id)).toEqual({
      imgUrls: [uploadRef(`inputs/${sha256Hex(pngA)}.png`), uploadRef(`inputs/${sha256Hex(pngB)}.png`)],
      aspect_ratio: '2:3',
    });
    expect(h.vault.library.parents(done.id)).toEqual([]);
  });

  it('animates towards an end frame dropped from the computer: --end carries its presigned URL', async () => {
    const h = await harness.start();
    await withHost(h);
    await h.vault.start();
    const grid = await imagined(h, 'a harbour at dawn');
    const end = await imported(h, pngA, 'dusk.png');

    await h.vault.stageImages([end], 'video-diffusion');
    const job = h.vault.followUp(
      'video-diffusion',
      { ref: grid.id, index: 2 },
      { prompt: 'the tide goes out --motion low', quality: 480, endImage: end },
    );
    const done = await settled(h.vault, job.id);
    expect(done.status).toBe('completed');

    const sent = h.posts('video-diffusion').at(-1)!.body as { prompt: string };
    const match = /^(.*) --end (\S+)$/.exec(sent.prompt)!;
    expect(match[1]).toContain('the tide goes out --motion low');
    expectPresigned(match[2]!, sha256Hex(pngA));
    expect((await fetchBytes(match[2]!)).body).toEqual(pngA);
    // The library keeps the reference, not a URL that expires.
    const stored = storedBody(h, done.id) as { prompt: string };
    expect(stored.prompt).toContain(`--end ${uploadRef(`inputs/${sha256Hex(pngA)}.png`)}`);
    expect(done.parent).toEqual({ id: grid.id, index: 2 });

    // A library image inside its 30 days goes by its CDN URL and joins the lineage as a parent.
    const other = await imagined(h, 'a harbour at dusk');
    const linked = h.vault.followUp(
      'video-diffusion',
      { ref: grid.id, index: 0 },
      { prompt: 'night falls', endImage: { kind: 'output', jobId: other.id, index: 1 } },
    );
    const cdn = other.outputs.find((o) => o.kind === 'image' && o.index === 1)!.url!;
    expect(h.vault.library.getJob(linked.id)!.prompt).toBe(`night falls --end ${cdn}`);
    expect(h.vault.library.parents(linked.id).map((p) => p.parentId)).toEqual([grid.id, other.id]);

    refusedLocally(
      h,
      () =>
        h.vault.followUp(
          'video-diffusion',
          { ref: grid.id, index: 1 },
          { prompt: 'x --loop', endImage: end },
        ),
      /already sets --end or --loop/,
    );
  });

  it('presigns at send time: a job that waited is sent with a URL made under the settings of then', async () => {
    const h = await harness.start();
    await withHost(h, { urlMinutes: 60 });
    const source = await imported(h, pngA, 'a.png');
    const job = h.vault.describe(source);
    expect(storedBody(h, job.id)).toEqual({ imgUrl: uploadRef(`inputs/${sha256Hex(pngA)}.png`) });

    // Settings change while the job waits: the URL it is sent with must follow them.
    await withHost(h, { urlMinutes: 5, prefix: 'later/' });
    const before = gate.requests.length;
    await h.vault.start();
    const done = await settled(h.vault, job.id);

    expect(done.status).toBe('completed');
    const url = (h.posts('describe').at(-1)!.body as { imgUrl: string }).imgUrl;
    expect(url).toContain(`/genvault-test/later/${sha256Hex(pngA)}.png?`);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect((await fetchBytes(url)).body).toEqual(pngA);
    expect(count('HEAD', before)).toBe(1);
    expect(count('PUT', before)).toBe(1);
  });

  it('refuses before anything is sent: no host, an unreachable bucket, a format the operation cannot take', async () => {
    const h = await harness.start();
    const png = await imported(h, pngA, 'a.png');
    refusedLocally(h, () => h.vault.describe(png), NO_IMAGE_HOST_MESSAGE);

    await withHost(h, { bucket: 'no-such-bucket' });
    const staged = await h.vault.stageImages([png], 'describe').catch((e: unknown) => e);
    expect((staged as Error).message).toMatch(/bucket "no-such-bucket" does not exist/);
    await h.vault.images.set(gate.config(), 'a-wrong-secret-value');
    const wrong = await h.vault.stageImages([png], 'describe').catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/did not accept the secret access key/);

    await withHost(h);
    const gif = await imported(h, await noiseImage(20, 20, 'gif'), 'a.gif');
    refusedLocally(
      h,
      () => h.vault.onImage('retexture', gif, { remixPrompt: 'in bronze' }),
      'Retexture takes PNG, JPEG or WebP images, not GIF.',
    );
    refusedLocally(h, () => h.vault.onImage('retexture', png, {}), /remixPrompt/);
  });

  it('says so plainly when a presigned link would be longer than Legnext takes', async () => {
    const h = await harness.start();
    await withHost(h, { prefix: `${'é'.repeat(150)}/` });
    const png = await imported(h, pngA, 'a.png');
    refusedLocally(
      h,
      () => h.vault.describe(png),
      /presigned link to this image is \d+ characters long.*at most 1024/,
    );
  });

  it('an image host that does not answer at send time: the send is retried, Legnext is not taken for offline', async () => {
    const h = await harness.start();
    const down = await startS3Gate();
    await h.vault.images.set(down.config(), S3_SECRET);
    await down.close();
    const job = h.vault.describe(await imported(h, pngA, 'a.png'));
    await h.vault.start();
    const retrying = await jobEvent(h.vault, job.id, (j) => j.error !== null);
    expect(retrying.status).toBe('submitting');
    expect(retrying.error!.message).toBe('Could not reach the image host: the connection was refused.');
    expect(h.vault.library.getJob(job.id)!.attempts).toBeGreaterThanOrEqual(1);
    expect(h.vault.queue.connectivity().offline).toBe(false);
    expect(h.posts('describe')).toHaveLength(0);
  });

  it('a job whose image host was removed while it waited fails with what to set up', async () => {
    const h = await harness.start();
    await withHost(h);
    const job = h.vault.describe(await imported(h, pngB, 'b.png'));
    await h.vault.images.clear();
    await h.vault.start();
    const failed = await settled(h.vault, job.id).catch((e: unknown) => e);
    expect((failed as Error).message).toContain(NO_IMAGE_HOST_MESSAGE);
    expect(h.posts('describe')).toHaveLength(0);
  });
});

describe('library images', () => {
  const image = (job: JobView, index: number) =>
    job.outputs.find((o) => o.kind === 'image' && o.index === index)!;

  it('go by their CDN URL inside 30 days, and by an upload of the archived file after', async () => {
    const h = await harness.start();
    const grid = await imagined(h, 'a lighthouse at dusk');

    const early = await settled(h.vault, h.vault.describe({ kind: 'output', jobId: grid.id, index: 1 }).id);
    expect(h.posts('describe').at(-1)!.body).toEqual({ imgUrl: image(grid, 1).url });
    expect(early.parent).toEqual({ id: grid.id, index: 1 });

    h.advance(31 * DAY_MS);
    refusedLocally(h, () => h.vault.describe(`${grid.id}:1`), NO_IMAGE_HOST_MESSAGE);

    await withHost(h);
    const late = await settled(h.vault, h.vault.describe(`${grid.id}:1`).id);
    const url = (h.posts('describe').at(-1)!.body as { imgUrl: string }).imgUrl;
    const archived = readFileSync(image(grid, 1).path!);
    expectPresigned(url, sha256Hex(archived));
    expect((await fetchBytes(url)).body).toEqual(archived);
    expect(late.parent).toEqual({ id: grid.id, index: 1 });
    expect(storedBody(h, late.id)).toEqual({
      imgUrl: uploadRef(path.relative(h.dir, image(grid, 1).path!).split(path.sep).join('/')),
    });
  });

  it('past 30 days and never archived, or its file deleted: nothing is left to send', async () => {
    const h = await harness.start();
    const grid = await imagined(h, 'a red fox in snow');
    // The archived copy is gone from the library's point of view.
    h.vault.library.updateOutput(grid.id, 'image', 2, { state: 'expired', path: null });
    rmSync(image(grid, 3).path!);
    await withHost(h);
    h.advance(31 * DAY_MS);
    refusedLocally(
      h,
      () => h.vault.blend([`${grid.id}:0`, `${grid.id}:2`]),
      `Image ${grid.id}:2 is older than 30 days and was never archived, so no copy of it is left to send.`,
    );
    refusedLocally(
      h,
      () => h.vault.describe(`${grid.id}:3`),
      /^The image media\/.+\/3\.png is no longer in the library folder\.$/,
    );
  });

  it('resolveImageSource gives a URL to fetch now: the CDN URL with its parent, or a fresh presigned URL', async () => {
    const h = await harness.start();
    const grid = await imagined(h, 'a harbour in fog');
    const inside = await h.vault.resolveImageSource({ kind: 'output', jobId: grid.id, index: 0 });
    expect(inside.url).toBe(image(grid, 0).url);
    expect(inside.parent?.job.id).toBe(grid.id);
    expect(inside.parent?.index).toBe(0);

    await withHost(h);
    const file = await h.vault.resolveImageSource(await imported(h, pngB, 'b.png'));
    expect(file.parent).toBeNull();
    expectPresigned(file.url, sha256Hex(pngB));
    expect((await fetchBytes(file.url)).body).toEqual(pngB);
    const url = 'https://images.example.com/a.png';
    expect(await h.vault.resolveImageSource(url)).toEqual({ url, parent: null });
  });
});

describe('the secret access key', () => {
  it('is kept in the key store only: never in the library file, a sidecar or a stored request', async () => {
    const h = await harness.start();
    await withHost(h);
    expect(h.backend.values.get('image-host')).toBe(S3_SECRET);
    expect(await h.vault.images.view()).toEqual({
      config: gate.config(),
      secretSet: true,
      secretSource: 'keychain',
    });

    await h.vault.start();
    const source = await imported(h, pngA, 'a.png');
    await h.vault.stageImages([source], 'describe');
    await settled(h.vault, h.vault.describe(source).id);
    expect((await h.vault.images.test()).message).toMatch(/^The image host works/);
    await h.vault.close();

    const files = filesUnder(h.dir);
    expect(files.some((f) => f.endsWith('genvault.db'))).toBe(true);
    expect(files.some((f) => f.endsWith('job.json'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes(S3_SECRET)).toBe(false);
    for (const r of gate.requests) expect(JSON.stringify(r)).not.toContain(S3_SECRET);
  });

  it('can come from GENVAULT_S3_SECRET_ACCESS_KEY instead of the keychain', async () => {
    const backend = new MemoryBackend();
    const store = new SecretStore(backend, { GENVAULT_S3_SECRET_ACCESS_KEY: S3_SECRET });
    expect(await store.getSecret('image-host')).toBe(S3_SECRET);
    expect(await store.secretStatus('image-host')).toEqual({
      set: true,
      last4: S3_SECRET.slice(-4),
      source: 'env',
    });
    expect(backend.values.size).toBe(0);
  });
});
