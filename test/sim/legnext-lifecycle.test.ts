import { afterEach, describe, expect, it } from 'vitest';
import { startLegnextSim, type LegnextSim, type LegnextSimOptions } from './legnext/index';
import {
  FINISH_MS,
  FROZEN_DURATIONS,
  call,
  finished,
  getJob,
  post,
  submit,
  type ErrorJson,
  type JobJson,
} from './support';

const ZERO = '0001-01-01T00:00:00Z';
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let sims: LegnextSim[] = [];
async function sim(opts: LegnextSimOptions = {}): Promise<LegnextSim> {
  const s = await startLegnextSim({ durations: FROZEN_DURATIONS, ...opts });
  sims.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

describe('job lifecycle on the sim clock', () => {
  it('answers a submit with the documented pending job and records the request', async () => {
    const s = await sim();
    const r = await post(s, 'diffusion', {
      text: 'a lighthouse at dusk --v 7',
      callback: 'https://hooks.test/x',
    });
    expect(r.status).toBe(200);
    const job = r.json as JobJson;
    expect(job.job_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(job).toMatchObject({
      model: 'midjourney',
      task_type: 'diffusion',
      status: 'pending',
      config: { service_mode: 'public', webhook_config: { endpoint: 'https://hooks.test/x', secret: '' } },
      input: null,
      output: { image_url: '', image_urls: null, seed: '' },
      meta: {
        created_at: '',
        started_at: '',
        ended_at: '',
        usage: { type: 'point', frozen: 80, consume: 0 },
      },
      detail: null,
      logs: [],
      error: { code: 0, raw_message: '', message: '', detail: null },
    });

    const recorded = s.requests.at(-1);
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/api/v1/diffusion',
      body: { text: 'a lighthouse at dusk --v 7', callback: 'https://hooks.test/x' },
    });
    expect(recorded?.headers['x-api-key']).toBe('****-key');
    expect(JSON.stringify(s.requests)).not.toContain('test-key');
  });

  it('gives video and text tasks their documented empty output until they complete, and records queries', async () => {
    const s = await sim();
    const video = await submit(s, 'video-diffusion', { prompt: 'https://img.test/a.png drift' });
    expect(video.output).toEqual({ video_urls: null, seed: '' });
    expect(video.task_type).toBe('video_diffusion');
    expect((await getJob(s, video.job_id)).output).toEqual({ video_urls: null, seed: '' });
    const described = await submit(s, 'describe', { imgUrl: 'https://img.test/a.png' });
    expect(described.output).toEqual({ promptEn: '', description: '', finalPrompt: '', prompts: [] });
    expect(described.meta.usage.frozen).toBe(20);

    const before = s.clock.now();
    await call(s, 'GET', `/api/v1/job/${video.job_id}?verbose=1&x=y`);
    expect(s.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/api/v1/job/${video.job_id}`,
      query: { verbose: '1', x: 'y' },
      body: null,
    });
    const at = s.requests.at(-1)?.at ?? 0;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(s.clock.now());
  });

  it('moves pending → staged → processing → completed as the clock advances, setting timestamps as they happen', async () => {
    const s = await sim();
    const { job_id: id } = await submit(s, 'diffusion', { text: 'a red fox in snow' });

    const pending = await getJob(s, id);
    expect(pending.status).toBe('pending');
    expect(pending.meta.created_at).toMatch(ISO_SECONDS);
    expect(pending.meta.started_at).toBe(ZERO);
    expect(pending.meta.ended_at).toBe(ZERO);

    s.clock.advance(FROZEN_DURATIONS.pending);
    expect((await getJob(s, id)).status).toBe('staged');

    s.clock.advance(FROZEN_DURATIONS.staged);
    const processing = await getJob(s, id);
    expect(processing.status).toBe('processing');
    expect(processing.meta.started_at).toMatch(ISO_SECONDS);
    expect(processing.meta.ended_at).toBe(ZERO);
    expect(processing.output).toEqual({ image_url: '', image_urls: null, seed: '' });

    s.clock.advance(FROZEN_DURATIONS.processing);
    const done = await getJob(s, id);
    expect(done.status).toBe('completed');
    expect(Date.parse(done.meta.ended_at) - Date.parse(done.meta.started_at)).toBe(
      FROZEN_DURATIONS.processing,
    );
    expect(Date.parse(done.meta.started_at) - Date.parse(done.meta.created_at)).toBe(
      FROZEN_DURATIONS.pending + FROZEN_DURATIONS.staged,
    );
    expect(done.meta.usage).toEqual({ type: 'point', frozen: 80, consume: 80 });
    expect(done.output.image_url).toBe(`${s.url}/cdn/temp/${id}.png`);
    expect(done.output.image_urls).toEqual([0, 1, 2, 3].map((i) => `${s.url}/cdn/mj/${id}_${i}.png`));
    expect(done.output.seed).toMatch(/^\d+$/);
    expect(done.output.available_actions).toEqual({
      edit: [0, 1, 2, 3],
      inpaint: [0, 1, 2, 3],
      outpaint: [0, 1, 2, 3],
      pan: [0, 1, 2, 3],
      remix: [0, 1, 2, 3],
      reroll: true,
      upscale: [0, 1, 2, 3],
      variation: [0, 1, 2, 3],
    });
    expect(s.job(id)).toEqual(done);
  });

  it('completes on wall-clock time alone with the default durations', async () => {
    const s = await sim({ durations: {} });
    const { job_id: id } = await submit(s, 'diffusion', { text: 'a quick one' });
    const deadline = Date.now() + 10_000;
    let status = '';
    while (status !== 'completed' && Date.now() < deadline) {
      status = (await getJob(s, id)).status;
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe('completed');
  });

  it('uses per-task durations over the defaults', async () => {
    const s = await sim({
      durations: { pending: 0, staged: 0, processing: 1000 },
      durationsByTask: { 'video-diffusion': { processing: 5000 } },
    });
    const image = await submit(s, 'diffusion', { text: 'still' });
    const video = await submit(s, 'video-diffusion', { prompt: 'https://img.test/a.png moving water' });
    s.clock.advance(2000);
    expect((await getJob(s, image.job_id)).status).toBe('completed');
    expect((await getJob(s, video.job_id)).status).toBe('processing');
    s.clock.advance(3000);
    expect((await getJob(s, video.job_id)).status).toBe('completed');
  });
});

describe('credits', () => {
  it('freezes at submit, consumes at completion and refunds a failure', async () => {
    const s = await sim({ credits: 1000 });
    const ok = await submit(s, 'diffusion', { text: 'a calm sea' });
    expect(s.credits()).toBe(920);
    const bad = await submit(s, 'diffusion', { text: 'a stormy sea simulate:fail' });
    expect(s.credits()).toBe(840);

    s.clock.advance(FINISH_MS);
    expect(s.credits()).toBe(920);
    const failed = await getJob(s, bad.job_id);
    expect(failed.status).toBe('failed');
    expect(failed.meta.usage).toEqual({ type: 'point', frozen: 80, consume: 0 });
    expect(failed.error.code).not.toBe(0);
    expect(failed.error.message).not.toBe('');
    expect(failed.meta.ended_at).toMatch(ISO_SECONDS);
    expect(failed.output).toEqual({ image_url: '', image_urls: null, seed: '' });
    expect((await getJob(s, ok.job_id)).meta.usage.consume).toBe(80);

    const balance = await call(s, 'GET', '/api/account/balance');
    expect(balance.status).toBe(200);
    expect(balance.json).toMatchObject({
      code: 200,
      message: 'success',
      data: { account_id: 1, balance_usd: 0.92, available_credits: 920, low_balance_alert: true },
    });
  });

  it('fails a task whose image URL carries the marker, for tasks without a prompt', async () => {
    const s = await sim({ credits: 100 });
    const job = await finished(s, 'describe', { imgUrl: 'https://img.test/a.png?simulate:fail' });
    expect(job.status).toBe('failed');
    expect(job.output.prompts).toEqual([]);
    expect(s.credits()).toBe(100);
  });

  it('answers 402 when the balance cannot cover the task, creating nothing', async () => {
    const s = await sim();
    s.setCredits(100);
    expect((await post(s, 'describe', { imgUrl: 'https://img.test/a.png' })).status).toBe(200);
    expect((await post(s, 'video-diffusion', { prompt: 'https://img.test/a.png go --bs 1' })).status).toBe(
      402,
    );
    expect((await post(s, 'diffusion', { text: 'exactly affordable' })).status).toBe(200);
    expect(s.credits()).toBe(0);
    const r = await post(s, 'diffusion', { text: 'too expensive now' });
    expect(r.status).toBe(402);
    expect(r.json).toMatchObject({ code: 402, raw_message: '', detail: null });
    expect((r.json as ErrorJson).message.toLowerCase()).toContain('insufficient credits');
    expect(s.credits()).toBe(0);
    expect(s.requests.filter((q) => q.method === 'POST')).toHaveLength(4);
  });

  it('prices by the documented tables: V8 premium ×4, Topaz by resolution, video by batch', async () => {
    const s = await sim();
    const cost = async (endpoint: string, body: unknown): Promise<number> =>
      (await submit(s, endpoint, body)).meta.usage.frozen;
    expect(await cost('diffusion', { text: 'x --v 8 --hd' })).toBe(320);
    expect(await cost('diffusion', { text: 'x --v 8.1 --hd' })).toBe(80);
    expect(await cost('describe', { imgUrl: 'https://img.test/a.png' })).toBe(20);
    expect(await cost('video-diffusion', { prompt: 'https://img.test/a.png wave --bs 2' })).toBe(240);
    s.clock.advance(FINISH_MS);
    expect(
      await cost('enhance-upscale', { image_url: 'https://img.test/a.png', target_resolution: '8K' }),
    ).toBe(300);
    expect(await cost('enhance-upscale', { image_url: 'https://img.test/a.png' })).toBe(120);
  });
});

describe('refusals', () => {
  it('answers 401 with the documented body for a missing or wrong key on every /api route', async () => {
    const s = await sim();
    const routes: Array<['GET' | 'POST', string]> = [
      ['POST', '/api/v1/diffusion'],
      ['POST', '/api/v1/video-upscale'],
      ['GET', '/api/v1/job/5dd94ec3-7282-4f04-9445-59e850ef1822'],
      ['GET', '/api/account/balance'],
      ['GET', '/api/account/info'],
      ['GET', '/api/account/active_tasks'],
      ['GET', '/api/v1/no-such-endpoint'],
    ];
    for (const [method, path] of routes) {
      for (const key of [null, 'wrong-key']) {
        const r = await call(s, method, path, { key, body: method === 'POST' ? { text: 'x' } : undefined });
        expect(r.status, `${method} ${path} with ${String(key)}`).toBe(401);
        expect(r.json).toEqual({
          code: 401,
          message: 'Failed to verify api key',
          raw_message: '',
          detail: null,
        });
      }
    }
    expect(s.credits()).toBe(100_000);
  });

  it('answers 403 for a prompt the content policy rejects', async () => {
    const s = await sim();
    const r = await post(s, 'diffusion', { text: 'something simulate:forbidden' });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 403, detail: null });
    expect(s.credits()).toBe(100_000);
  });

  it('answers 429 past maxConcurrent unfinished jobs and accepts again once they finish', async () => {
    const s = await sim({ maxConcurrent: 2 });
    await submit(s, 'diffusion', { text: 'one' });
    await submit(s, 'describe', { imgUrl: 'https://img.test/two.png' });
    const r = await post(s, 'diffusion', { text: 'three' });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ code: 429, raw_message: '', detail: null });
    expect(r.headers['retry-after']).toBeUndefined();

    const active = await call(s, 'GET', '/api/account/active_tasks');
    expect(active.json).toMatchObject({ total_active: 2, concurrent_limit: 2 });

    s.clock.advance(FINISH_MS);
    expect((await post(s, 'diffusion', { text: 'three' })).status).toBe(200);
  });

  it('answers unknown routes, wrong methods, bad bodies and unknown jobs with JSON errors', async () => {
    const s = await sim();
    const notFound = await call(s, 'GET', '/api/v1/nope');
    expect(notFound.status).toBe(404);
    expect(notFound.json).toMatchObject({ code: 404, raw_message: '', detail: null });
    expect((await call(s, 'GET', '/elsewhere')).status).toBe(404);
    expect((await call(s, 'GET', '/elsewhere')).json).toMatchObject({ code: 404 });

    const wrongMethod = await call(s, 'GET', '/api/v1/diffusion');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');

    const malformed = await call(s, 'POST', '/api/v1/diffusion', { rawBody: '{"text": "unclosed' });
    expect(malformed.status).toBe(400);
    expect((malformed.json as ErrorJson).message).toMatch(/not valid JSON/);

    const notObject = await call(s, 'POST', '/api/v1/diffusion', { rawBody: '["text"]' });
    expect(notObject.status).toBe(400);

    const huge = await post(s, 'diffusion', { text: 'x', padding: 'y'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);

    const unknownJob = await call(s, 'GET', '/api/v1/job/00000000-0000-4000-8000-000000000000');
    expect(unknownJob.status).toBe(404);
    expect((unknownJob.json as ErrorJson).code).toBe(404);
  });
});

describe('outputs by task type', () => {
  it('gives describe and shorten four prompts derived from the input', async () => {
    const s = await sim();
    const described = await finished(s, 'describe', {
      imgUrl: 'https://img.test/photos/red-fox_portrait.png',
    });
    expect(described.output.prompts).toHaveLength(4);
    for (const p of described.output.prompts ?? []) expect(p).toContain('red fox portrait');
    expect(described.output.description).not.toBe('');
    expect(described.output.finalPrompt).toBe(described.output.prompts?.[0]);
    expect(described.output.promptEn).not.toBe('');

    const long =
      'a cyberpunk hacker workspace with holographic screens and neon reflections everywhere --ar 21:9 --v 7';
    const shortened = await finished(s, 'shorten', { prompt: long });
    const prompts = shortened.output.prompts ?? [];
    expect(prompts).toHaveLength(4);
    for (const p of prompts) {
      expect(p.length).toBeLessThan(long.length);
      expect(p).toContain('--ar 21:9 --v 7');
    }
    expect(prompts[3]?.length).toBeLessThan(prompts[0]?.length ?? 0);
  });

  it('gives video tasks one URL per video: --bs, default 4, and one for extend and upscale', async () => {
    const s = await sim();
    const grid = await finished(s, 'diffusion', { text: 'a waterfall' });
    const four = await finished(s, 'video-diffusion', { jobId: grid.job_id, imageNo: 2 });
    expect(four.task_type).toBe('video_diffusion');
    expect(four.output.video_urls).toEqual(
      [0, 1, 2, 3].map((i) => `${s.url}/cdn/video/${four.job_id}_${i}.mp4`),
    );
    expect(four.meta.usage.frozen).toBe(480);
    const one = await finished(s, 'video-diffusion', {
      prompt: 'https://img.test/a.png drift --bs 1',
      videoType: 1,
    });
    expect(one.output.video_urls).toHaveLength(1);
    const extended = await finished(s, 'extend-video', {
      jobId: four.job_id,
      videoNo: 3,
      prompt: 'keep going',
    });
    expect(extended.task_type).toBe('extend_video');
    expect(extended.output.video_urls).toHaveLength(1);
    const upscaled = await finished(s, 'video-upscale', { jobId: four.job_id, videoNo: 0 });
    expect(upscaled.task_type).toBe('video_upscale');
    expect(upscaled.output.video_urls).toHaveLength(1);
  });

  it('gives single-image tasks one URL in both image_url and image_urls', async () => {
    const s = await sim();
    const grid = await finished(s, 'diffusion', { text: 'a teapot' });
    const upscaled = await finished(s, 'upscale', { jobId: grid.job_id, imageNo: 1, type: 0 });
    expect(upscaled.output.image_urls).toEqual([upscaled.output.image_url]);
    expect(upscaled.output.available_actions?.variation).toEqual([0]);
    expect(upscaled.output.available_actions?.upscale).toBeUndefined();
    const cutout = await finished(s, 'remove-background', { imgUrl: 'https://img.test/teapot.jpg' });
    expect(cutout.task_type).toBe('remove_background');
    expect(cutout.output.image_urls).toEqual([cutout.output.image_url]);
    const topaz = await finished(s, 'enhance-upscale', {
      jobId: grid.job_id,
      imageNo: 0,
      target_resolution: '4K',
    });
    expect(topaz.task_type).toBe('enhance_upscale');
    expect(topaz.output.image_urls).toEqual([topaz.output.image_url]);
    expect(topaz.output.seed).toBe('');
  });
});

describe('seeded jobs and account views', () => {
  it('seeds an old completed job that GET and job() return identically', async () => {
    const s = await sim();
    const createdAt = s.clock.now() - 10 * 24 * 60 * 60 * 1000;
    const id = s.seedJob({ taskType: 'diffusion', prompt: 'an archived castle', createdAt });
    const job = await getJob(s, id);
    expect(job.status).toBe('completed');
    expect(Date.parse(job.meta.created_at)).toBe(Math.floor(createdAt / 1000) * 1000);
    expect(job.output.image_urls).toHaveLength(4);
    expect(s.job(id)).toEqual(job);
    expect(s.job('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(s.credits()).toBe(100_000);

    const video = s.seedJob({ taskType: 'video-diffusion', videoCount: 2, parentJobId: id });
    expect((await getJob(s, video)).output.video_urls).toHaveLength(2);
    const failed = s.seedJob({ taskType: 'upscale', status: 'failed', parentJobId: id });
    expect((await getJob(s, failed)).error.code).not.toBe(0);
    expect(() => s.seedJob({ taskType: 'teleport' })).toThrow(/unknown task type/);
  });

  it('lets a seeded pending job progress and count towards the concurrency limit', async () => {
    const s = await sim({ maxConcurrent: 1 });
    const id = s.seedJob({ taskType: 'diffusion', status: 'pending', createdAt: s.clock.now() - 5000 });
    expect((await getJob(s, id)).status).toBe('pending');
    expect((await post(s, 'diffusion', { text: 'blocked' })).status).toBe(429);
    s.clock.advance(FINISH_MS);
    expect((await getJob(s, id)).status).toBe('completed');
    expect((await post(s, 'diffusion', { text: 'free now' })).status).toBe(200);
  });

  it('hides jobs of another account', async () => {
    const s = await sim();
    const id = s.seedJob({ taskType: 'diffusion', apiKey: 'someone-else' });
    expect((await call(s, 'GET', `/api/v1/job/${id}`)).status).toBe(404);
  });

  it('reports account info and active tasks with progress', async () => {
    const s = await sim({ durations: { pending: 0, staged: 0, processing: 10_000 } });
    const { job_id: id } = await submit(s, 'diffusion', { text: 'progress' });
    s.clock.advance(5000);
    const active = await call(s, 'GET', '/api/account/active_tasks');
    expect(active.status).toBe(200);
    const body = active.json as { total_active: number; tasks: Array<Record<string, unknown>> };
    expect(body.total_active).toBe(1);
    expect(body.tasks[0]).toMatchObject({ job_id: id, task_type: 'diffusion', status: 'processing' });
    expect(body.tasks[0]?.progress).toBeGreaterThanOrEqual(40);
    expect(body.tasks[0]?.progress).toBeLessThanOrEqual(60);

    s.clock.advance(FINISH_MS);
    const info = await call(s, 'GET', '/api/account/info');
    expect(info.json).toMatchObject({ plan: 'pro', status: 'active', balance: 99_920, used: 80 });
  });
});
