import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/main/core/errors';
import { parseLegnextJob } from '../../src/main/core/providers/legnext/schemas';
import {
  COMPLETED_DESCRIBE,
  COMPLETED_DIFFUSION,
  COMPLETED_SHORTEN,
  COMPLETED_UPSCALE,
  COMPLETED_VIDEO,
  DESCRIBE_PROMPTS,
  FAILED_JOB,
  POST_EXAMPLES,
} from './fixtures';

const TEXT_TASKS = ['describe', 'shorten'];

describe('parseLegnextJob: the documented POST responses', () => {
  it.each(POST_EXAMPLES)('%s', (_op, body, taskType, frozen) => {
    const snap = parseLegnextJob(body);
    expect(snap).toEqual({
      provider: 'legnext',
      remoteId: body.job_id,
      taskType,
      status: 'queued',
      createdAt: snap.createdAt,
      startedAt: null,
      endedAt: null,
      outputs: [],
      text: TEXT_TASKS.includes(taskType) ? { prompts: [], description: null } : null,
      seed: null,
      cost: { frozen, consumed: 0 },
      error: null,
      availableActions: null,
      progress: null,
      raw: body,
    });
  });

  it('unset timestamps ("" and 0001-01-01) are null; set ones become UTC ISO', () => {
    const [, diffusion] = POST_EXAMPLES.find(([op]) => op === 'diffusion')!;
    expect(parseLegnextJob(diffusion).createdAt).toBe('2025-12-17T11:08:36.000Z');
    const [, topaz] = POST_EXAMPLES.find(([op]) => op === 'enhance-upscale')!;
    expect(parseLegnextJob(topaz)).toMatchObject({
      createdAt: '2025-12-16T19:22:29.000Z',
      startedAt: null,
      endedAt: null,
    });
    const [, variation] = POST_EXAMPLES.find(([op]) => op === 'variation')!;
    expect(parseLegnextJob(variation).createdAt).toBeNull();
  });
});

