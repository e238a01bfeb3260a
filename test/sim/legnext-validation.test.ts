import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLegnextSim, type LegnextSim } from './legnext/index';
import { finished, post, type ErrorJson, type JobJson } from './support';

let sim: LegnextSim;
let grid: JobJson;
let video: JobJson;

beforeAll(async () => {
  sim = await startLegnextSim({
    durations: { pending: 0, staged: 0, processing: 1000 },
    maxConcurrent: 1000,
  });
  grid = await finished(sim, 'diffusion', { text: 'a parent grid --v 7 --draft' });
  video = await finished(sim, 'video-diffusion', { jobId: grid.job_id, imageNo: 0, prompt: 'sway --bs 2' });
});
afterAll(async () => {
  await sim.close();
});

const URL_OK = 'https://img.test/source.png';
const polygon = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  width: 500,
  height: 500,
  points: [10, 10, 10, 100, 100, 100, 100, 10],
  ...over,
});
const canvas = { width: 1024, height: 1024 };
const imgPos = { width: 512, height: 512, x: 256, y: 256 };

/** A valid body per endpoint; each case below breaks one thing in it. */
function valid(endpoint: string): Record<string, unknown> {
  const parent = { jobId: grid.job_id, imageNo: 0 };
  const bodies: Record<string, Record<string, unknown>> = {
    diffusion: { text: 'a valid prompt' },
    variation: { ...parent, type: 0 },
    upscale: { ...parent, type: 1 },
    reroll: { jobId: grid.job_id },
    blend: { imgUrls: [URL_OK, URL_OK], aspect_ratio: '1:1' },
    describe: { imgUrl: URL_OK },
    shorten: { prompt: 'a long prompt to shorten' },
    pan: { ...parent, direction: 1, scale: 1.5 },
    outpaint: { ...parent, scale: 1.5 },
    inpaint: { ...parent, mask: { areas: [polygon()] }, remixPrompt: 'a tree' },
    remix: { ...parent, remixPrompt: 'golden hour', mode: 1 },
    edit: { ...parent, canvas, imgPos, remixPrompt: 'a hat' },
    'upload-paint': { imgUrl: URL_OK, canvas, imgPos, remixPrompt: 'a hat', mask: { areas: [polygon()] } },
    retexture: { imgUrl: URL_OK, remixPrompt: 'oil painting' },
    'remove-background': { imgUrl: URL_OK },
    enhance: parent,
    'enhance-upscale': { image_url: URL_OK },
    'video-diffusion': { prompt: `${URL_OK} waves` },
    'extend-video': { jobId: video.job_id, videoNo: 1 },
    'video-upscale': { jobId: video.job_id, videoNo: 0 },
  };
  const body = bodies[endpoint];
  if (!body) throw new Error(`no valid body for ${endpoint}`);
  return structuredClone(body);
}

type Case = [name: string, endpoint: string, change: Record<string, unknown>, field: string];
const DROP = undefined;

