/**
 * Every body the simulator produces, checked against Legnext's OpenAPI contract. The simulator
 * follows the prose docs where the two disagree; those disagreements are listed here, each with the
 * schema error it causes, and the test fails both on any other error and on a listed disagreement
 * that no longer occurs (so the list cannot rot).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_PATH, postPaths, requestBodyErrors, schemaErrors } from '../support/openapi';
import { startLegnextSim, type LegnextSim } from './legnext/index';
import { FINISH_MS, call, finished, getJob, post, submit, type JobJson } from './support';

interface Disagreement {
  docs: string;
  contract: string;
  /** The Ajv error (as `schemaErrors` words it) this disagreement causes. */
  error: RegExp;
}

const KNOWN: Record<string, Disagreement> = {
  taskTypeSpelling: {
    docs: 'task_type is upload_paint, remove_background, enhance_upscale, video_diffusion, extend_video, video_upscale',
    contract: 'TaskType hyphenates them (upload-paint, video-diffusion, …) and has no enhance-upscale at all',
    error: /^\/(tasks\/\d+\/)?task_type must be equal to one of the allowed values$/,
  },
  imageUrlsNull: {
    docs: 'output.image_urls is null until the job completes',
    contract: 'ImageOutput.image_urls is an array and not nullable',
    error: /^\/output\/image_urls must be array$/,
  },
  imageUrlEmpty: {
    docs: 'output.image_url is "" until the job completes',
    contract: 'ImageOutput.image_url is a URI (or null)',
    error: /^\/output\/image_url must match format "uri"$/,
  },
  webhookEndpointEmpty: {
    docs: 'config.webhook_config.endpoint is "" when no callback was given',
    contract: 'WebhookConfig.endpoint is a URI',
    error: /^\/config\/webhook_config\/endpoint must match format "uri"$/,
  },
};

/**
 * `output` is `ImageOutput | null` in the contract, so any error inside it also yields these two
 * wrapper errors; they are explained exactly when an explained `/output/…` error accompanies them.
 */
const OUTPUT_WRAPPER = [/^\/output must be null$/, /^\/output must match a schema in anyOf$/];

/** Disagreements that produce no schema error (the contract's objects allow extra properties). */
const SILENT = {
  errorEnvelope:
    'Errors: the docs put {code, message, raw_message, detail} at the top level; the contract wraps them as ErrorResponse {error: Error}.',
  videoOutput: 'Video tasks answer output.video_urls, which the contract’s ImageOutput does not describe.',
  textOutput:
    'describe/shorten answer output.promptEn/description/finalPrompt/prompts, absent from ImageOutput.',
  availableActions: 'Completed image jobs carry output.available_actions, absent from ImageOutput.',
  enhanceUpscalePath: 'POST /v1/enhance-upscale (Topaz) is documented but has no path in the contract.',
  uploadPaintMultipart:
    'upload-paint takes a JSON body in the docs; the contract declares multipart/form-data.',
};

const seen = new Set<string>();

/** Schema errors no listed disagreement explains. */
function unexplained(errors: string[]): string[] {
  const explained = (e: string): boolean => {
    for (const [id, d] of Object.entries(KNOWN)) {
      if (d.error.test(e)) {
        seen.add(id);
        return true;
      }
    }
    return false;
  };
  const rest = errors.filter((e) => !explained(e));
  const outputExplained = errors.some((e) => e.startsWith('/output/') && explained(e));
  return rest.filter((e) => !(outputExplained && OUTPUT_WRAPPER.some((w) => w.test(e))));
}

let sim: LegnextSim;
let draftGrid: JobJson;
let video: JobJson;

beforeAll(async () => {
  sim = await startLegnextSim({
    durations: { pending: 30_000, staged: 30_000, processing: 30_000 },
    maxConcurrent: 100,
  });
  draftGrid = await finished(sim, 'diffusion', { text: 'a contract grid --v 7 --draft' });
  video = await finished(sim, 'video-diffusion', {
    jobId: draftGrid.job_id,
    imageNo: 0,
    prompt: 'sway --bs 2',
  });
});
afterAll(async () => {
  await sim.close();
});

