/**
 * The image calls of the contract through `dispatch`, as the IPC and the bridge run them, over a real
 * Vault, the Legnext simulator and a real S3-compatible server (s3rver behind the signature-checking
 * gate) on 127.0.0.1: file import, the image host settings and test, and blend / describe / shorten /
 * image operations with images from the library, from the computer and by URL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type {
  CallName,
  CallRequest,
  CallResponse,
  CallResult,
  ImportedFileView,
} from '../../src/shared/contract';
import { createHandlers, dispatch, type Handlers } from '../../src/main/core/api/handlers';
import { NO_IMAGE_HOST_MESSAGE, sha256Hex } from '../../src/main/core/images';
import { noiseImage } from '../archive/fixtures';
import { S3_SECRET, startS3Gate, type S3Gate } from '../images/s3-gate';
import { openTestVault, type TestVault } from './support';

let gate: S3Gate;
let png: Buffer;
let jpeg: Buffer;
let open: TestVault[] = [];

beforeAll(async () => {
  gate = await startS3Gate();
  [png, jpeg] = await Promise.all([noiseImage(40, 40, 'png'), noiseImage(30, 20, 'jpeg')]);
});
afterAll(async () => {
  await gate.close();
});
afterEach(async () => {
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

interface Api {
  t: TestVault;
  raw(name: string, req: unknown): Promise<CallResult<unknown>>;
  call<K extends CallName>(name: K, req: CallRequest<K>): Promise<CallResponse<K>>;
  /** The body of the last POST the simulator received on `endpoint`. */
  lastPost(endpoint: string): Record<string, unknown>;
}

async function api(): Promise<Api> {
  const t = await openTestVault();
  open.push(t);
  const handlers: Handlers = createHandlers({ vault: t.vault });
  await t.vault.start();
  const raw = (name: string, req: unknown) => dispatch(handlers, name, req);
  return {
    t,
    raw,
    async call(name, req) {
      const result = await raw(name, req);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
      return result.value as never;
    },
    lastPost(endpoint) {
      const post = t.sim.requests
        .filter((r) => r.method === 'POST' && r.path === `/api/v1/${endpoint}`)
        .at(-1);
      if (!post) throw new Error(`No POST to ${endpoint}.`);
      return post.body as Record<string, unknown>;
    },
  };
}

async function fetched(url: string): Promise<Buffer> {
  const res = await request(url);
  expect(res.statusCode).toBe(200);
  return Buffer.from(await res.body.arrayBuffer());
}

const hostRequest = (secretAccessKey?: string) => ({
  config: gate.config(),
  ...(secretAccessKey === undefined ? {} : { secretAccessKey }),
});

describe('files.import', () => {
  it('stores a dropped image and answers what the renderer needs to show and send it', async () => {
    const a = await api();
    const view = await a.call('files.import', { name: 'photo.jpg', dataBase64: jpeg.toString('base64') });
    expect(view).toEqual<ImportedFileView>({
      ref: `genvault-file:${sha256Hex(jpeg)}.jpg`,
      path: `inputs/${sha256Hex(jpeg)}.jpg`,
      name: 'photo.jpg',
      mime: 'image/jpeg',
      bytes: jpeg.length,
      width: 30,
      height: 20,
    });
  });

  it('refuses a file that is not an image and one over 30 MB, naming the field', async () => {
    const a = await api();
    expect(
      await a.raw('files.import', {
        name: 'notes.txt',
        dataBase64: Buffer.from('plain text here').toString('base64'),
      }),
    ).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: '"notes.txt" must be a PNG, JPEG, WebP or GIF image.',
        field: 'dataBase64',
      },
    });
    const big = await a.raw('files.import', { name: 'big.png', dataBase64: 'A'.repeat(40_000_008) });
    expect(big).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'dataBase64' } });
    expect((big as { error: { message: string } }).error.message).toMatch(/at most 30\.0 MB/);
  });
});

describe('imageHost.*', () => {
  it('set, get, test and clear; the secret goes to the key store and never into an answer', async () => {
    const a = await api();
    expect(await a.call('imageHost.get', {})).toEqual({ config: null, secretSet: false, secretSource: null });

    const set = await a.call('imageHost.set', hostRequest(S3_SECRET));
    expect(set).toEqual({ config: gate.config(), secretSet: true, secretSource: 'keychain' });
    expect(a.t.backend.values.get('image-host')).toBe(S3_SECRET);

    // Changing the settings without a secret keeps the stored one.
    const changed = await a.call('imageHost.set', { config: gate.config({ urlMinutes: 15 }) });
    expect(changed).toEqual({
      config: gate.config({ urlMinutes: 15 }),
      secretSet: true,
      secretSource: 'keychain',
    });

    const test = await a.call('imageHost.test', {});
    expect(test.ok).toBe(true);
    expect(test.message).toMatch(/^The image host works: a test image went up to the bucket "genvault-test"/);
    expect(test.message).toMatch(/127\.0\.0\.1 is on this computer or a private network/);

    for (const answer of [set, changed, test]) expect(JSON.stringify(answer)).not.toContain(S3_SECRET);

    expect(await a.call('imageHost.clear', {})).toEqual({
      config: null,
      secretSet: false,
      secretSource: null,
    });
    expect(a.t.backend.values.has('image-host')).toBe(false);
  });

  it('test reports a wrong secret in one sentence, and a missing host or secret as what to set up', async () => {
    const a = await api();
    expect(await a.raw('imageHost.test', {})).toEqual({
      ok: false,
      error: { kind: 'invalid', message: NO_IMAGE_HOST_MESSAGE, field: 'imageHost' },
    });
    await a.call('imageHost.set', hostRequest());
    expect(await a.raw('imageHost.test', {})).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid',
        message: 'The image host has no secret access key yet: add it in Settings → Image host.',
      },
    });
    await a.call('imageHost.set', hostRequest('wrong-secret-value'));
    const wrong = await a.raw('imageHost.test', {});
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'rejected' } });
    expect((wrong as { error: { message: string } }).error.message).toMatch(
      /did not accept the secret access key/,
    );
  });

  it('refuses settings that do not fit the contract before storing anything', async () => {
    const a = await api();
    const bad = await a.raw('imageHost.set', {
      config: { ...gate.config(), bucket: 'ab' },
      secretAccessKey: S3_SECRET,
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'config.bucket' } });
    expect(a.t.backend.values.has('image-host')).toBe(false);
    expect(await a.call('imageHost.get', {})).toEqual({ config: null, secretSet: false, secretSource: null });
  });
});

