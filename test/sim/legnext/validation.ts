/**
 * Request validation for every POST endpoint, as each endpoint's parameter table in the Legnext
 * docs states it. A failure is the API's 400 with a message naming the offending field; a valid body
 * becomes a `SubmitSpec`, the part of the request the job store needs.
 */
import {
  ACTION_KEY,
  TASK_COST,
  TOPAZ_RESOLUTION_COST,
  VIDEO_COST_PER_VIDEO,
  type SimTaskType,
} from './catalog';
import { badRequest } from './errors';
import { aspectRatio, checkPrompt, costMultiplier, flagValue, parseRatio, type PromptInfo } from './prompt';

type Body = Record<string, unknown>;

export interface ParentRef {
  jobId: string;
  index: number;
  /** `image`: imageNo into an image job; `video`: videoNo into a video job; `job`: the whole job. */
  kind: 'image' | 'video' | 'job';
  /** The `available_actions` key imageNo must be listed under, for actions the API gates that way. */
  action?: string;
}

export interface SubmitSpec {
  taskType: SimTaskType;
  /** The request's prompt text (`text`, `prompt` or `remixPrompt`), `''` when it has none. */
  prompt: string;
  promptInfo: PromptInfo | undefined;
  /** describe's image, or the image a URL-based task works on. */
  sourceUrl: string;
  parent: ParentRef | undefined;
  callback: string;
  cost: number;
  /** Videos a video task produces (`--bs`, default 4; extend and upscale make one). */
  videoCount: number;
  /** Requested aspect ratio, when the request states one. */
  aspect: [number, number] | undefined;
}

const PROMPT_MAX = 8192;
const URL_MAX = 1024;
const BLEND_RATIOS = ['2:3', '1:1', '3:2'];
const TOPAZ_ENUMS = {
  target_resolution: Object.keys(TOPAZ_RESOLUTION_COST),
  content_type: ['standard', 'photo', 'illustration', 'text', 'low_res'],
  aspect_ratio: ['keep', '1:1', '16:9', '9:16', '4:5', '5:4', '3:2', '2:3', '4:3', '3:4'],
  crop_mode: ['letterbox', 'crop', 'stretch'],
  output_format: ['jpeg', 'jpg', 'png', 'tiff', 'tif'],
  face_enhancement_level: ['off', 'none', 'subtle', 'moderate', 'strong'],
} as const;

function present(body: Body, field: string): boolean {
  return body[field] !== undefined && body[field] !== null;
}

function text(body: Body, field: string, required: boolean): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (required) throw badRequest(`${field} is required.`, field);
    return undefined;
  }
  if (typeof v !== 'string') throw badRequest(`${field} must be a string.`, field);
  if (v.length < 1 || v.length > PROMPT_MAX) {
    throw badRequest(`${field} must be 1 to ${PROMPT_MAX} characters long.`, field);
  }
  return v;
}

function jobId(body: Body): string {
  const v = body.jobId;
  if (v === undefined || v === null) throw badRequest('jobId is required.', 'jobId');
  if (typeof v !== 'string' || v.trim() === '')
    throw badRequest('jobId must be a non-empty string.', 'jobId');
  return v;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max - min === 1 ? `${min} or ${max}` : `an integer from ${min} to ${max}`;
    throw badRequest(`${field} must be ${range}.`, field);
  }
  return value;
}

function int(body: Body, field: string, min: number, max: number, required: boolean): number | undefined {
  if (!present(body, field)) {
    if (required) throw badRequest(`${field} is required.`, field);
    return undefined;
  }
  return integer(body[field], field, min, max);
}

function decimal(body: Body, field: string, min: number, max: number): number {
  const v = body[field];
  if (v === undefined || v === null) throw badRequest(`${field} is required.`, field);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw badRequest(`${field} must be a number from ${min.toFixed(1)} to ${max.toFixed(1)}.`, field);
  }
  return v;
}

