import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLegnextSim, type LegnextSim } from './legnext/index';
import { fetchBytes, finished, getJob, submit, type JobJson } from './support';

const DAY = 24 * 60 * 60 * 1000;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let sim: LegnextSim;
let grid: JobJson;
let videos: JobJson;

beforeAll(async () => {
  sim = await startLegnextSim({ durations: { pending: 0, staged: 0, processing: 1000 }, maxConcurrent: 100 });
  grid = await finished(sim, 'diffusion', { text: 'a stained glass owl' });
  videos = await finished(sim, 'video-diffusion', { jobId: grid.job_id, imageNo: 0, prompt: 'blink --bs 2' });
});
afterAll(async () => {
  await sim.close();
});

function urls(job: JobJson): string[] {
  return job.output.image_urls ?? [];
}

describe('CDN images', () => {
  it('serves the grid and its four images as decodable PNGs of realistic size', async () => {
    const g = await fetchBytes(grid.output.image_url ?? '');
    expect(g.status).toBe(200);
    expect(g.headers['content-type']).toBe('image/png');
    expect(Number(g.headers['content-length'])).toBe(g.bytes.length);
    const gm = await sharp(g.bytes).metadata();
    expect([gm.format, gm.width, gm.height]).toEqual(['png', 1024, 1024]);
    expect(g.bytes.length).toBeGreaterThan(100_000);
    expect(g.bytes.length).toBeLessThan(2_000_000);

    const images = await Promise.all(urls(grid).map((u) => fetchBytes(u)));
    for (const img of images) {
      expect(img.status).toBe(200);
      const m = await sharp(img.bytes).metadata();
      expect([m.format, m.width, m.height]).toEqual(['png', 512, 512]);
    }
    expect(new Set(images.map((i) => sha(i.bytes))).size).toBe(4);
  });

  it('serves the same bytes on every fetch, and grid quadrants equal the images', async () => {
    const [first, second] = [await fetchBytes(urls(grid)[3] ?? ''), await fetchBytes(urls(grid)[3] ?? '')];
    expect(sha(first.bytes)).toBe(sha(second.bytes));
    expect(first.headers.etag).toBe(second.headers.etag);

    const gridBytes = (await fetchBytes(grid.output.image_url ?? '')).bytes;
    const quadrant = await sharp(gridBytes)
      .extract({ left: 512, top: 512, width: 512, height: 512 })
      .raw()
      .toBuffer();
    const image = await sharp(first.bytes).raw().toBuffer();
    expect(quadrant.equals(image)).toBe(true);
  });

  it('sizes images by --ar, upscales to 1024 and gives background removal an alpha channel', async () => {
    const wide = await finished(sim, 'diffusion', { text: 'a panorama --ar 16:9' });
    const wm = await sharp((await fetchBytes(wide.output.image_url ?? '')).bytes).metadata();
    expect([wm.width, wm.height]).toEqual([1024, 576]);

    const up = await finished(sim, 'upscale', { jobId: wide.job_id, imageNo: 0, type: 0 });
    const um = await sharp((await fetchBytes(up.output.image_url ?? '')).bytes).metadata();
    expect([um.width, um.height]).toEqual([1024, 576]);

    const cut = await finished(sim, 'remove-background', { imgUrl: 'https://img.test/owl.png' });
    const cm = await sharp((await fetchBytes(cut.output.image_url ?? '')).bytes).metadata();
    expect(cm.hasAlpha).toBe(true);
  });

  it('answers HEAD with the headers only', async () => {
    const full = await fetchBytes(urls(grid)[0] ?? '');
    const head = await fetchBytes(urls(grid)[0] ?? '', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(full.bytes.length);
    expect(head.headers['accept-ranges']).toBe('bytes');
  });
});

describe('CDN videos', () => {
  it('serves real MP4s, distinct per video', async () => {
    const [a, b] = await Promise.all((videos.output.video_urls ?? []).map((u) => fetchBytes(u)));
    for (const v of [a, b]) {
      expect(v?.status).toBe(200);
      expect(v?.headers['content-type']).toBe('video/mp4');
      expect(v?.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(v?.bytes.length).toBeGreaterThan(1000);
    }
    expect(sha(a?.bytes ?? Buffer.alloc(0))).not.toBe(sha(b?.bytes ?? Buffer.alloc(0)));
  });
});

describe('CDN ranges', () => {
  it('returns the requested slice with 206 and Content-Range, and resuming rebuilds the file', async () => {
    const url = videos.output.video_urls?.[1] ?? '';
    const full = (await fetchBytes(url)).bytes;
    const mid = await fetchBytes(url, { range: 'bytes=100-199' });
    expect(mid.status).toBe(206);
    expect(mid.headers['content-range']).toBe(`bytes 100-199/${full.length}`);
    expect(Number(mid.headers['content-length'])).toBe(100);
    expect(mid.bytes.equals(full.subarray(100, 200))).toBe(true);

    const cut = 1234;
    const head = await fetchBytes(url, { range: `bytes=0-${cut - 1}` });
    const rest = await fetchBytes(url, { range: `bytes=${cut}-` });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes ${cut}-${full.length - 1}/${full.length}`);
    expect(Buffer.concat([head.bytes, rest.bytes]).equals(full)).toBe(true);

    const tail = await fetchBytes(url, { range: 'bytes=-50' });
    expect(tail.bytes.equals(full.subarray(full.length - 50))).toBe(true);

    const beyond = await fetchBytes(url, { range: `bytes=${full.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${full.length}`);
  });
});

describe('CDN availability', () => {
  it('serves nothing for unknown files, unfinished jobs or indexes a job did not make', async () => {
    expect((await fetchBytes(`${sim.url}/cdn/mj/00000000-0000-4000-8000-000000000000_0.png`)).status).toBe(
      404,
    );
    expect((await fetchBytes(`${sim.url}/cdn/mj/${grid.job_id}_4.png`)).status).toBe(404);
    expect((await fetchBytes(`${sim.url}/cdn/video/${videos.job_id}_2.mp4`)).status).toBe(404);
    expect((await fetchBytes(`${sim.url}/cdn/elsewhere.txt`)).status).toBe(404);
    const pending = await submit(sim, 'diffusion', { text: 'still rendering' });
    expect((await fetchBytes(`${sim.url}/cdn/temp/${pending.job_id}.png`)).status).toBe(404);
  });

  it('deletes outputs 30 days after the job was created (sim clock)', async () => {
    const createdAt = sim.clock.now() - 30 * DAY + 60_000;
    const id = sim.seedJob({ taskType: 'diffusion', prompt: 'an old job', createdAt });
    const job = await getJob(sim, id);
    const url = urls(job)[2] ?? '';
    expect((await fetchBytes(url)).status).toBe(200);
    sim.clock.advance(60_000);
    const gone = await fetchBytes(url);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.bytes.toString())).toMatchObject({ code: 404 });
    expect((await fetchBytes(job.output.image_url ?? '')).status).toBe(404);
  });
});