describe('jobs with images from anywhere', () => {
  it('blend of a library image, a dropped file and a URL: CDN URL, presigned URL and the URL itself', async () => {
    const a = await api();
    await a.call('imageHost.set', hostRequest(S3_SECRET));
    const grid = await a.t.vault.waitFor(a.t.vault.imagine('a lighthouse at dusk').id);
    const file = await a.call('files.import', { name: 'a.png', dataBase64: png.toString('base64') });
    const url = 'https://images.example.com/northern-lights.png';

    const job = await a.call('jobs.blend', {
      images: [
        { kind: 'output', jobId: grid.id, index: 3 },
        { kind: 'file', ref: file.ref },
        { kind: 'url', url },
      ],
      aspectRatio: '3:2',
    });
    expect(job.taskType).toBe('blend');
    expect(job.parent).toEqual({ id: grid.id, index: 3 });
    await a.t.vault.waitUntilSent(job.id);

    const body = a.lastPost('blend') as { imgUrls: string[]; aspect_ratio: string };
    expect(body.aspect_ratio).toBe('3:2');
    expect(body.imgUrls[0]).toBe(grid.outputs.find((o) => o.kind === 'image' && o.index === 3)!.url);
    expect(body.imgUrls[1]).toMatch(
      new RegExp(`^${gate.endpoint}/genvault-test/genvault/${sha256Hex(png)}\\.png\\?X-Amz-`),
    );
    expect(await fetched(body.imgUrls[1]!)).toEqual(png);
    expect(body.imgUrls[2]).toBe(url);
  });

  it('without an image host a dropped file is refused with what to set up, and nothing is sent', async () => {
    const a = await api();
    const file = await a.call('files.import', { name: 'a.png', dataBase64: png.toString('base64') });
    const posts = a.t.sim.requests.length;
    expect(await a.raw('jobs.describe', { image: { kind: 'file', ref: file.ref } })).toEqual({
      ok: false,
      error: { kind: 'invalid', message: NO_IMAGE_HOST_MESSAGE, field: 'imageHost' },
    });
    expect(a.t.sim.requests).toHaveLength(posts);
    expect(a.t.vault.list({ limit: 10 }).items).toHaveLength(0);
  });

  it('describe by URL, shorten, and every image operation on a dropped file', async () => {
    const a = await api();
    await a.call('imageHost.set', hostRequest(S3_SECRET));
    const file = await a.call('files.import', { name: 'a.jpg', dataBase64: jpeg.toString('base64') });
    const image = { kind: 'file' as const, ref: file.ref };
    const presigned = new RegExp(
      `^${gate.endpoint}/genvault-test/genvault/${sha256Hex(jpeg)}\\.jpg\\?X-Amz-`,
    );

    const described = await a.call('jobs.describe', {
      image: { kind: 'url', url: 'https://images.example.com/x.png' },
    });
    await a.t.vault.waitUntilSent(described.id);
    expect(a.lastPost('describe')).toEqual({ imgUrl: 'https://images.example.com/x.png' });

    const shortened = await a.call('jobs.shorten', {
      prompt: 'a very long prompt about a lighthouse at dusk',
    });
    await a.t.vault.waitUntilSent(shortened.id);
    expect(a.lastPost('shorten')).toEqual({ prompt: 'a very long prompt about a lighthouse at dusk' });

    const ops = [
      ['remove-background', {}, 'imgUrl'],
      ['retexture', { remixPrompt: 'carved from jade' }, 'imgUrl'],
      ['enhance-upscale', { targetResolution: '4K' }, 'image_url'],
      [
        'upload-paint',
        {
          canvas: { width: 1024, height: 1024 },
          imgPos: { width: 512, height: 512, x: 256, y: 256 },
          remixPrompt: 'a garden around it',
          mask: { areas: [{ width: 1024, height: 1024, points: [0, 0, 1024, 0, 1024, 200, 0, 200] }] },
        },
        'imgUrl',
      ],
    ] as const;
    for (const [op, options, field] of ops) {
      const job = await a.call('jobs.onImage', { op, image, options: { ...options } });
      await a.t.vault.waitUntilSent(job.id);
      const body = a.lastPost(op);
      expect(body[field]).toMatch(presigned);
      expect(await fetched(body[field] as string)).toEqual(jpeg);
    }
    expect(a.lastPost('enhance-upscale')).toMatchObject({ target_resolution: '4K' });
    expect(a.lastPost('retexture')).toMatchObject({ remixPrompt: 'carved from jade' });
  });
});
