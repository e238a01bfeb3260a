/**
 * The UniAll simulator's own behaviour, over raw HTTP: what it accepts and refuses (in the gateway's
 * error shape), its routes, its CDN windows and its request log.
 */
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CDN_RETENTION_MS, FAIL_MARKER, startViduSim } from '../sim/vidu';
import type { ViduSim } from '../sim/vidu';

const PHASE_MS = 60_000;
let sim: ViduSim;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
  text: string;
}

async function call(
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE',
  path: string,
  init: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? sim.apiKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${sim.url}${path}`, { method, headers, body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, json, text };
}

const TEXT = { model: 'viduq3p-720p', prompt: 'a kite', aspect_ratio: '16:9', duration: 5 };

async function create(body: Record<string, unknown> = TEXT): Promise<string> {
  const r = await call('POST', '/v1/video/generations', { body });
  expect(r.status).toBe(200);
  return (r.json as { task_id: string }).task_id;
}

beforeEach(async () => {
  sim = await startViduSim({ durations: { pending: PHASE_MS, processing: PHASE_MS } });
});
afterEach(async () => {
  await sim.close();
});

describe('create: accepted bodies', () => {
  it('answers with the documented create object', async () => {
    const r = await call('POST', '/v1/video/generations', { body: TEXT });
    expect(r.json).toEqual({
      id: expect.stringMatching(/^task_[0-9a-f]{24}$/),
      task_id: (r.json as { id: string }).id,
      object: 'video.generation.job',
      model: 'viduq3p-720p',
      status: 'queued',
      progress: 0,
      created_at: Math.floor(sim.clock.now() / 1000),
    });
  });

  it('takes duration as a number or a numeric string, off-peak models, inline images and unknown extras', async () => {
    await create({ ...TEXT, duration: '16' });
    await create({ ...TEXT, model: 'viduq3t-540p-offpeak' });
    await create({
      model: 'viduq3t-1080p',
      prompt: 'p',
      duration: 1,
      image: 'data:image/png;base64,iVBORw0KGgo=',
    });
    await create({ ...TEXT, extra_body: { audio: true, bgm: false, seed: 7, watermark: false } });
  });
});

describe('create: refused bodies, in the gateway error shape', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['no model', { prompt: 'p', duration: 5 }, 'model'],
    ['an unknown model', { ...TEXT, model: 'viduq3p-mix-720p' }, 'model'],
    ['no prompt', { model: 'viduq3p-720p', duration: 5 }, 'prompt'],
    ['no duration', { model: 'viduq3p-720p', prompt: 'p' }, 'duration'],
    ['duration 17', { ...TEXT, duration: 17 }, 'duration'],
    ['duration 2.5', { ...TEXT, duration: 2.5 }, 'duration'],
    ['aspect ratio 4:3', { ...TEXT, aspect_ratio: '4:3' }, 'aspect_ratio'],
    ['image not a URL', { ...TEXT, image: 'file:///a.png' }, 'image'],
    ['last_image alone', { ...TEXT, last_image: 'https://e.x/t.png' }, 'last_image'],
    [
      '5 reference images',
      { ...TEXT, reference_image_urls: Array(5).fill('https://e.x/r.png') },
      'reference_image_urls',
    ],
    [
      'reference images with image',
      { ...TEXT, image: 'https://e.x/h.png', reference_image_urls: ['https://e.x/r.png'] },
      'reference_image_urls',
    ],
    ['extra_body not an object', { ...TEXT, extra_body: [1] }, 'extra_body'],
    ['audio not a boolean', { ...TEXT, extra_body: { audio: 'yes' } }, 'extra_body.audio'],
    ['a negative seed', { ...TEXT, extra_body: { seed: -1 } }, 'extra_body.seed'],
  ])('%s → 400 naming %s', async (_name, body, param) => {
    const before = sim.credits();
    const r = await call('POST', '/v1/video/generations', { body });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', param, code: 'invalid_parameter' },
    });
    expect(sim.credits()).toBe(before);
  });

  it('a body that is not a JSON object → 400', async () => {
    for (const rawBody of ['', '{"model":', '[1,2]']) {
      const r = await call('POST', '/v1/video/generations', { rawBody });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });

  it('no key or a wrong key → 401; an unknown route → 404; a wrong method → 405', async () => {
    for (const key of [null, 'other']) {
      const r = await call('POST', '/v1/video/generations', { body: TEXT, key });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: { code: 'invalid_api_key', type: 'new_api_error' } });
    }
    expect((await call('GET', '/v1/models')).status).toBe(404);
    const id = await create();
    const wrong = await call('DELETE', `/v1/video/generations/${id}`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect((await call('GET', '/v1/video/generations')).status).toBe(405);
  });
});

describe('poll', () => {
  it('the compatible /v1/videos/{id} route answers like the main one, and sim.task shows the same', async () => {
    const id = await create();
    const main = await call('GET', `/v1/video/generations/${id}`);
    const compat = await call('GET', `/v1/videos/${id}`);
    expect(compat.json).toEqual(main.json);
    expect(sim.task(id)).toEqual(main.json);
    expect(sim.task('task_nope')).toBeUndefined();
  });

  it('the data shape moves through its words on the sim clock alone', async () => {
    const id = await create();
    const words: unknown[] = [];
    const progress: unknown[] = [];
    for (const step of [0, PHASE_MS / 2, PHASE_MS / 2, PHASE_MS / 2, PHASE_MS]) {
      sim.clock.advance(step);
      const { data } = (await call('GET', `/v1/video/generations/${id}`)).json as {
        data: { status: string; progress: string };
      };
      words.push(data.status);
      progress.push(data.progress);
    }
    expect(words).toEqual(['NOT_START', 'QUEUED', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESS']);
    expect([progress[0], progress[1], progress[4]]).toEqual(['0%', '0%', '100%']);
    // Wall time also runs under the sim clock, so mid-task progress is a lower bound.
    expect(Number.parseInt(String(progress[3]), 10)).toBeGreaterThanOrEqual(50);
    expect(Number.parseInt(String(progress[3]), 10)).toBeLessThan(100);
  });

  it('a failed task refunds its price once it ends', async () => {
    const before = sim.credits();
    await create({ ...TEXT, prompt: `x ${FAIL_MARKER}` });
    const charged = before - sim.credits();
    expect(charged).toBeGreaterThan(0);
    sim.clock.advance(2 * PHASE_MS);
    expect(sim.credits()).toBe(before);
  });

  it('setPollShape refuses an unknown task; durations must be non-negative', async () => {
    expect(() => sim.setPollShape('task_nope', 'flat')).toThrow(/no task task_nope/);
    await expect(startViduSim({ durations: { pending: -1 } })).rejects.toThrow(RangeError);
  });

  it('the request log redacts the key', async () => {
    await create();
    expect(sim.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/video/generations',
      headers: { authorization: 'Bearer ****-key' },
      body: TEXT,
    });
    expect(JSON.stringify(sim.requests)).not.toContain(sim.apiKey);
  });
});

describe('CDN', () => {
  it('serves the video only once completed, until the retention window ends', async () => {
    const id = await create();
    const path = `/cdn/vidu/${id}.mp4`;
    expect((await call('GET', path)).status).toBe(404);
    sim.clock.advance(2 * PHASE_MS);
    const head = await call('HEAD', path);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(1000);
    expect(head.headers['accept-ranges']).toBe('bytes');
    expect((await call('GET', path, { headers: { range: 'bytes=99999999-' } })).status).toBe(416);
    sim.clock.advance(CDN_RETENTION_MS);
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('GET', '/cdn/vidu/task_00.mp4')).status).toBe(404);
  });

  it('each task gets its own bytes', async () => {
    const a = await create();
    const b = await create();
    sim.clock.advance(2 * PHASE_MS);
    const [x, y] = await Promise.all([call('GET', `/cdn/vidu/${a}.mp4`), call('GET', `/cdn/vidu/${b}.mp4`)]);
    expect(x.headers.etag).not.toBe(y.headers.etag);
  });
});