function isHttpUrl(v: string): boolean {
  if (v.length > URL_MAX) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function urlValue(v: unknown, field: string): string {
  if (typeof v !== 'string' || !isHttpUrl(v)) {
    throw badRequest(`${field} must be an http(s) URL of at most ${URL_MAX} characters.`, field);
  }
  return v;
}

function url(body: Body, field: string, required: boolean): string | undefined {
  if (!present(body, field)) {
    if (required) throw badRequest(`${field} is required.`, field);
    return undefined;
  }
  return urlValue(body[field], field);
}

function oneOf(body: Body, field: string, values: readonly string[], fallback: string): string {
  if (!present(body, field)) return fallback;
  const v = body[field];
  if (typeof v !== 'string' || !values.includes(v)) {
    throw badRequest(`${field} must be one of ${values.join(', ')}.`, field);
  }
  return v;
}

function object(v: unknown, field: string): Body {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw badRequest(`${field} must be an object.`, field);
  return v as Body;
}

function polygon(v: unknown, path: string): void {
  const p = object(v, path);
  for (const side of ['width', 'height']) {
    if (!present(p, side)) throw badRequest(`${path}.${side} is required.`, `${path}.${side}`);
    integer(p[side], `${path}.${side}`, 500, 4096);
  }
  const points = p.points;
  if (
    !Array.isArray(points) ||
    !points.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
  ) {
    throw badRequest(`${path}.points must be a list of non-negative integer coordinates.`, `${path}.points`);
  }
  if (points.length % 2 !== 0) {
    throw badRequest(`${path}.points must hold an even number of values (x, y pairs).`, `${path}.points`);
  }
  if (points.length < 6)
    throw badRequest(`${path}.points must describe at least 3 corners.`, `${path}.points`);
}

function mask(body: Body, required: boolean): void {
  if (!present(body, 'mask')) {
    if (required) throw badRequest('mask is required.', 'mask');
    return;
  }
  const m = object(body.mask, 'mask');
  if (!present(m, 'areas') && !present(m, 'url')) throw badRequest('mask needs areas or url.', 'mask');
  if (present(m, 'areas')) {
    if (!Array.isArray(m.areas) || m.areas.length === 0) {
      throw badRequest('mask.areas must be a non-empty list of polygons.', 'mask.areas');
    }
    m.areas.forEach((a, i) => polygon(a, `mask.areas[${i}]`));
  }
  if (present(m, 'url')) urlValue(m.url, 'mask.url');
}

function canvasAndPosition(body: Body): [number, number] {
  if (!present(body, 'canvas')) throw badRequest('canvas is required.', 'canvas');
  if (!present(body, 'imgPos')) throw badRequest('imgPos is required.', 'imgPos');
  const canvas = object(body.canvas, 'canvas');
  const pos = object(body.imgPos, 'imgPos');
  const size = (o: Body, path: string, field: string): number => {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw badRequest(`${path}.${field} must be a positive integer.`, `${path}.${field}`);
    }
    return v;
  };
  const offset = (o: Body, field: string): void => {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw badRequest(`imgPos.${field} must be an integer.`, `imgPos.${field}`);
    }
  };
  const width = size(canvas, 'canvas', 'width');
  const height = size(canvas, 'canvas', 'height');
  size(pos, 'imgPos', 'width');
  size(pos, 'imgPos', 'height');
  offset(pos, 'x');
  offset(pos, 'y');
  return [width, height];
}

function imageNo(body: Body): number {
  return int(body, 'imageNo', 0, 3, true) as number;
}

function videoNo(body: Body): number {
  return int(body, 'videoNo', 0, 3, true) as number;
}

/** Optional remixPrompt shared by the image follow-ups; checked like any image prompt. */
function remixPrompt(body: Body, required: boolean): { prompt: string; info: PromptInfo | undefined } {
  const v = text(body, 'remixPrompt', required);
  return v === undefined
    ? { prompt: '', info: undefined }
    : { prompt: v, info: checkPrompt(v, 'remixPrompt', 'image') };
}

function spec(taskType: SimTaskType, body: Body, init: Partial<SubmitSpec>): SubmitSpec {
  return {
    taskType,
    prompt: '',
    promptInfo: undefined,
    sourceUrl: '',
    parent: undefined,
    callback: url(body, 'callback', false) ?? '',
    cost: TASK_COST[taskType],
    videoCount: 0,
    aspect: undefined,
    ...init,
  };
}

