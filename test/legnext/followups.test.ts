import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/shared/domain';
import {
  FOLLOW_UP_OPS,
  followUpBlocker,
  isFollowUpOp,
  MAX_VIDEO_EXTENDS,
} from '../../src/main/core/providers/legnext/followups';
import type { FollowUpParent } from '../../src/main/core/providers/legnext/followups';

const CREATED = Date.parse('2025-10-14T02:22:04Z');
const NOW = CREATED + DAY_MS;

/** The documented completed diffusion: a grid plus 4 images, every action on every index. */
const ALL = [0, 1, 2, 3];
function imageJob(overrides: Partial<FollowUpParent> = {}): FollowUpParent {
  return {
    taskType: 'diffusion',
    status: 'completed',
    prompt: 'a cat --ar 16:9',
    createdAt: CREATED,
    availableActions: {
      edit: ALL,
      inpaint: ALL,
      outpaint: ALL,
      pan: ALL,
      remix: ALL,
      reroll: true,
      upscale: ALL,
      variation: ALL,
    },
    outputKinds: ['grid', 'image', 'image', 'image', 'image'],
    imageCount: 4,
    videoCount: 0,
    extendDepth: 0,
    ...overrides,
  };
}

function videoJob(overrides: Partial<FollowUpParent> = {}): FollowUpParent {
  return imageJob({
    taskType: 'video_diffusion',
    prompt: 'https://c.example/a.png waves',
    availableActions: null,
    outputKinds: ['video', 'video', 'video', 'video'],
    imageCount: 0,
    videoCount: 4,
    ...overrides,
  });
}

