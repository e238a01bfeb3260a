import { afterEach, describe, expect, it } from 'vitest';
import { startLegnextSim, type LegnextSim } from './legnext/index';
import { FINISH_MS, finished, post, submit, type ErrorJson, type JobJson } from './support';

const DAY = 24 * 60 * 60 * 1000;

let sims: LegnextSim[] = [];
async function sim(): Promise<LegnextSim> {
  const s = await startLegnextSim({
    durations: { pending: 0, staged: 0, processing: 1000 },
    maxConcurrent: 100,
  });
  sims.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function rejected(s: LegnextSim, endpoint: string, body: unknown): Promise<string> {
  const r = await post(s, endpoint, body);
  expect(r.status, r.text).toBe(400);
  return (r.json as ErrorJson).message;
}

describe('follow-ups', () => {
  it('need an existing, completed parent of the same account', async () => {
    const s = await sim();
    expect(
      await rejected(s, 'upscale', { jobId: '00000000-0000-4000-8000-000000000000', imageNo: 0, type: 0 }),
    ).toMatch(/jobId .* does not match any job/);

    const running = await submit(s, 'diffusion', { text: 'not yet' });
    expect(await rejected(s, 'upscale', { jobId: running.job_id, imageNo: 0, type: 0 })).toMatch(
      /not completed/,
    );

    const failed = await finished(s, 'diffusion', { text: 'doomed simulate:fail' });
    expect(failed.status).toBe('failed');
    expect(await rejected(s, 'variation', { jobId: failed.job_id, imageNo: 0, type: 1 })).toMatch(/failed/);

    const foreign = s.seedJob({ taskType: 'diffusion', apiKey: 'another-account' });
    expect(await rejected(s, 'upscale', { jobId: foreign, imageNo: 0, type: 0 })).toMatch(
      /does not match any job/,
    );
  });

  it('close 3 days after the parent was created (sim clock)', async () => {
    const s = await sim();
    const grid = await finished(s, 'diffusion', { text: 'a harbour' });
    s.clock.advance(3 * DAY - FINISH_MS - 60_000);
    expect((await post(s, 'upscale', { jobId: grid.job_id, imageNo: 0, type: 0 })).status).toBe(200);
    s.clock.advance(60_000);
    expect(await rejected(s, 'upscale', { jobId: grid.job_id, imageNo: 1, type: 0 })).toMatch(
      /follow-up window .* has ended/,
    );

    const old = s.seedJob({ taskType: 'diffusion', createdAt: s.clock.now() - 4 * DAY });
    expect(await rejected(s, 'reroll', { jobId: old })).toMatch(/follow-up window/);
  });

  it('accept only images the parent lists under that action in available_actions', async () => {
    const s = await sim();
    const grid = await finished(s, 'diffusion', { text: 'a teapot' });
    const upscaled = await finished(s, 'upscale', { jobId: grid.job_id, imageNo: 2, type: 0 });
    expect(upscaled.output.available_actions).toEqual({
      edit: [0],
      inpaint: [0],
      outpaint: [0],
      pan: [0],
      remix: [0],
      reroll: false,
      variation: [0],
    });
    expect((await post(s, 'variation', { jobId: upscaled.job_id, imageNo: 0, type: 1 })).status).toBe(200);
    expect(
      (await post(s, 'pan', { jobId: upscaled.job_id, imageNo: 0, direction: 2, scale: 2 })).status,
    ).toBe(200);
    expect(await rejected(s, 'variation', { jobId: upscaled.job_id, imageNo: 1, type: 1 })).toMatch(
      /imageNo 1/,
    );
    expect(await rejected(s, 'upscale', { jobId: upscaled.job_id, imageNo: 0, type: 1 })).toMatch(
      /does not allow upscale/,
    );
    expect(await rejected(s, 'reroll', { jobId: upscaled.job_id })).toMatch(/does not allow reroll/);

    const cutout = await finished(s, 'remove-background', { imgUrl: 'https://img.test/t.png' });
    expect(cutout.output.available_actions).toEqual({});
    expect(await rejected(s, 'remix', { jobId: cutout.job_id, imageNo: 0, remixPrompt: 'x' })).toMatch(
      /does not allow remix/,
    );

    const described = await finished(s, 'describe', { imgUrl: 'https://img.test/t.png' });
    expect(await rejected(s, 'upscale', { jobId: described.job_id, imageNo: 0, type: 0 })).toMatch(
      /made no images/,
    );
  });

  it('reroll repeats the parent prompt at its price', async () => {
    const s = await sim();
    const premium = await finished(s, 'diffusion', { text: 'a comet --v 8 --hd' });
    const reroll = await finished(s, 'reroll', { jobId: premium.job_id });
    expect(reroll.task_type).toBe('reroll');
    expect(reroll.meta.usage.frozen).toBe(320);
    expect(reroll.output.image_urls).toHaveLength(4);
  });

  it('allow enhance only on a --v 7 --draft parent', async () => {
    const s = await sim();
    const normal = await finished(s, 'diffusion', { text: 'a bridge --v 7' });
    expect(normal.output.available_actions?.enhance).toBeUndefined();
    expect(await rejected(s, 'enhance', { jobId: normal.job_id, imageNo: 0 })).toMatch(/--v 7 --draft/);

    const draft = await finished(s, 'diffusion', { text: 'a bridge --v 7 --draft' });
    expect(draft.output.available_actions?.enhance).toEqual([0, 1, 2, 3]);
    const enhanced = await finished(s, 'enhance', { jobId: draft.job_id, imageNo: 3 });
    expect(enhanced.status).toBe('completed');
    expect(enhanced.output.image_urls).toHaveLength(4);
  });

  it('allow at most 4 extensions in one video chain, counting through upscales', async () => {
    const s = await sim();
    const grid = await finished(s, 'diffusion', { text: 'a kite' });
    let video: JobJson = await finished(s, 'video-diffusion', {
      jobId: grid.job_id,
      imageNo: 0,
      prompt: 'fly --bs 1',
    });
    for (let i = 1; i <= 4; i++) {
      video = await finished(s, 'extend-video', { jobId: video.job_id, videoNo: 0 });
      expect(video.status, `extension ${i}`).toBe('completed');
      if (i === 2) video = await finished(s, 'video-upscale', { jobId: video.job_id, videoNo: 0 });
    }
    expect(await rejected(s, 'extend-video', { jobId: video.job_id, videoNo: 0 })).toMatch(
      /extended 4 times/,
    );
    expect((await post(s, 'video-upscale', { jobId: video.job_id, videoNo: 0 })).status).toBe(200);
  });

  it('need a video parent with that videoNo for video operations, and an image parent to animate', async () => {
    const s = await sim();
    const grid = await finished(s, 'diffusion', { text: 'a lantern' });
    const pair = await finished(s, 'video-diffusion', {
      jobId: grid.job_id,
      imageNo: 1,
      prompt: 'glow --bs 2',
    });
    expect((await post(s, 'extend-video', { jobId: pair.job_id, videoNo: 1 })).status).toBe(200);
    expect(await rejected(s, 'extend-video', { jobId: pair.job_id, videoNo: 2 })).toMatch(/videoNo 2/);
    expect(await rejected(s, 'video-upscale', { jobId: grid.job_id, videoNo: 0 })).toMatch(/not a video job/);
    expect(await rejected(s, 'video-diffusion', { jobId: pair.job_id, imageNo: 0 })).toMatch(
      /made no images/,
    );
    expect(await rejected(s, 'enhance-upscale', { jobId: pair.job_id, imageNo: 0 })).toMatch(
      /made no images/,
    );
  });
});