const IMG = 'https://img.test/source.png';
const AREA = { width: 500, height: 500, points: [10, 10, 10, 100, 100, 100, 100, 10] };

function requests(): Array<[string, Record<string, unknown>]> {
  const parent = { jobId: draftGrid.job_id, imageNo: 1 };
  const canvas = { width: 1024, height: 1024 };
  const imgPos = { width: 512, height: 512, x: 256, y: 256 };
  return [
    ['diffusion', { text: 'a contract test --ar 3:2', callback: 'https://hooks.test/done' }],
    ['variation', { ...parent, type: 1, remixPrompt: 'more blue' }],
    ['upscale', { ...parent, type: 0 }],
    ['reroll', { jobId: draftGrid.job_id }],
    ['blend', { imgUrls: [IMG, IMG, IMG], aspect_ratio: '2:3' }],
    ['describe', { imgUrl: IMG }],
    ['shorten', { prompt: 'a very long prompt about many things --v 7' }],
    ['pan', { ...parent, direction: 1, scale: 1.5 }],
    ['outpaint', { ...parent, scale: 1.3 }],
    ['inpaint', { ...parent, mask: { areas: [AREA] }, remixPrompt: 'a tree' }],
    ['remix', { ...parent, remixPrompt: 'at night', mode: 0 }],
    ['edit', { ...parent, canvas, imgPos, remixPrompt: 'a hat' }],
    ['upload-paint', { imgUrl: IMG, canvas, imgPos, remixPrompt: 'a hat', mask: { areas: [AREA] } }],
    ['retexture', { imgUrl: IMG, remixPrompt: 'brushed steel' }],
    ['remove-background', { imgUrl: IMG }],
    ['enhance', parent],
    ['enhance-upscale', { image_url: IMG, target_resolution: '4K' }],
    ['video-diffusion', { prompt: `${IMG} drifting clouds --bs 2`, videoType: 1 }],
    ['extend-video', { jobId: video.job_id, videoNo: 1, prompt: 'keep drifting' }],
    ['video-upscale', { jobId: video.job_id, videoNo: 0 }],
  ];
}

