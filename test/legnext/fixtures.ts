/**
 * Response bodies shaped exactly like the examples of the Legnext API reference (seed 002): the
 * initial POST response of every endpoint, the completed Get Task example and the balance example,
 * plus completed video/describe/shorten/upscale and failed jobs in the same shape.
 */

const NO_ERROR = { code: 0, raw_message: '', message: '', detail: null };
const IMAGE_PENDING = { image_url: '', image_urls: null, seed: '' };
const VIDEO_PENDING = { video_urls: null, seed: '' };
const TEXT_PENDING = { promptEn: '', description: '', finalPrompt: '', prompts: [] };

function pending(
  jobId: string,
  taskType: string,
  frozen: number,
  output: Record<string, unknown>,
  times: { created: string; started: string; ended: string } = { created: '', started: '', ended: '' },
): Record<string, unknown> {
  return {
    job_id: jobId,
    model: 'midjourney',
    task_type: taskType,
    status: 'pending',
    config: { service_mode: 'public', webhook_config: { endpoint: '', secret: '' } },
    input: null,
    output,
    meta: {
      created_at: times.created,
      started_at: times.started,
      ended_at: times.ended,
      usage: { type: 'point', frozen, consume: 0 },
    },
    detail: null,
    logs: [],
    error: NO_ERROR,
  };
}

/** Initial POST responses: [op, body, expected task type, expected frozen]. */
export const POST_EXAMPLES: Array<[string, Record<string, unknown>, string, number]> = [
  [
    'diffusion',
    pending('789320d3-4b20-46d3-a804-6165a079176a', 'diffusion', 80, IMAGE_PENDING, {
      created: '2025-12-17T11:08:36Z',
      started: '0001-01-01T00:00:00Z',
      ended: '0001-01-01T00:00:00Z',
    }),
    'diffusion',
    80,
  ],
  [
    'variation',
    pending('340721c6-86eb-4620-ba38-8df46fb507b6', 'variation', 120, IMAGE_PENDING),
    'variation',
    120,
  ],
  ['upscale', pending('8541c46c-6af7-49a5-a5a2-dd82eae7e6c8', 'upscale', 120, IMAGE_PENDING), 'upscale', 120],
  ['reroll', pending('b54ab480-be6e-470e-8eab-5af763a4f6e0', 'reroll', 80, IMAGE_PENDING), 'reroll', 80],
  ['blend', pending('ea1aff8a-9c68-47b8-9693-9b10570a1910', 'blend', 80, IMAGE_PENDING), 'blend', 80],
  ['describe', pending('54aeca4b-f443-41f3-8b94-28cbdc2e7e20', 'describe', 20, TEXT_PENDING), 'describe', 20],
  ['shorten', pending('48833d7a-d588-4ad9-897b-25e1ea9edff7', 'shorten', 20, TEXT_PENDING), 'shorten', 20],
  ['pan', pending('d0caddaa-028b-4074-985e-7894b2aef5a0', 'pan', 80, IMAGE_PENDING), 'pan', 80],
  [
    'outpaint',
    pending('c4e210ca-6cf1-4453-a204-00f26a8e75cc', 'outpaint', 80, IMAGE_PENDING),
    'outpaint',
    80,
  ],
  ['inpaint', pending('72e20f1a-6c76-4ec5-bda2-490016056fa8', 'inpaint', 120, IMAGE_PENDING), 'inpaint', 120],
  ['remix', pending('9e0f9ff3-abea-498e-a44a-157e10b28e93', 'remix', 120, IMAGE_PENDING), 'remix', 120],
  ['edit', pending('4017934e-35dd-4640-9585-68c224a66f3b', 'edit', 120, IMAGE_PENDING), 'edit', 120],
  [
    'upload-paint',
    pending('aa7bd9d9-e20d-408d-b031-46cde06ee888', 'upload_paint', 120, IMAGE_PENDING),
    'upload_paint',
    120,
  ],
  [
    'retexture',
    pending('d8f6a791-4d2f-4ec4-9df2-f0abb7775143', 'retexture', 120, IMAGE_PENDING),
    'retexture',
    120,
  ],
  [
    'remove-background',
    pending('e5a2e10b-d982-4af6-8d91-bb62f6355f36', 'remove_background', 80, IMAGE_PENDING),
    'remove_background',
    80,
  ],
  ['enhance', pending('06eb333e-bd6b-4eb4-a5e9-7db1f091b728', 'enhance', 80, IMAGE_PENDING), 'enhance', 80],
  [
    'enhance-upscale',
    pending('f3efd852-18ad-483d-87f2-0685a60df014', 'enhance_upscale', 300, IMAGE_PENDING, {
      created: '2025-12-17T03:22:29+08:00',
      started: '0001-01-01T00:00:00Z',
      ended: '0001-01-01T00:00:00Z',
    }),
    'enhance_upscale',
    300,
  ],
  [
    'video-diffusion',
    pending('d55cb628-3f71-4be8-bea1-4e01319b6589', 'video_diffusion', 480, VIDEO_PENDING),
    'video_diffusion',
    480,
  ],
  [
    'extend-video',
    pending('e41e5586-dcee-4659-ae56-dbf19d20051a', 'extend_video', 480, VIDEO_PENDING),
    'extend_video',
    480,
  ],
  [
    'video-upscale',
    pending('2cbffb65-10ac-45a2-91d4-19a19a19ab4c', 'video_upscale', 480, VIDEO_PENDING),
    'video_upscale',
    480,
  ],
];

