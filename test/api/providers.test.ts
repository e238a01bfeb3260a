/**
 * The provider calls of the contract over a real Vault, through `dispatch` like IPC and the bridge:
 * `video.models` against the model tables, `jobs.videoWith` with every kind of `ImageSource` against
 * the Leonardo and Vidu simulators (archived and linked in the lineage), `keys.set` for Leonardo and
 * UniAll, and base URLs from `settings.set` reaching the live clients, with the environment winning.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallRequest, CallResponse, CallResult } from '../../src/shared/contract';
import type { JobView } from '../../src/shared/domain';
import { createHandlers, dispatch, type Handlers } from '../../src/main/core/api/handlers';
import { LEONARDO_MODEL_IDS, LEONARDO_MODELS } from '../../src/main/core/providers/leonardo';
import { VIDU_MODEL_IDS } from '../../src/main/core/providers/vidu';
import { SecretStore } from '../../src/main/core/secrets';
import { Vault } from '../../src/main/core/vault';
import { startLegnextSim, type LegnextSim } from '../sim/legnext';
import { startLeonardoSim, type LeonardoSim } from '../sim/leonardo';
import { startViduSim, type ViduSim } from '../sim/vidu';
import { FAST_QUEUE, MemoryBackend, settled } from '../core/harness';

interface World {
  legnext: LegnextSim;
  leonardo: LeonardoSim;
  vidu: ViduSim;
  vault: Vault;
  backend: MemoryBackend;
  dir: string;
  call<K extends CallName>(name: K, req: CallRequest<K>): Promise<CallResponse<K>>;
  raw(name: CallName, req: unknown): Promise<CallResult<unknown>>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Three simulators and a Vault whose environment names only Legnext's base URL (unless `env` adds
 * more): Leonardo and Vidu are reached through Settings, as a person using the app reaches them.
 */