describe('followUpBlocker', () => {
  it.each([
    'upscale',
    'variation',
    'remix',
    'pan',
    'outpaint',
    'inpaint',
    'edit',
    'enhance-upscale',
    'video-diffusion',
  ] as const)('%s on image 2 of a fresh completed job is allowed', (op) => {
    expect(followUpBlocker(imageJob(), op, 2, NOW)).toBeNull();
  });

  it('reroll needs no index', () => {
    expect(followUpBlocker(imageJob(), 'reroll', null, NOW)).toBeNull();
  });

  it.each(['extend-video', 'video-upscale'] as const)('%s on video 3 of a video job is allowed', (op) => {
    expect(followUpBlocker(videoJob(), op, 3, NOW)).toBeNull();
  });

  it('refuses ops that do not start from a job', () => {
    expect(followUpBlocker(imageJob(), 'diffusion', null, NOW)).toBe(
      'diffusion does not start from an existing job.',
    );
    expect(followUpBlocker(imageJob(), 'blend', null, NOW)).not.toBeNull();
  });

  it.each(['submitting', 'queued', 'running'] as const)('a %s parent is not finished', (status) => {
    expect(followUpBlocker(imageJob({ status }), 'upscale', 0, NOW)).toBe('This job has not finished yet.');
  });

  it('a failed parent has nothing to follow up', () => {
    expect(followUpBlocker(imageJob({ status: 'failed' }), 'upscale', 0, NOW)).toMatch(/failed/);
  });

  it('the 3-day window: open at its last millisecond, closed after, naming the date it ended', () => {
    const end = CREATED + 3 * DAY_MS;
    expect(followUpBlocker(imageJob(), 'upscale', 0, end)).toBeNull();
    expect(followUpBlocker(imageJob(), 'upscale', 0, end + 1)).toBe(
      'Follow-ups for this job ended on 2025-10-17 02:22 UTC (Legnext allows them for 3 days).',
    );
    expect(followUpBlocker(videoJob(), 'extend-video', 0, end + DAY_MS)).toMatch(/ended on 2025-10-17/);
  });

  it('an index must exist in the parent', () => {
    expect(followUpBlocker(imageJob(), 'upscale', null, NOW)).toBe('Choose which image to upscale.');
    expect(followUpBlocker(imageJob(), 'upscale', 4, NOW)).toBe(
      'This job has images 0 to 3; there is no image 4.',
    );
    expect(followUpBlocker(imageJob(), 'upscale', -1, NOW)).not.toBeNull();
    const single = imageJob({
      taskType: 'upscale',
      outputKinds: ['image'],
      imageCount: 1,
      availableActions: null,
    });
    expect(followUpBlocker(single, 'variation', 1, NOW)).toBe('This job has one image, number 0.');
    expect(followUpBlocker(single, 'variation', 0, NOW)).toBeNull();
    expect(followUpBlocker(videoJob({ outputKinds: ['video'], videoCount: 1 }), 'extend-video', 2, NOW)).toBe(
      'This job has one video, number 0.',
    );
  });

  it('an index must be listed in available_actions for that action', () => {
    const parent = imageJob({ availableActions: { upscale: [0, 1], variation: [0], reroll: false } });
    expect(followUpBlocker(parent, 'upscale', 1, NOW)).toBeNull();
    expect(followUpBlocker(parent, 'upscale', 2, NOW)).toBe(
      'Legnext does not offer upscale for image 2 of this job.',
    );
    expect(followUpBlocker(parent, 'variation', 1, NOW)).toMatch(/does not offer vary for image 1/);
    expect(followUpBlocker(parent, 'reroll', null, NOW)).toBe('Legnext does not offer reroll for this job.');
  });

  it('an action the parent does not list is not offered (e.g. no upscale on v8)', () => {
    const parent = imageJob({
      prompt: 'a cat --v 8',
      availableActions: { variation: ALL, reroll: true, remix: ALL },
    });
    expect(followUpBlocker(parent, 'upscale', 0, NOW)).toBe('Legnext does not offer upscale for this job.');
    expect(followUpBlocker(parent, 'variation', 0, NOW)).toBeNull();
  });

  it('without available_actions only the local rules apply', () => {
    expect(followUpBlocker(imageJob({ availableActions: null }), 'pan', 3, NOW)).toBeNull();
    expect(followUpBlocker(imageJob({ availableActions: {} }), 'pan', 3, NOW)).toBeNull();
  });

  it('ops the API never lists in available_actions are not blocked by it', () => {
    const parent = imageJob({ prompt: 'x --draft', availableActions: { upscale: ALL } });
    expect(followUpBlocker(parent, 'enhance', 0, NOW)).toBeNull();
    expect(followUpBlocker(parent, 'video-diffusion', 0, NOW)).toBeNull();
    expect(followUpBlocker(parent, 'enhance-upscale', 0, NOW)).toBeNull();
  });

  it.each([
    ['a cat --v 7 --draft', null],
    ['a cat --draft', null],
    ['a cat --v7 --draft', null],
    ['a cat --v 7', 'Enhance only works on images made in draft mode (--v 7 --draft).'],
    ['a cat --v 6.1 --draft', 'Enhance only works on images made in draft mode (--v 7 --draft).'],
  ])('enhance on a parent made with "%s" → %s', (prompt, expected) => {
    expect(followUpBlocker(imageJob({ prompt }), 'enhance', 0, NOW)).toBe(expected);
  });

  it('enhance needs a known draft prompt', () => {
    expect(followUpBlocker(imageJob({ prompt: null }), 'enhance', 0, NOW)).toMatch(/draft mode/);
  });

  it.each(['pan', 'outpaint', 'inpaint'] as const)(
    '%s is not available on v8 / v8.1 or --oref images',
    (op) => {
      expect(
        followUpBlocker(imageJob({ prompt: 'a cat --v 8', availableActions: null }), op, 0, NOW),
      ).toMatch(/--v 8 images/);
      expect(
        followUpBlocker(imageJob({ prompt: 'a cat --v 8.1', availableActions: null }), op, 0, NOW),
      ).toMatch(/--v 8\.1 images/);
      expect(
        followUpBlocker(imageJob({ prompt: 'a duck --oref https://c.example/o.png' }), op, 0, NOW),
      ).toMatch(/--oref/);
    },
  );

  it('image follow-ups need an image parent and video follow-ups a video parent', () => {
    expect(followUpBlocker(videoJob(), 'upscale', 0, NOW)).toBe('Upscale needs a job that made images.');
    expect(followUpBlocker(videoJob(), 'video-diffusion', 0, NOW)).toBe(
      'Animate needs a job that made images.',
    );
    expect(followUpBlocker(imageJob(), 'extend-video', 0, NOW)).toBe('Extend video needs a video job.');
    expect(followUpBlocker(imageJob(), 'video-upscale', 0, NOW)).toBe('Upscale video needs a video job.');
    const describeJob = imageJob({
      taskType: 'describe',
      outputKinds: [],
      imageCount: 0,
      availableActions: null,
    });
    expect(followUpBlocker(describeJob, 'variation', 0, NOW)).not.toBeNull();
  });

  it(`extend-video allows ${MAX_VIDEO_EXTENDS} extends in a chain and no more`, () => {
    expect(followUpBlocker(videoJob({ extendDepth: 3 }), 'extend-video', 0, NOW)).toBeNull();
    expect(followUpBlocker(videoJob({ extendDepth: 4 }), 'extend-video', 0, NOW)).toBe(
      'This video has already been extended 4 times, the most Legnext allows.',
    );
    expect(followUpBlocker(videoJob({ extendDepth: 4 }), 'video-upscale', 0, NOW)).toBeNull();
  });
});

describe('FOLLOW_UP_OPS', () => {
  it('describes every follow-up for the UI', () => {
    expect(Object.keys(FOLLOW_UP_OPS).sort()).toEqual(
      [
        'edit',
        'enhance',
        'enhance-upscale',
        'extend-video',
        'inpaint',
        'outpaint',
        'pan',
        'remix',
        'reroll',
        'upscale',
        'variation',
        'video-diffusion',
        'video-upscale',
      ].sort(),
    );
    expect(FOLLOW_UP_OPS.reroll).toMatchObject({
      needsIndex: false,
      parentKind: 'image',
      actionKey: 'reroll',
    });
    expect(FOLLOW_UP_OPS['extend-video']).toMatchObject({ needsIndex: true, parentKind: 'video' });
    expect(isFollowUpOp('pan')).toBe(true);
    expect(isFollowUpOp('blend')).toBe(false);
    expect(isFollowUpOp('toString')).toBe(false);
  });
});