const ALL = [0, 1, 2, 3];

/** The Get Task example: a completed diffusion. */
export const COMPLETED_DIFFUSION = {
  job_id: 'a616de55-6130-4e1f-b8cd-531ed0599353',
  model: 'midjourney',
  task_type: 'diffusion',
  status: 'completed',
  config: {
    service_mode: 'public',
    webhook_config: { endpoint: 'https://webhook.site/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', secret: '' },
  },
  input: null,
  output: {
    image_url: 'https://cdn.legnext.ai/temp/1760408558306.png',
    image_urls: [
      'https://cdn.legnext.ai/mj/a616de55-6130-4e1f-b8cd-531ed0599353_0.png',
      'https://cdn.legnext.ai/mj/a616de55-6130-4e1f-b8cd-531ed0599353_1.png',
      'https://cdn.legnext.ai/mj/a616de55-6130-4e1f-b8cd-531ed0599353_2.png',
      'https://cdn.legnext.ai/mj/a616de55-6130-4e1f-b8cd-531ed0599353_3.png',
    ],
    seed: '1904983176',
    available_actions: {
      edit: ALL,
      inpaint: ALL,
      outpaint: ALL,
      pan: ALL,
      remix: ALL,
      reroll: true,
      upscale: ALL,
      variation: ALL,
    },
  },
  meta: {
    created_at: '2025-10-14T02:22:04Z',
    started_at: '2025-10-14T02:22:06Z',
    ended_at: '2025-10-14T02:22:50Z',
    usage: { type: 'point', frozen: 80, consume: 80 },
  },
  detail: null,
  logs: [],
  error: NO_ERROR,
};

function completed(
  jobId: string,
  taskType: string,
  output: Record<string, unknown>,
  usage: { frozen: number; consume: number },
): Record<string, unknown> {
  return {
    ...COMPLETED_DIFFUSION,
    job_id: jobId,
    task_type: taskType,
    output,
    meta: { ...COMPLETED_DIFFUSION.meta, usage: { type: 'point', ...usage } },
  };
}