async function world(
  opts: {
    env?: (sims: { leonardo: LeonardoSim; vidu: ViduSim }) => Record<string, string>;
    keys?: boolean;
  } = {},
): Promise<World> {
  const [legnext, leonardo, vidu] = await Promise.all([
    startLegnextSim(),
    startLeonardoSim(),
    startViduSim(),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), 'genvault-api-providers-'));
  const backend = new MemoryBackend();
  backend.values.set('legnext', legnext.apiKey);
  if (opts.keys !== false) {
    backend.values.set('leonardo', leonardo.apiKey);
    backend.values.set('vidu', vidu.apiKey);
  }
  const env = { LEGNEXT_BASE_URL: legnext.url, ...opts.env?.({ leonardo, vidu }) };
  const dispatcher = new Agent({ connections: 16 });
  const vault = Vault.open({
    libraryDir: dir,
    secrets: new SecretStore(backend, env),
    env,
    dispatcher,
    queue: FAST_QUEUE,
  });
  const handlers: Handlers = createHandlers({ vault });
  cleanups.push(async () => {
    await vault.close();
    await dispatcher.close();
    await Promise.all([legnext.close(), leonardo.close(), vidu.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  await vault.start();
  const raw = (name: CallName, req: unknown) => dispatch(handlers, name, req);
  return {
    legnext,
    leonardo,
    vidu,
    vault,
    backend,
    dir,
    raw,
    async call(name, req) {
      const result = await raw(name, req);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
      return result.value as never;
    },
  };
}

async function pointAtSimulators(w: World): Promise<void> {
  await w.call('settings.set', {
    baseUrls: { legnext: '', leonardo: w.leonardo.baseUrl, vidu: w.vidu.url },
  });
}

async function midjourneyImage(w: World): Promise<JobView> {
  const job = w.vault.imagine('a lighthouse at dusk --ar 16:9');
  const done = await settled(w.vault, job.id);
  expect(done.outputs.filter((o) => o.state === 'archived')).toHaveLength(5);
  return done;
}

/** A world whose Settings point at the simulators, with one finished Midjourney image job in it. */
async function worldWithImage(): Promise<{ w: World; parent: JobView }> {
  const w = await world();
  await pointAtSimulators(w);
  return { w, parent: await midjourneyImage(w) };
}

/** A PNG stored the way `files.import` stores one: `<library>/inputs/<sha256>.png`. */
async function importedPng(w: World, color: string): Promise<{ ref: string; file: string; bytes: Buffer }> {
  const bytes = await sharp({ create: { width: 96, height: 64, channels: 3, background: color } })
    .png()
    .toBuffer();
  const sha = createHash('sha256').update(bytes).digest('hex');
  const file = path.join(w.dir, 'inputs', `${sha}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return { ref: `genvault-file:${sha}.png`, file, bytes };
}

function isMp4(file: string): boolean {
  return readFileSync(file).subarray(4, 8).toString('latin1') === 'ftyp';
}

/** The archived file of an image, from a JobView the Vault returned (absolute paths). */
function imagePath(job: JobView, index: number): string {
  return job.outputs.find((o) => o.kind === 'image' && o.index === index)!.path!;
}

describe('video.models', () => {
  it('lists every Leonardo and Vidu model with its durations, resolutions and inputs', async () => {
    const w = await world();
    const models = await w.call('video.models', {});
    expect(models.map((m) => m.id)).toEqual([...LEONARDO_MODEL_IDS, ...VIDU_MODEL_IDS]);

    const byId = new Map(models.map((m) => [m.id, m]));
    expect(byId.get('KLING2_1')).toMatchObject({
      provider: 'leonardo',
      label: 'Kling 2.1 Pro',
      accepts: { image: true, lastFrame: true, references: 0, textOnly: false },
      durations: [5, 10],
      defaultDuration: 5,
      resolutions: ['1080p'],
      defaultResolution: '1080p',
      audio: false,
    });
    expect(byId.get('KLING2_5')!.accepts.lastFrame).toBe(false);
    expect(byId.get('MOTION2')).toMatchObject({
      durations: [5],
      resolutions: ['480p', '720p'],
      defaultResolution: '480p',
    });
    expect(byId.get('MOTION2')!.note).toMatch(/^Makes 5-second clips\./);
    expect(byId.get('VEO3')).toMatchObject({ durations: [4, 6, 8], defaultDuration: 8 });
    for (const id of LEONARDO_MODEL_IDS) {
      expect(byId.get(id)!.durations).toEqual([...LEONARDO_MODELS[id].durations]);
    }

    expect(byId.get('viduq3p-720p')).toMatchObject({
      provider: 'vidu',
      accepts: { image: true, lastFrame: true, references: 4, textOnly: true },
      durations: Array.from({ length: 16 }, (_, i) => i + 1),
      defaultDuration: 5,
      resolutions: ['720p'],
      aspectRatios: ['16:9', '9:16', '1:1'],
      audio: true,
    });
    expect(byId.get('viduq3t-1080p-offpeak')!.note).toMatch(/^Off-peak/);
    expect(models.every((m) => m.note !== null && m.note.length > 0)).toBe(true);
  });
});

describe('keys for Leonardo and UniAll', () => {
  it('checks a Leonardo key with GET /me before storing it; stores a UniAll key after a form check', async () => {
    const w = await world({ keys: false });
    await pointAtSimulators(w);

    const wrong = await w.raw('keys.set', { provider: 'leonardo', key: 'not-the-right-key-1234' });
    expect(wrong).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: 'Leonardo did not accept this API key; check that it was copied whole.',
        field: 'key',
      },
    });
    expect(w.backend.values.has('leonardo')).toBe(false);
    const checks = w.leonardo.requests.filter((r) => r.path === '/api/rest/v1/me');
    expect(checks).toHaveLength(1);
    expect(checks[0]!.headers.authorization).toBe('Bearer ****1234');

    const status = await w.call('keys.set', { provider: 'leonardo', key: w.leonardo.apiKey });
    expect(status).toMatchObject({
      provider: 'leonardo',
      set: true,
      last4: w.leonardo.apiKey.slice(-4),
      source: 'keychain',
    });
    expect(JSON.stringify(status)).not.toContain(w.leonardo.apiKey);
    expect(w.backend.values.get('leonardo')).toBe(w.leonardo.apiKey);

    const spaced = await w.raw('keys.set', { provider: 'vidu', key: 'sk-uniall with space' });
    expect(spaced).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'key' } });
    expect(w.backend.values.has('vidu')).toBe(false);
    expect(await w.call('keys.set', { provider: 'vidu', key: w.vidu.apiKey })).toMatchObject({
      provider: 'vidu',
      set: true,
      last4: w.vidu.apiKey.slice(-4),
    });
    expect(w.backend.values.get('vidu')).toBe(w.vidu.apiKey);
    // UniAll has no free call to check a key with: nothing was sent.
    expect(w.vidu.requests).toHaveLength(0);

    expect(await w.call('keys.clear', { provider: 'leonardo' })).toMatchObject({ set: false, last4: null });
    expect(w.backend.values.has('leonardo')).toBe(false);
  });

  it('says when Leonardo cannot be reached to check a key, and stores nothing', async () => {
    const w = await world({ keys: false });
    await w.call('settings.set', {
      baseUrls: { legnext: '', leonardo: `${w.leonardo.url}/api/rest/v1`, vidu: '' },
    });
    await w.leonardo.close();
    const result = await w.raw('keys.set', { provider: 'leonardo', key: w.leonardo.apiKey });
    expect(result).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(w.backend.values.has('leonardo')).toBe(false);
  });
});

describe('base URLs', () => {
  it('sends the next request to a base URL saved in Settings, without a restart', async () => {
    const w = await world();
    const before = await w.call('providers.endpoints', {});
    expect(before.find((e) => e.provider === 'leonardo')).toEqual({
      provider: 'leonardo',
      url: 'https://cloud.leonardo.ai/api/rest/v1',
      defaultUrl: 'https://cloud.leonardo.ai/api/rest/v1',
      source: 'default',
      envVar: 'LEONARDO_BASE_URL',
    });
    expect(before.find((e) => e.provider === 'vidu')).toMatchObject({
      url: null,
      defaultUrl: null,
      source: 'none',
      envVar: 'UNIALL_BASE_URL',
    });
    expect(before.find((e) => e.provider === 'legnext')).toMatchObject({
      url: w.legnext.url,
      source: 'env',
    });

    // Without a gateway URL a Vidu video is refused before anything is stored or sent.
    const noGateway = await w.raw('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3t-540p',
      prompt: 'waves at night',
    });
    expect(noGateway).toMatchObject({ ok: false, error: { kind: 'invalid' } });

    const saved = await w.call('settings.set', {
      baseUrls: { legnext: '', leonardo: `${w.leonardo.baseUrl}/`, vidu: `${w.vidu.url}/v1` },
    });
    expect(saved.baseUrls.vidu).toBe(`${w.vidu.url}/v1`);
    const after = await w.call('providers.endpoints', {});
    expect(after.find((e) => e.provider === 'leonardo')).toMatchObject({
      url: w.leonardo.baseUrl,
      source: 'settings',
    });
    // The trailing /v1 of an OpenAI-style gateway URL is GenVault's own path, so it is dropped.
    expect(after.find((e) => e.provider === 'vidu')).toMatchObject({ url: w.vidu.url, source: 'settings' });

    const job = await w.call('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3t-540p',
      prompt: 'waves at night',
      duration: 3,
    });
    expect((await settled(w.vault, job.id)).status).toBe('completed');
    expect(w.vidu.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    // Blank again: back to the public default for Leonardo, and no gateway for Vidu.
    await w.call('settings.set', { baseUrls: { legnext: '', leonardo: '', vidu: '' } });
    const reset = await w.call('providers.endpoints', {});
    expect(reset.find((e) => e.provider === 'leonardo')).toMatchObject({ source: 'default' });
    expect(reset.find((e) => e.provider === 'vidu')).toMatchObject({ url: null, source: 'none' });
  });

  it('refuses a base URL no client could use, naming the field, and keeps the one in use', async () => {
    const w = await world();
    await pointAtSimulators(w);
    const bad = await w.raw('settings.set', {
      baseUrls: { legnext: '', leonardo: 'http://[not-a-host', vidu: w.vidu.url },
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'baseUrls.leonardo' } });
    expect((await w.call('settings.get', {})).baseUrls.leonardo).toBe(w.leonardo.baseUrl);
    expect((await w.call('providers.endpoints', {})).find((e) => e.provider === 'leonardo')?.url).toBe(
      w.leonardo.baseUrl,
    );
  });

  it('keeps a base URL set by the environment, whatever Settings say', async () => {
    const w = await world({ keys: false, env: ({ leonardo }) => ({ LEONARDO_BASE_URL: leonardo.baseUrl }) });
    // A port nothing listens on: were it used, the key check below could not reach Leonardo.
    await w.call('settings.set', {
      baseUrls: { legnext: '', leonardo: 'http://127.0.0.1:9/api/rest/v1', vidu: '' },
    });
    expect((await w.call('settings.get', {})).baseUrls.leonardo).toBe('http://127.0.0.1:9/api/rest/v1');
    expect((await w.call('providers.endpoints', {})).find((e) => e.provider === 'leonardo')).toMatchObject({
      url: w.leonardo.baseUrl,
      source: 'env',
    });
    await w.call('keys.set', { provider: 'leonardo', key: w.leonardo.apiKey });
    expect(w.leonardo.requests.filter((r) => r.path === '/api/rest/v1/me')).toHaveLength(1);
  });
});

describe('jobs.videoWith', () => {
  it('animates a library image with Leonardo Kling 2.1, with an imported file as the end frame', async () => {
    const { w, parent } = await worldWithImage();
    const end = await importedPng(w, '#2b4c7e');

    const job = await w.call('jobs.videoWith', {
      provider: 'leonardo',
      model: 'KLING2_1',
      prompt: 'the lighthouse beam sweeps across the waves',
      from: { kind: 'output', jobId: parent.id, index: 1 },
      last: { kind: 'file', ref: end.ref },
      duration: 10,
      resolution: '1080p',
      negativePrompt: 'blur',
      seed: 42,
      promptEnhance: true,
    });
    expect(job).toMatchObject({
      provider: 'leonardo',
      taskType: 'image_to_video',
      parent: { id: parent.id, index: 1 },
    });
    // Paths cross the boundary relative to the library, like every other JobView.
    expect(job.outputs.every((o) => o.path === null || !path.isAbsolute(o.path))).toBe(true);

    const done = await settled(w.vault, job.id);
    expect(done.status).toBe('completed');
    const video = done.outputs[0]!;
    expect(video).toMatchObject({ kind: 'video', state: 'archived' });
    expect(isMp4(video.path!)).toBe(true);

    const sent = w.leonardo.requests.find((r) => r.path.endsWith('/generations-image-to-video'))!.body as {
      imageId: string;
      endFrameImage: { id: string; type: string };
    };
    expect(sent).toMatchObject({
      imageType: 'UPLOADED',
      model: 'KLING2_1',
      duration: 10,
      resolution: 'RESOLUTION_1080',
      negativePrompt: 'blur',
      seed: 42,
      promptEnhance: true,
      endFrameImage: { type: 'UPLOADED' },
    });
    expect(w.leonardo.initImage(sent.imageId)?.bytes?.equals(readFileSync(imagePath(parent, 1)))).toBe(true);
    expect(w.leonardo.initImage(sent.endFrameImage.id)?.bytes?.equals(end.bytes)).toBe(true);
    expect(w.vault.library.children(parent.id).map((e) => [e.childId, e.parentIndex])).toEqual([[job.id, 1]]);

    // Midjourney's follow-ups do not apply to a Leonardo video, whatever the caller asks.
    const extend = await w.raw('jobs.followUp', { op: 'extend-video', id: job.id, index: 0, options: {} });
    expect(extend).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: expect.stringContaining('made with Leonardo') },
    });
  });

  it('animates an image URL with Leonardo, following the redirect its host answers with', async () => {
    const { w, parent } = await worldWithImage();
    const cdnUrl = parent.outputs.find((o) => o.kind === 'image' && o.index === 0)!.url!;
    // An image host that redirects to where the bytes are, as CDNs and share links do.
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location: cdnUrl }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => redirector.close(() => resolve())));
    const { port } = redirector.address() as AddressInfo;

    const job = await w.call('jobs.videoWith', {
      provider: 'leonardo',
      model: 'MOTION2',
      prompt: 'the tide comes in',
      from: { kind: 'url', url: `http://127.0.0.1:${port}/share/lighthouse.png` },
    });
    expect((await settled(w.vault, job.id)).status).toBe('completed');
    const sent = w.leonardo.requests.find((r) => r.path.endsWith('/generations-image-to-video'))!.body as {
      imageId: string;
    };
    expect(w.leonardo.initImage(sent.imageId)?.bytes?.equals(readFileSync(imagePath(parent, 0)))).toBe(true);
  });

  it('makes a Vidu first-and-last-frame video from a library image and an imported file', async () => {
    const { w, parent } = await worldWithImage();
    const last = await importedPng(w, '#e0a030');

    const job = await w.call('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3p-720p',
      prompt: 'dusk turns to night',
      from: { kind: 'output', jobId: parent.id, index: 0 },
      last: { kind: 'file', ref: last.ref },
      duration: 4,
      resolution: '720p',
      audio: true,
      bgm: false,
      seed: 7,
    });
    expect(job).toMatchObject({
      provider: 'vidu',
      taskType: 'start_end_to_video',
      parent: { id: parent.id },
    });
    const done = await settled(w.vault, job.id);
    expect(done.outputs[0]).toMatchObject({ kind: 'video', state: 'archived' });

    const sent = w.vidu.requests.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'viduq3p-720p',
      duration: 4,
      extra_body: { audio: true, bgm: false, seed: 7 },
    });
    expect(sent.image).toBe(`data:image/png;base64,${readFileSync(imagePath(parent, 0)).toString('base64')}`);
    expect(sent.last_image).toBe(`data:image/png;base64,${last.bytes.toString('base64')}`);
    // The library keeps references to the files, not the inlined bytes.
    const stored = w.vault.library.getJob(job.id)!.request!.body as { last_image: string };
    expect(stored.last_image).toBe(`genvault-file:inputs/${path.basename(last.file)}`);
  });

  it('sends an image URL as it is, and mixes all three kinds as Vidu reference images', async () => {
    const { w, parent } = await worldWithImage();
    const url = parent.outputs.find((o) => o.kind === 'image' && o.index === 2)!.url!;
    const file = await importedPng(w, '#6a2b7e');

    const fromUrl = await w.call('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3t-540p',
      prompt: 'gulls circle the tower',
      from: { kind: 'url', url },
    });
    expect(fromUrl.parent).toBeNull();
    expect((await settled(w.vault, fromUrl.id)).status).toBe('completed');
    const first = w.vidu.requests.find((r) => r.method === 'POST')!.body as { image: string };
    expect(first.image).toBe(url);

    const refs = await w.call('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3p-1080p',
      prompt: '@Image1 stands in the style of @Image3',
      refs: [
        { kind: 'output', jobId: parent.id, index: 3 },
        { kind: 'url', url },
        { kind: 'file', ref: file.ref },
      ],
      aspectRatio: '1:1',
      duration: 6,
    });
    expect(refs.taskType).toBe('reference_to_video');
    expect((await settled(w.vault, refs.id)).status).toBe('completed');
    const second = w.vidu.requests.filter((r) => r.method === 'POST')[1]!.body as {
      reference_image_urls: string[];
      aspect_ratio: string;
    };
    expect(second.aspect_ratio).toBe('1:1');
    expect(second.reference_image_urls).toHaveLength(3);
    expect(second.reference_image_urls[0]!.startsWith('data:image/png;base64,')).toBe(true);
    expect(second.reference_image_urls[1]).toBe(url);
    expect(second.reference_image_urls[2]).toBe(`data:image/png;base64,${file.bytes.toString('base64')}`);
    expect(w.vault.library.parents(refs.id).map((e) => [e.parentId, e.parentIndex])).toEqual([
      [parent.id, 3],
    ]);
  });

  it('makes a Vidu text-to-video with no image at all', async () => {
    const w = await world();
    await pointAtSimulators(w);
    const job = await w.call('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3t-720p',
      prompt: 'a paper boat drifts down a rainy street',
      aspectRatio: '9:16',
      duration: 2,
      bgm: true,
    });
    expect(job).toMatchObject({ provider: 'vidu', taskType: 'text_to_video', parent: null });
    const done = await settled(w.vault, job.id);
    expect(done.outputs[0]).toMatchObject({ kind: 'video', state: 'archived' });
    expect(w.vidu.requests.find((r) => r.method === 'POST')!.body).toMatchObject({
      aspect_ratio: '9:16',
      duration: 2,
      extra_body: { bgm: true },
    });
  });

  it('refuses before sending: a missing imported file, a resolution the Vidu model does not make', async () => {
    const { w, parent } = await worldWithImage();
    const gone = await importedPng(w, '#123456');
    rmSync(gone.file);
    expect(existsSync(gone.file)).toBe(false);

    const missing = await w.raw('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3p-720p',
      prompt: 'x',
      from: { kind: 'output', jobId: parent.id, index: 0 },
      last: { kind: 'file', ref: gone.ref },
    });
    expect(missing).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: "The image given as last is no longer in the library's inputs folder; add it again.",
        field: 'last',
      },
    });

    const wrongResolution = await w.raw('jobs.videoWith', {
      provider: 'vidu',
      model: 'viduq3p-720p',
      prompt: 'x',
      resolution: '1080p',
    });
    expect(wrongResolution).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'resolution' } });

    const kling25End = await w.raw('jobs.videoWith', {
      provider: 'leonardo',
      model: 'KLING2_5',
      prompt: 'x',
      from: { kind: 'output', jobId: parent.id, index: 0 },
      duration: 7,
    });
    expect(kling25End).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'duration' } });

    expect(w.vidu.requests).toHaveLength(0);
    expect(w.leonardo.requests.filter((r) => r.path.endsWith('/generations-image-to-video'))).toHaveLength(0);
  });
});