describe('parseLegnextJob: completed jobs', () => {
  it('the Get Task example: grid + 4 images, seed, actions, usage, times', () => {
    const snap = parseLegnextJob(COMPLETED_DIFFUSION);
    expect(snap).toMatchObject({
      remoteId: 'a616de55-6130-4e1f-b8cd-531ed0599353',
      taskType: 'diffusion',
      status: 'completed',
      createdAt: '2025-10-14T02:22:04.000Z',
      startedAt: '2025-10-14T02:22:06.000Z',
      endedAt: '2025-10-14T02:22:50.000Z',
      seed: '1904983176',
      cost: { frozen: 80, consumed: 80 },
      error: null,
      text: null,
    });
    expect(snap.outputs).toEqual([
      { kind: 'grid', index: 0, url: 'https://cdn.legnext.ai/temp/1760408558306.png' },
      ...[0, 1, 2, 3].map((i) => ({
        kind: 'image',
        index: i,
        url: `https://cdn.legnext.ai/mj/a616de55-6130-4e1f-b8cd-531ed0599353_${i}.png`,
      })),
    ]);
    expect(snap.availableActions).toEqual(COMPLETED_DIFFUSION.output.available_actions);
  });

  it('a single image (image_urls of one) is one image at index 0, no grid', () => {
    const snap = parseLegnextJob(COMPLETED_UPSCALE);
    expect(snap.outputs).toEqual([
      { kind: 'image', index: 0, url: 'https://cdn.legnext.ai/mj/8541c46c-6af7-49a5-a5a2-dd82eae7e6c8.png' },
    ]);
    expect(snap.availableActions).toEqual({ variation: [0], remix: [0] });
  });

  it('a single image given only as image_url is one image at index 0', () => {
    const body = {
      ...COMPLETED_UPSCALE,
      output: { image_url: 'https://cdn.legnext.ai/x.png', image_urls: null, seed: '' },
    };
    expect(parseLegnextJob(body).outputs).toEqual([
      { kind: 'image', index: 0, url: 'https://cdn.legnext.ai/x.png' },
    ]);
  });

  it('video_urls become videos 0..n-1', () => {
    const snap = parseLegnextJob(COMPLETED_VIDEO);
    expect(snap.taskType).toBe('video_diffusion');
    expect(snap.outputs).toEqual(
      [0, 1, 2, 3].map((i) => ({
        kind: 'video',
        index: i,
        url: `https://cdn.legnext.ai/video/d55cb628_${i}.mp4`,
      })),
    );
    expect(snap.seed).toBeNull();
  });

  it('describe yields its prompts and description', () => {
    expect(parseLegnextJob(COMPLETED_DESCRIBE).text).toEqual({
      prompts: DESCRIBE_PROMPTS,
      description: 'A cat sleeping in the sun.',
    });
    expect(parseLegnextJob(COMPLETED_DESCRIBE).outputs).toEqual([]);
  });

  it('shorten with only a final prompt yields it as the prompt', () => {
    expect(parseLegnextJob(COMPLETED_SHORTEN).text).toEqual({
      prompts: ['cyberpunk hacker workspace, holographic screens, neon --ar 21:9'],
      description: null,
    });
  });

  it('a failed job carries its error; consume 0', () => {
    expect(parseLegnextJob(FAILED_JOB)).toMatchObject({
      status: 'failed',
      outputs: [],
      cost: { frozen: 80, consumed: 0 },
      error: { code: '10003', message: 'Your prompt may violate the content policy.' },
    });
  });

  it('a failed job without an error object still gets a reason', () => {
    const { error: _e, ...body } = FAILED_JOB;
    expect(parseLegnextJob(body).error).toEqual({
      code: 'failed',
      message: 'Legnext reported the job as failed without giving a reason.',
    });
  });

  it('an error with only raw_message uses it', () => {
    const body = {
      ...FAILED_JOB,
      error: { code: 500, message: '', raw_message: 'gpu timeout', detail: null },
    };
    expect(parseLegnextJob(body).error).toEqual({ code: '500', message: 'gpu timeout' });
  });
});