/** Each documented rule, broken once. `field` must appear in the error message. */
const CASES: Case[] = [
  ['text required', 'diffusion', { text: DROP }, 'text'],
  ['text empty', 'diffusion', { text: '' }, 'text'],
  ['text over 8192', 'diffusion', { text: 'x'.repeat(8193) }, 'text'],
  ['text not a string', 'diffusion', { text: 42 }, 'text'],
  ['callback not http(s)', 'diffusion', { callback: 'ftp://hooks.test/x' }, 'callback'],
  ['jobId required', 'variation', { jobId: DROP }, 'jobId'],
  ['imageNo required', 'variation', { imageNo: DROP }, 'imageNo'],
  ['imageNo above 3', 'variation', { imageNo: 4 }, 'imageNo'],
  ['imageNo below 0', 'upscale', { imageNo: -1 }, 'imageNo'],
  ['imageNo not integer', 'upscale', { imageNo: 1.5 }, 'imageNo'],
  ['variation type 2', 'variation', { type: 2 }, 'type'],
  ['variation type required', 'variation', { type: DROP }, 'type'],
  ['upscale type 3 (deprecated v5)', 'upscale', { type: 3 }, 'type'],
  ['remixPrompt over 8192', 'variation', { remixPrompt: 'x'.repeat(8193) }, 'remixPrompt'],
  ['reroll jobId required', 'reroll', { jobId: DROP }, 'jobId'],
  ['blend one URL', 'blend', { imgUrls: [URL_OK] }, 'imgUrls'],
  ['blend six URLs', 'blend', { imgUrls: Array(6).fill(URL_OK) }, 'imgUrls'],
  ['blend URL not http', 'blend', { imgUrls: [URL_OK, 'file:///etc/passwd'] }, 'imgUrls[1]'],
  ['blend aspect 16:9', 'blend', { aspect_ratio: '16:9' }, 'aspect_ratio'],
  ['blend aspect required', 'blend', { aspect_ratio: DROP }, 'aspect_ratio'],
  ['describe imgUrl required', 'describe', { imgUrl: DROP }, 'imgUrl'],
  ['describe imgUrl not a URL', 'describe', { imgUrl: 'not a url' }, 'imgUrl'],
  [
    'imgUrl over 1024 chars',
    'remove-background',
    { imgUrl: `https://img.test/${'a'.repeat(1010)}.png` },
    'imgUrl',
  ],
  ['shorten prompt required', 'shorten', { prompt: DROP }, 'prompt'],
  ['pan direction 4', 'pan', { direction: 4 }, 'direction'],
  ['pan direction required', 'pan', { direction: DROP }, 'direction'],
  ['pan scale 1.0', 'pan', { scale: 1.0 }, 'scale'],
  ['pan scale 3.1', 'pan', { scale: 3.1 }, 'scale'],
  ['pan scale not a number', 'pan', { scale: '2' }, 'scale'],
  ['outpaint scale 2.1', 'outpaint', { scale: 2.1 }, 'scale'],
  ['outpaint scale 1.05', 'outpaint', { scale: 1.05 }, 'scale'],
  ['inpaint mask required', 'inpaint', { mask: DROP }, 'mask'],
  ['inpaint mask empty', 'inpaint', { mask: {} }, 'mask'],
  ['polygon width 499', 'inpaint', { mask: { areas: [polygon({ width: 499 })] } }, 'mask.areas[0].width'],
  [
    'polygon height 4097',
    'inpaint',
    { mask: { areas: [polygon({ height: 4097 })] } },
    'mask.areas[0].height',
  ],
  [
    'polygon odd points',
    'inpaint',
    { mask: { areas: [polygon({ points: [1, 2, 3, 4, 5, 6, 7] })] } },
    'points',
  ],
  ['polygon two corners', 'inpaint', { mask: { areas: [polygon({ points: [1, 2, 3, 4] })] } }, 'points'],
  ['mask url not http', 'inpaint', { mask: { url: 'mask.png' } }, 'mask.url'],
  ['deprecated area checked too', 'inpaint', { mask: DROP, area: polygon({ width: 100 }) }, 'area.width'],
  ['remix remixPrompt required', 'remix', { remixPrompt: DROP }, 'remixPrompt'],
  ['remix mode 2', 'remix', { mode: 2 }, 'mode'],
  ['edit canvas required', 'edit', { canvas: DROP }, 'canvas'],
  ['edit imgPos.x missing', 'edit', { imgPos: { width: 1, height: 1, y: 0 } }, 'imgPos.x'],
  ['edit remixPrompt required', 'edit', { remixPrompt: DROP }, 'remixPrompt'],
  ['upload-paint mask required', 'upload-paint', { mask: DROP }, 'mask'],
  ['upload-paint imgUrl required', 'upload-paint', { imgUrl: DROP }, 'imgUrl'],
  ['retexture remixPrompt required', 'retexture', { remixPrompt: DROP }, 'remixPrompt'],
  ['enhance imageNo required', 'enhance', { imageNo: DROP }, 'imageNo'],
  ['topaz needs a source', 'enhance-upscale', { image_url: DROP }, 'image_url'],
  ['topaz both sources', 'enhance-upscale', { jobId: 'x', imageNo: 0 }, 'image_url'],
  ['topaz resolution 16K', 'enhance-upscale', { target_resolution: '16K' }, 'target_resolution'],
  ['topaz content type', 'enhance-upscale', { content_type: 'anime' }, 'content_type'],
  ['topaz aspect', 'enhance-upscale', { aspect_ratio: '21:9' }, 'aspect_ratio'],
  ['topaz crop mode', 'enhance-upscale', { crop_mode: 'zoom' }, 'crop_mode'],
  ['topaz output format', 'enhance-upscale', { output_format: 'gif' }, 'output_format'],
  ['topaz face level', 'enhance-upscale', { face_enhancement_level: 'max' }, 'face_enhancement_level'],
  ['video needs a source', 'video-diffusion', { prompt: DROP }, 'prompt'],
  ['video imageNo without jobId', 'video-diffusion', { prompt: DROP, imageNo: 0 }, 'jobId'],
  ['video jobId without imageNo', 'video-diffusion', { prompt: DROP, jobId: 'x' }, 'imageNo'],
  ['videoType 2', 'video-diffusion', { videoType: 2 }, 'videoType'],
  ['--bs 3', 'video-diffusion', { prompt: `${URL_OK} waves --bs 3` }, '--bs'],
  ['extend videoNo 4', 'extend-video', { videoNo: 4 }, 'videoNo'],
  ['extend videoNo required', 'extend-video', { videoNo: DROP }, 'videoNo'],
  ['extend with --bs', 'extend-video', { prompt: 'more --bs 2' }, '--bs'],
  ['video-upscale jobId required', 'video-upscale', { jobId: DROP }, 'jobId'],
];