describe('OpenAPI contract', () => {
  it('covers every contract POST path, and only enhance-upscale is missing from the contract', () => {
    const simPaths = requests().map(([e]) => `/v1/${e}`);
    const contract = postPaths();
    expect(contract.filter((p) => !simPaths.includes(p))).toEqual([]);
    expect(simPaths.filter((p) => !contract.includes(p))).toEqual(['/v1/enhance-upscale']);
  });

  it('accepts request bodies that fit the contract', () => {
    for (const [endpoint, body] of requests()) {
      if (endpoint === 'enhance-upscale') continue;
      // The contract declares upload-paint as multipart; its schema still describes the fields.
      const errors =
        endpoint === 'upload-paint'
          ? schemaErrors('UploadPaintRequest', body)
          : requestBodyErrors(`/v1/${endpoint}`, body);
      expect(errors, endpoint).toEqual([]);
    }
  });

  it('answers every endpoint, pending and completed, with bodies that fit TaskResponse', async () => {
    const accepted: JobJson[] = [];
    for (const [endpoint, body] of requests()) {
      const r = await post(sim, endpoint, body);
      expect(r.status, `${endpoint}: ${r.text}`).toBe(200);
      expect(unexplained(schemaErrors('TaskResponse', r.json)), `POST ${endpoint}`).toEqual([]);
      accepted.push(r.json as JobJson);
    }
    const pending = await getJob(sim, accepted[0]?.job_id ?? '');
    expect(pending.status).toBe('pending');
    expect(unexplained(schemaErrors('TaskResponse', pending)), 'GET pending').toEqual([]);

    sim.clock.advance(FINISH_MS);
    for (const job of accepted) {
      const done = await getJob(sim, job.job_id);
      expect(done.status, job.task_type).toBe('completed');
      expect(unexplained(schemaErrors('TaskResponse', done)), `GET completed ${job.task_type}`).toEqual([]);
    }
    const failed = await finished(sim, 'diffusion', { text: 'broken simulate:fail' });
    expect(failed.status).toBe('failed');
    expect(unexplained(schemaErrors('TaskResponse', failed)), 'GET failed').toEqual([]);
  });

  it('answers every error with the documented top-level body, which also fits Error and ErrorResponse', async () => {
    sim.setCredits(10);
    const limited = await startLegnextSim({
      durations: { pending: 60_000, staged: 0, processing: 0 },
      maxConcurrent: 1,
    });
    try {
      await submit(limited, 'diffusion', { text: 'occupies the only slot' });
      const replies = [
        await post(sim, 'pan', { jobId: draftGrid.job_id, imageNo: 0, direction: 9, scale: 1.5 }),
        await post(sim, 'diffusion', { text: 'x' }, 'wrong-key'),
        await post(sim, 'diffusion', { text: 'x' }),
        await post(sim, 'diffusion', { text: 'simulate:forbidden' }),
        await call(sim, 'GET', '/api/v1/job/00000000-0000-4000-8000-000000000000'),
        await call(sim, 'GET', '/api/v1/diffusion'),
        await post(sim, 'diffusion', { text: 'x', pad: 'p'.repeat(1024 * 1024 + 1) }),
        await (async () => {
          sim.faults.add({ target: 'poll', kind: 'status500' });
          return call(sim, 'GET', `/api/v1/job/${draftGrid.job_id}`);
        })(),
        await post(limited, 'diffusion', { text: 'no slot left' }),
      ];
      expect(replies.map((r) => r.status)).toEqual([400, 401, 402, 403, 404, 405, 413, 500, 429]);
      for (const r of replies) {
        expect(Object.keys(r.json as object).sort(), r.text).toEqual([
          'code',
          'detail',
          'message',
          'raw_message',
        ]);
        expect((r.json as { code: number }).code).toBe(r.status);
        expect(schemaErrors('Error', r.json), r.text).toEqual([]);
        expect(schemaErrors('ErrorResponse', r.json), r.text).toEqual([]);
      }
    } finally {
      await limited.close();
      sim.setCredits(100_000);
    }
  });

  it('answers the account routes with BalanceResponse, AccountInfo and ActiveTasksResponse', async () => {
    const balance = await call(sim, 'GET', '/api/account/balance');
    expect(schemaErrors('BalanceResponse', balance.json)).toEqual([]);
    const info = await call(sim, 'GET', '/api/account/info');
    expect(schemaErrors('AccountInfo', info.json)).toEqual([]);

    const slow = await startLegnextSim({ durations: { pending: 60_000, staged: 0, processing: 0 } });
    try {
      await submit(slow, 'diffusion', { text: 'in flight' });
      await submit(slow, 'video-diffusion', { prompt: `${IMG} in flight too` });
      const active = await call(slow, 'GET', '/api/account/active_tasks');
      expect((active.json as { total_active: number }).total_active).toBe(2);
      expect(unexplained(schemaErrors('ActiveTasksResponse', active.json))).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  // Runs last: the tests above record which listed disagreements they met.
  it('still disagrees with the contract exactly where listed', () => {
    expect([...seen].sort()).toEqual(Object.keys(KNOWN).sort());

    // The silent disagreements, checked against the contract text itself.
    const doc = parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.ErrorResponse?.properties ?? {}), SILENT.errorEnvelope).toEqual(['error']);
    const imageOutput = Object.keys(schemas.ImageOutput?.properties ?? {});
    expect(imageOutput, SILENT.videoOutput).not.toContain('video_urls');
    expect(imageOutput, SILENT.textOutput).not.toContain('prompts');
    expect(imageOutput, SILENT.availableActions).not.toContain('available_actions');
    expect(Object.keys(doc.paths), SILENT.enhanceUpscalePath).not.toContain('/v1/enhance-upscale');
    const uploadPaint = doc.paths['/v1/upload-paint'] as { post: { requestBody: { content: object } } };
    expect(Object.keys(uploadPaint.post.requestBody.content), SILENT.uploadPaintMultipart).toEqual([
      'multipart/form-data',
    ]);
  });
});
