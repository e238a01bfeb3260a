/**
 * End to end across providers: a Midjourney image made through the Legnext simulator, animated with
 * Leonardo (init-image upload path) and with Vidu (first-and-last frame, images inlined from the
 * library), each video archived and linked to its Midjourney parent in the lineage.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { SecretStore } from '../../src/main/core/secrets';
import { Vault } from '../../src/main/core/vault';
import { InvalidInputError } from '../../src/main/core/errors';
import { startLegnextSim, type LegnextSim } from '../sim/legnext';
import { startLeonardoSim, type LeonardoSim } from '../sim/leonardo';
import { startViduSim, type ViduSim } from '../sim/vidu';
import { FAST_QUEUE, MemoryBackend, settled } from './harness';

interface World {
  legnext: LegnextSim;
  leonardo: LeonardoSim;
  vidu: ViduSim;
  vault: Vault;
  dir: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(): Promise<World> {
  const [legnext, leonardo, vidu] = await Promise.all([
    startLegnextSim(),
    startLeonardoSim(),
    startViduSim(),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), 'genvault-providers-'));
  const backend = new MemoryBackend();
  backend.values.set('legnext', legnext.apiKey);
  backend.values.set('leonardo', leonardo.apiKey);
  backend.values.set('vidu', vidu.apiKey);
  const dispatcher = new Agent({ connections: 16 });
  const vault = Vault.open({
    libraryDir: dir,
    secrets: new SecretStore(backend, {}),
    env: { LEGNEXT_BASE_URL: legnext.url, LEONARDO_BASE_URL: leonardo.baseUrl, UNIALL_BASE_URL: vidu.url },
    dispatcher,
    queue: FAST_QUEUE,
  });
  cleanups.push(async () => {
    await vault.close();
    await dispatcher.close();
    await Promise.all([legnext.close(), leonardo.close(), vidu.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  await vault.start();
  return { legnext, leonardo, vidu, vault, dir };
}

async function midjourneyImage(w: World) {
  const job = w.vault.imagine('a lighthouse at dusk --ar 16:9');
  const done = await settled(w.vault, job.id);
  expect(done.outputs.filter((o) => o.state === 'archived')).toHaveLength(5);
  return done;
}

function isMp4(file: string): boolean {
  return readFileSync(file).subarray(4, 8).toString('latin1') === 'ftyp';
}

describe('videos from other providers', () => {
  it('animates a Midjourney image with Leonardo: uploaded as an init image, archived, linked', async () => {
    const w = await world();
    const parent = await midjourneyImage(w);
    const job = await w.vault.videoWith({
      provider: 'leonardo',
      prompt: 'slow push in, waves rolling',
      from: `${parent.id}:2`,
      model: 'KLING2_5',
      duration: 5,
    });
    expect(job).toMatchObject({
      provider: 'leonardo',
      taskType: 'image_to_video',
      parent: { id: parent.id, index: 2 },
    });

    // The archived file was uploaded through the presigned form, without the Bearer token.
    const upload = w.leonardo.requests.find((r) => r.method === 'POST' && r.path.startsWith('/upload/'));
    expect(upload).toBeDefined();
    expect(upload!.headers.authorization).toBeUndefined();
    const done = await settled(w.vault, job.id);
    expect(done.status).toBe('completed');
    const generation = w.leonardo.requests.find((r) => r.path.endsWith('/generations-image-to-video'));
    expect(generation!.body).toMatchObject({ imageType: 'UPLOADED', model: 'KLING2_5', duration: 5 });
    const uploadedId = (generation!.body as { imageId: string }).imageId;
    const parentFile = parent.outputs.find((o) => o.kind === 'image' && o.index === 2)!.path!;
    expect(w.leonardo.initImage(uploadedId)?.bytes?.equals(readFileSync(parentFile))).toBe(true);

    const video = done.outputs[0]!;
    expect(video).toMatchObject({ kind: 'video', state: 'archived' });
    expect(isMp4(video.path!)).toBe(true);
    expect(w.vault.library.children(parent.id).map((e) => e.childId)).toContain(job.id);
  });

  it('makes a Vidu first-and-last-frame video from two library images, inlined from disk', async () => {
    const w = await world();
    const parent = await midjourneyImage(w);
    const job = await w.vault.videoWith({
      provider: 'vidu',
      prompt: 'day turns to night',
      from: `${parent.id}:0`,
      last: `${parent.id}:3`,
      model: 'viduq3t-720p',
      duration: 4,
    });
    expect(job).toMatchObject({
      provider: 'vidu',
      taskType: 'start_end_to_video',
      parent: { id: parent.id, index: 0 },
    });

    const done = await settled(w.vault, job.id);
    expect(done.outputs[0]).toMatchObject({ kind: 'video', state: 'archived' });
    expect(isMp4(done.outputs[0]!.path!)).toBe(true);

    // Sent inline as data URIs; stored in the library only as references to the files.
    const sent = w.vidu.requests.find((r) => r.method === 'POST')!.body as {
      image: string;
      last_image: string;
    };
    const first = readFileSync(parent.outputs.find((o) => o.kind === 'image' && o.index === 0)!.path!);
    expect(sent.image).toBe(`data:image/png;base64,${first.toString('base64')}`);
    expect(sent.last_image.startsWith('data:image/png;base64,')).toBe(true);
    const stored = w.vault.library.getJob(job.id)!.request!.body as { image: string };
    expect(stored.image).toMatch(/^genvault-file:media\/\d{4}\/\d{2}\/.+\/0\.png$/);
    expect(readFileSync(path.join(w.dir, 'genvault.db')).includes('base64,')).toBe(false);

    const parents = w.vault.library.parents(job.id).map((e) => [e.parentId, e.parentIndex]);
    expect(parents).toEqual([
      [parent.id, 0],
      [parent.id, 3],
    ]);
  });

  it('copies a file from disk into the library inputs for a Vidu image-to-video', async () => {
    const w = await world();
    const parent = await midjourneyImage(w);
    const outside = path.join(mkdtempSync(path.join(tmpdir(), 'genvault-outside-')), 'cat.png');
    const { copyFileSync } = await import('node:fs');
    copyFileSync(parent.outputs.find((o) => o.kind === 'image')!.path!, outside);
    const job = await w.vault.videoWith({
      provider: 'vidu',
      prompt: 'the cat blinks',
      from: outside,
      model: 'viduq3p-540p',
    });
    const stored = w.vault.library.getJob(job.id)!.request!.body as { image: string };
    const rel = stored.image.replace('genvault-file:', '');
    expect(rel).toMatch(/^inputs\/[0-9a-f]{64}\.png$/);
    expect(existsSync(path.join(w.dir, rel))).toBe(true);
    expect((await settled(w.vault, job.id)).status).toBe('completed');
    rmSync(path.dirname(outside), { recursive: true, force: true });
  });

  it('refuses before sending: Leonardo without an image, Vidu reference images with a first frame', async () => {
    const w = await world();
    const parent = await midjourneyImage(w);
    await expect(w.vault.videoWith({ provider: 'leonardo', prompt: 'x' })).rejects.toThrow(InvalidInputError);
    await expect(
      w.vault.videoWith({
        provider: 'vidu',
        prompt: 'x',
        model: 'viduq3p-720p',
        from: `${parent.id}:0`,
        refs: [`${parent.id}:1`],
      }),
    ).rejects.toThrow(/referenceImages cannot be combined/);
    expect(w.leonardo.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(w.vidu.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