/** Flags the docs say the API rejects, in `text` of a diffusion. */
const REJECTED_PROMPTS: Array<[string, string]> = [
  ['cat --v 8.1 --q 2', '--q'],
  ['cat --v 8.1 --quality 1', '--quality'],
  ['cat --v 8.1 --cref https://img.test/c.png', '--cref'],
  ['cat --v 8.1 --cw 50', '--cw'],
  ['cat --v 8.1 --oref https://img.test/o.png', '--oref'],
  ['cat --v 8.1 --ow 100', '--ow'],
  ['cat --v 8.1 --no dogs', '--no'],
  ['cat --v 8.1 --turbo', '--turbo'],
  ['cat --v 8 --turbo', '--turbo'],
  ['cat --v 6.1 --draft', '--draft'],
  ['cat --v 8 --draft', '--draft'],
  ['cat --niji 6 --draft', '--draft'],
  ['cat --repeat 4', '--repeat'],
  ['cat --personalize', '--personalize'],
  ['cat --stealth', '--stealth'],
  ['cat --public', '--public'],
  ['a {red, blue} bird', '{…}'],
  ['cat --bs 2', '--bs'],
  ['cat --video', '--video'],
];

function breakBody(endpoint: string, change: Record<string, unknown>): Record<string, unknown> {
  const body = valid(endpoint);
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete body[k];
    else body[k] = v;
  }
  return body;
}

describe('request validation', () => {
  it('accepts the valid body of every endpoint', async () => {
    for (const endpoint of [...new Set(CASES.map((c) => c[1]))]) {
      const r = await post(sim, endpoint, valid(endpoint));
      expect(r.status, `${endpoint}: ${r.text}`).toBe(200);
    }
  });

  it.each(CASES)('rejects %s with 400 naming the field', async (_name, endpoint, change, field) => {
    const before = sim.credits();
    const r = await post(sim, endpoint, breakBody(endpoint, change));
    expect(r.status, r.text).toBe(400);
    const body = r.json as ErrorJson;
    expect(body.code).toBe(400);
    expect(body.detail).toBeNull();
    expect(body.message).toContain(field);
    expect(sim.credits()).toBe(before);
  });

  it("accepts a text-only video prompt (the SDK reference's text-to-video)", async () => {
    const r = await post(sim, 'video-diffusion', { prompt: 'ocean waves at dusk --motion high' });
    expect(r.status, r.text).toBe(200);
    expect((r.json as JobJson).task_type).toBe('video_diffusion');
  });

  it.each(REJECTED_PROMPTS)('rejects the prompt %j naming %s', async (text, flag) => {
    const r = await post(sim, 'diffusion', { text });
    expect(r.status, r.text).toBe(400);
    expect((r.json as ErrorJson).message).toContain(flag);
  });

  it('applies the prompt rules to remixPrompt too', async () => {
    const r = await post(sim, 'remix', {
      jobId: grid.job_id,
      imageNo: 0,
      remixPrompt: 'dog --v 8.1 --no cats',
    });
    expect(r.status).toBe(400);
    expect((r.json as ErrorJson).message).toContain('--no');
  });

  it('accepts the edges of every documented range', async () => {
    const accepted: Array<[string, Record<string, unknown>]> = [
      ['diffusion', { text: 'x' }],
      ['diffusion', { text: 'y'.repeat(8192) }],
      ['diffusion', { text: 'cat --v 8.1 --hd --sref https://img.test/s.png' }],
      ['diffusion', { text: 'cat --v 7 --draft' }],
      ['diffusion', { text: 'cat --v7 --draft' }],
      ['diffusion', { text: 'cat --draft' }],
      ['diffusion', { text: 'cat --v 8 --q 4' }],
      ['pan', breakBody('pan', { scale: 1.1, direction: 0 })],
      ['pan', breakBody('pan', { scale: 3.0, direction: 3 })],
      ['outpaint', breakBody('outpaint', { scale: 2.0, imageNo: 3 })],
      ['blend', breakBody('blend', { imgUrls: Array(5).fill(URL_OK), aspect_ratio: '2:3' })],
      ['blend', breakBody('blend', { aspect_ratio: '3:2' })],
      ['inpaint', breakBody('inpaint', { mask: { areas: [polygon({ width: 4096, height: 4096 })] } })],
      ['inpaint', breakBody('inpaint', { mask: { url: URL_OK } })],
      ['inpaint', breakBody('inpaint', { mask: DROP, area: polygon() })],
      [
        'remove-background',
        { imgUrl: `https://img.test/${'a'.repeat(1024 - 'https://img.test/.png'.length)}.png` },
      ],
      ['video-diffusion', { prompt: `${URL_OK} a --bs 1` }],
      ['video-diffusion', { prompt: `${URL_OK} b --bs 4 --motion high --loop --end ${URL_OK}` }],
      ['video-diffusion', { jobId: grid.job_id, imageNo: 3, videoType: 1 }],
      ['enhance-upscale', { jobId: grid.job_id, imageNo: 2, target_resolution: '12K', output_format: 'png' }],
      ['remix', breakBody('remix', { mode: 0 })],
    ];
    for (const [endpoint, body] of accepted) {
      const r = await post(sim, endpoint, body);
      expect(r.status, `${endpoint} ${JSON.stringify(body).slice(0, 120)}: ${r.text}`).toBe(200);
    }
  });
});