export const COMPLETED_VIDEO = completed(
  'd55cb628-3f71-4be8-bea1-4e01319b6589',
  'video_diffusion',
  {
    video_urls: [
      'https://cdn.legnext.ai/video/d55cb628_0.mp4',
      'https://cdn.legnext.ai/video/d55cb628_1.mp4',
      'https://cdn.legnext.ai/video/d55cb628_2.mp4',
      'https://cdn.legnext.ai/video/d55cb628_3.mp4',
    ],
    seed: '',
  },
  { frozen: 480, consume: 480 },
);

export const COMPLETED_UPSCALE = completed(
  '8541c46c-6af7-49a5-a5a2-dd82eae7e6c8',
  'upscale',
  {
    image_url: 'https://cdn.legnext.ai/mj/8541c46c-6af7-49a5-a5a2-dd82eae7e6c8.png',
    image_urls: ['https://cdn.legnext.ai/mj/8541c46c-6af7-49a5-a5a2-dd82eae7e6c8.png'],
    seed: '1904983176',
    available_actions: { variation: [0], remix: [0] },
  },
  { frozen: 120, consume: 120 },
);

export const DESCRIBE_PROMPTS = [
  'a tabby cat asleep on a windowsill, soft morning light --ar 4:3',
  'sleepy cat, sunlit window, cozy interior --ar 4:3',
  'a cat napping by the window, film photograph --ar 4:3',
  'golden light on a sleeping tabby, still life --ar 4:3',
];

export const COMPLETED_DESCRIBE = completed(
  '54aeca4b-f443-41f3-8b94-28cbdc2e7e20',
  'describe',
  {
    promptEn: 'a tabby cat asleep on a windowsill, soft morning light',
    description: 'A cat sleeping in the sun.',
    finalPrompt: '',
    prompts: DESCRIBE_PROMPTS,
  },
  { frozen: 20, consume: 20 },
);

export const COMPLETED_SHORTEN = completed(
  '48833d7a-d588-4ad9-897b-25e1ea9edff7',
  'shorten',
  {
    promptEn: '',
    description: '',
    finalPrompt: 'cyberpunk hacker workspace, holographic screens, neon --ar 21:9',
    prompts: [],
  },
  { frozen: 20, consume: 20 },
);

export const FAILED_JOB = {
  ...COMPLETED_DIFFUSION,
  status: 'failed',
  output: IMAGE_PENDING,
  meta: { ...COMPLETED_DIFFUSION.meta, usage: { type: 'point', frozen: 80, consume: 0 } },
  error: {
    code: 10003,
    raw_message: 'banned prompt detected',
    message: 'Your prompt may violate the content policy.',
    detail: null,
  },
};

/** The Get Account Balance example. */
export const BALANCE = {
  code: 200,
  data: {
    account_id: 1,
    balance_usd: 72.048,
    available_credits: 71000,
    available_points: 1048,
    alert_threshold: 10,
    low_balance_alert: false,
    updated_at: '2025-11-05T08:22:37.784663288Z',
  },
  message: 'success',
};

/** The contract's ActiveTasksResponse. */
export const ACTIVE_TASKS = {
  account_id: '0b9a1c55-3a5e-4c0f-9d33-3f55d1d1a111',
  total_active: 2,
  concurrent_limit: 6,
  tasks: [
    {
      job_id: '789320d3-4b20-46d3-a804-6165a079176a',
      task_type: 'diffusion',
      status: 'processing',
      created_at: '2025-12-17T11:08:36Z',
      progress: 40,
      estimated_time: 30,
    },
    {
      job_id: 'd55cb628-3f71-4be8-bea1-4e01319b6589',
      task_type: 'video-diffusion',
      status: 'pending',
      created_at: '2025-12-17T11:09:00Z',
      progress: 0,
      estimated_time: null,
    },
  ],
  updated_at: '2025-12-17T11:09:05Z',
};

/** The documented error body. */
export function errorBody(code: number, message: string, rawMessage = ''): Record<string, unknown> {
  return { code, message, raw_message: rawMessage, detail: null };
}