describe('parseLegnextJob: tolerance', () => {
  it.each([
    ['pending', 'queued'],
    ['staged', 'queued'],
    ['processing', 'running'],
    ['completed', 'completed'],
    ['failed', 'failed'],
    ['PROCESSING', 'running'],
  ])('status %s → %s', (status, expected) => {
    expect(parseLegnextJob({ job_id: 'j1', status }).status).toBe(expected);
  });

  it('task_type hyphens become underscores (the contract spells video-diffusion)', () => {
    expect(parseLegnextJob({ job_id: 'j1', status: 'pending', task_type: 'video-diffusion' }).taskType).toBe(
      'video_diffusion',
    );
  });

  it('a missing task_type takes the fallback, else "unknown"', () => {
    expect(parseLegnextJob({ job_id: 'j1', status: 'pending' }, 'upscale').taskType).toBe('upscale');
    expect(parseLegnextJob({ job_id: 'j1', status: 'pending' }).taskType).toBe('unknown');
  });

  it('a bare job object with only job_id and status parses with empty defaults', () => {
    expect(parseLegnextJob({ job_id: 'j1', status: 'processing' })).toMatchObject({
      remoteId: 'j1',
      status: 'running',
      createdAt: null,
      outputs: [],
      text: null,
      seed: null,
      cost: { frozen: 0, consumed: 0 },
      error: null,
      availableActions: null,
      progress: null,
    });
  });

  it('unknown fields are allowed and wrong-typed optional fields are treated as absent', () => {
    const snap = parseLegnextJob({
      job_id: 'j1',
      status: 'completed',
      brand_new_field: { nested: true },
      output: { image_url: 42, image_urls: 'nope', seed: 123, available_actions: 'all' },
      meta: { created_at: { when: 'now' }, usage: { frozen: '80', consume: 'lots' } },
      logs: 'not a list',
      error: 'no',
    });
    expect(snap).toMatchObject({
      outputs: [],
      seed: '123',
      availableActions: null,
      createdAt: null,
      cost: { frozen: 80, consumed: 0 },
      error: null,
    });
  });

  it('null output and meta are fine', () => {
    expect(
      parseLegnextJob({ job_id: 'j1', status: 'pending', output: null, meta: null, error: null }).outputs,
    ).toEqual([]);
  });

  it('empty and non-http strings are not URLs; image positions are kept', () => {
    const snap = parseLegnextJob({
      job_id: 'j1',
      status: 'completed',
      output: {
        image_url: 'https://cdn.example/grid.png',
        image_urls: ['https://cdn.example/0.png', '', 'javascript:alert(1)', 'https://cdn.example/3.png'],
        video_urls: ['', 'https://cdn.example/v1.mp4'],
      },
    });
    expect(snap.outputs).toEqual([
      { kind: 'grid', index: 0, url: 'https://cdn.example/grid.png' },
      { kind: 'image', index: 0, url: 'https://cdn.example/0.png' },
      { kind: 'image', index: 3, url: 'https://cdn.example/3.png' },
      { kind: 'video', index: 1, url: 'https://cdn.example/v1.mp4' },
    ]);
  });

  it('an image_url equal to one of the images is not taken for a grid', () => {
    const snap = parseLegnextJob({
      job_id: 'j1',
      status: 'completed',
      output: {
        image_url: 'https://c.example/0.png',
        image_urls: ['https://c.example/0.png', 'https://c.example/1.png'],
      },
    });
    expect(snap.outputs.map((o) => o.kind)).toEqual(['image', 'image']);
  });

  it('an available_actions entry that is neither a list nor a flag is dropped; non-integers are filtered', () => {
    expect(
      parseLegnextJob({
        job_id: 'j1',
        status: 'completed',
        output: { available_actions: { upscale: [0, '1', 2.5, 3], reroll: true, pan: 'yes' } },
      }).availableActions,
    ).toEqual({ upscale: [0, 3], reroll: true });
  });

  it('progress from a top-level number or percentage, else from the logs', () => {
    expect(parseLegnextJob({ job_id: 'j1', status: 'processing', progress: 45 }).progress).toBe(45);
    expect(parseLegnextJob({ job_id: 'j1', status: 'processing', progress: '60%' }).progress).toBe(60);
    expect(parseLegnextJob({ job_id: 'j1', status: 'processing', progress: 250 }).progress).toBe(100);
    expect(
      parseLegnextJob({
        job_id: 'j1',
        status: 'processing',
        logs: ['queued', 'rendering 20%', 'rendering 75%'],
      }).progress,
    ).toBe(75);
  });

  it('a numeric job_id is accepted as text', () => {
    expect(parseLegnextJob({ job_id: 1868588555208310784n.toString(), status: 'pending' }).remoteId).toBe(
      '1868588555208310784',
    );
    expect(parseLegnextJob({ job_id: 12345, status: 'pending' }).remoteId).toBe('12345');
  });

  it.each([
    ['null', null],
    ['a string', 'ok'],
    ['an array', [COMPLETED_DIFFUSION]],
    ['no job_id', { status: 'pending' }],
    ['no status', { job_id: 'j1' }],
    ['an error body', { code: 404, message: 'not found' }],
    ['an empty job_id', { job_id: '  ', status: 'pending' }],
    ['an unknown status', { job_id: 'j1', status: 'exploded' }],
  ])('%s is a ProtocolError, never a crash', (_label, body) => {
    expect(() => parseLegnextJob(body)).toThrow(ProtocolError);
  });

  it('keeps the response as received in raw', () => {
    expect(parseLegnextJob(COMPLETED_DIFFUSION).raw).toBe(COMPLETED_DIFFUSION);
  });
});