function imageFollowUp(taskType: SimTaskType, body: Body, init: Partial<SubmitSpec> = {}): SubmitSpec {
  const parent: ParentRef = {
    jobId: jobId(body),
    index: imageNo(body),
    kind: 'image',
    action: ACTION_KEY[taskType],
  };
  return spec(taskType, body, { parent, ...init });
}

const VALIDATORS: Record<SimTaskType, (body: Body) => SubmitSpec> = {
  diffusion(body) {
    const prompt = text(body, 'text', true) as string;
    const info = checkPrompt(prompt, 'text', 'image');
    return spec('diffusion', body, {
      prompt,
      promptInfo: info,
      aspect: aspectRatio(info),
      cost: TASK_COST.diffusion * costMultiplier(info),
    });
  },
  variation(body) {
    int(body, 'type', 0, 1, true);
    const r = remixPrompt(body, false);
    return imageFollowUp('variation', body, { prompt: r.prompt, promptInfo: r.info });
  },
  upscale(body) {
    int(body, 'type', 0, 1, true);
    return imageFollowUp('upscale', body);
  },
  reroll(body) {
    return spec('reroll', body, { parent: { jobId: jobId(body), index: 0, kind: 'job', action: 'reroll' } });
  },
  blend(body) {
    const urls = body.imgUrls;
    if (urls === undefined || urls === null) throw badRequest('imgUrls is required.', 'imgUrls');
    if (!Array.isArray(urls) || urls.length < 2 || urls.length > 5) {
      throw badRequest('imgUrls must list 2 to 5 image URLs.', 'imgUrls');
    }
    urls.forEach((u, i) => urlValue(u, `imgUrls[${i}]`));
    if (!present(body, 'aspect_ratio')) throw badRequest('aspect_ratio is required.', 'aspect_ratio');
    const ratio = oneOf(body, 'aspect_ratio', BLEND_RATIOS, '1:1');
    return spec('blend', body, { sourceUrl: urls[0] as string, aspect: parseRatio(ratio) });
  },
  describe(body) {
    return spec('describe', body, { sourceUrl: url(body, 'imgUrl', true) });
  },
  shorten(body) {
    return spec('shorten', body, { prompt: text(body, 'prompt', true) });
  },
  pan(body) {
    int(body, 'direction', 0, 3, true);
    decimal(body, 'scale', 1.1, 3.0);
    const r = remixPrompt(body, false);
    return imageFollowUp('pan', body, { prompt: r.prompt, promptInfo: r.info });
  },
  outpaint(body) {
    decimal(body, 'scale', 1.1, 2.0);
    const r = remixPrompt(body, false);
    return imageFollowUp('outpaint', body, { prompt: r.prompt, promptInfo: r.info });
  },
  inpaint(body) {
    // `area` is the deprecated single-polygon form of `mask`; either one names the region.
    if (present(body, 'area')) polygon(body.area, 'area');
    mask(body, !present(body, 'area'));
    const r = remixPrompt(body, false);
    return imageFollowUp('inpaint', body, { prompt: r.prompt, promptInfo: r.info });
  },
  remix(body) {
    const r = remixPrompt(body, true);
    int(body, 'mode', 0, 1, false);
    return imageFollowUp('remix', body, { prompt: r.prompt, promptInfo: r.info });
  },
  edit(body) {
    canvasAndPosition(body);
    const r = remixPrompt(body, true);
    mask(body, false);
    return imageFollowUp('edit', body, { prompt: r.prompt, promptInfo: r.info });
  },
  upload_paint(body) {
    const source = url(body, 'imgUrl', true);
    const [w, h] = canvasAndPosition(body);
    const r = remixPrompt(body, true);
    mask(body, true);
    return spec('upload_paint', body, {
      sourceUrl: source,
      prompt: r.prompt,
      promptInfo: r.info,
      aspect: [w, h],
    });
  },
  retexture(body) {
    const source = url(body, 'imgUrl', true);
    const r = remixPrompt(body, true);
    return spec('retexture', body, { sourceUrl: source, prompt: r.prompt, promptInfo: r.info });
  },
  remove_background(body) {
    return spec('remove_background', body, { sourceUrl: url(body, 'imgUrl', true) });
  },
  enhance(body) {
    return imageFollowUp('enhance', body);
  },
  enhance_upscale(body) {
    const byUrl = present(body, 'image_url');
    const byJob = present(body, 'jobId');
    if (byUrl && byJob)
      throw badRequest('Give either image_url or jobId with imageNo, not both.', 'image_url');
    if (!byUrl && !byJob) throw badRequest('image_url or jobId is required.', 'image_url');
    const resolution = oneOf(body, 'target_resolution', TOPAZ_ENUMS.target_resolution, '2K');
    for (const field of [
      'content_type',
      'aspect_ratio',
      'crop_mode',
      'output_format',
      'face_enhancement_level',
    ] as const) {
      oneOf(body, field, TOPAZ_ENUMS[field], TOPAZ_ENUMS[field][0]);
    }
    const cost = TOPAZ_RESOLUTION_COST[resolution] ?? TASK_COST.enhance_upscale;
    const ratio = parseRatio(typeof body.aspect_ratio === 'string' ? body.aspect_ratio : '');
    if (byUrl)
      return spec('enhance_upscale', body, { sourceUrl: url(body, 'image_url', true), cost, aspect: ratio });
    const parent: ParentRef = { jobId: jobId(body), index: imageNo(body), kind: 'image' };
    return spec('enhance_upscale', body, { parent, cost, aspect: ratio });
  },
  video_diffusion(body) {
    int(body, 'videoType', 0, 1, false);
    if (present(body, 'jobId')) {
      const parent: ParentRef = { jobId: jobId(body), index: imageNo(body), kind: 'image' };
      const prompt = text(body, 'prompt', false) ?? '';
      return videoSpec('video_diffusion', body, prompt, parent);
    }
    if (present(body, 'imageNo')) throw badRequest('jobId is required when imageNo is given.', 'jobId');
    // Without jobId: image-to-video when the prompt starts with an image URL, else text-to-video (the
    // SDK reference's "Generate from text only").
    const prompt = text(body, 'prompt', true) as string;
    const first = prompt.trim().split(/\s+/)[0] ?? '';
    const spec = videoSpec('video_diffusion', body, prompt, undefined);
    return isHttpUrl(first) ? { ...spec, sourceUrl: first } : spec;
  },
  extend_video(body) {
    const parent: ParentRef = { jobId: jobId(body), index: videoNo(body), kind: 'video' };
    return videoSpec('extend_video', body, text(body, 'prompt', false) ?? '', parent);
  },
  video_upscale(body) {
    const parent: ParentRef = { jobId: jobId(body), index: videoNo(body), kind: 'video' };
    return videoSpec('video_upscale', body, '', parent);
  },
};

function videoSpec(
  taskType: SimTaskType,
  body: Body,
  prompt: string,
  parent: ParentRef | undefined,
): SubmitSpec {
  const info = prompt ? checkPrompt(prompt, 'prompt', 'video') : undefined;
  if (taskType !== 'video_diffusion') {
    // Extending or upscaling works on one video; a batch size has nothing to apply to.
    if (info && flagValue(info, 'bs', 'batchsize') !== undefined) {
      throw badRequest('--bs is only supported when creating videos with video-diffusion.', 'prompt');
    }
    return spec(taskType, body, { prompt, promptInfo: info, parent, videoCount: 1 });
  }
  const count = Number(info ? (flagValue(info, 'bs', 'batchsize') ?? 4) : 4);
  return spec(taskType, body, {
    prompt,
    promptInfo: info,
    parent,
    videoCount: count,
    cost: VIDEO_COST_PER_VIDEO * count,
  });
}

export function validateSubmit(taskType: SimTaskType, body: Body): SubmitSpec {
  return VALIDATORS[taskType](body);
}
