/**
 * Every body the builders produce must fit Legnext's own OpenAPI request schemas. Two known
 * disagreements between the contract and the prose docs (which describe what the live API takes):
 * - the contract has no `/v1/enhance-upscale` (Topaz came later), so that body is checked against
 *   the parameter tables of the docs' "Topaz Upscale Image" page instead;
 * - the contract declares `/v1/upload-paint` as multipart/form-data, while the docs send JSON with an
 *   `imgUrl`; GenVault sends JSON as documented and checks it against the contract's
 *   `UploadPaintRequest` schema directly.
 */
import { describe, expect, it } from 'vitest';
import { buildLegnextRequest, LEGNEXT_OPS } from '../../src/main/core/providers/legnext/requests';
import type { LegnextInput } from '../../src/main/core/providers/legnext/requests';
import { postPaths, requestBodyErrors, schemaErrors } from '../support/openapi';
import { IMG, JOB, POLYGON, VALID } from './valid-inputs';

const IN_CONTRACT = LEGNEXT_OPS.filter((op) => op !== 'enhance-upscale');

function contractErrors(op: string, body: unknown): string[] {
  return op === 'upload-paint'
    ? schemaErrors('UploadPaintRequest', body)
    : requestBodyErrors(`/v1/${op}`, body);
}

/** Variants that exercise the other branches of a body (other mask form, other video mode, …). */
const VARIANTS: LegnextInput[] = [
  { op: 'variation', jobId: JOB, imageNo: 3, type: 'strong' },
  { op: 'inpaint', jobId: JOB, imageNo: 1, mask: { url: 'https://example.com/mask.png' } },
  {
    op: 'inpaint',
    jobId: JOB,
    imageNo: 1,
    mask: { areas: [POLYGON, { width: 4096, height: 4096, points: [0, 0, 4096, 0, 4096, 4096] }] },
  },
  { op: 'remix', jobId: JOB, imageNo: 2, remixPrompt: 'watercolor' },
  { op: 'pan', jobId: JOB, imageNo: 0, direction: 'left', scale: 3.0 },
  { op: 'outpaint', jobId: JOB, imageNo: 0, scale: 1.1 },
  { op: 'blend', imageUrls: [IMG, IMG, IMG, IMG, IMG] },
  { op: 'video-diffusion', prompt: 'https://example.com/image.jpg waves --motion high --bs 1', quality: 720 },
  { op: 'video-diffusion', jobId: JOB, imageNo: 3 },
  { op: 'extend-video', jobId: JOB, videoNo: 2 },
  {
    op: 'upload-paint',
    imageUrl: IMG,
    canvas: { width: 2048, height: 1024 },
    imgPos: { width: 1024, height: 1024, x: 0, y: 0 },
    remixPrompt: 'a wider scene',
    mask: { areas: [POLYGON] },
  },
];

describe('request bodies fit the OpenAPI contract', () => {
  it.each(IN_CONTRACT)('POST /v1/%s', (op) => {
    const req = buildLegnextRequest(VALID[op].input);
    expect(contractErrors(op, req.body)).toEqual([]);
  });

  it.each(VARIANTS.map((input) => [input.op, input] as const))('POST /v1/%s (variant)', (op, input) => {
    expect(contractErrors(op, buildLegnextRequest(input).body)).toEqual([]);
  });

  it('covers every POST path of the contract, and the contract lacks only enhance-upscale', () => {
    const contract = postPaths().map((p) => p.replace('/v1/', ''));
    expect([...contract].sort()).toEqual([...IN_CONTRACT].sort());
    expect(contract).not.toContain('enhance-upscale');
  });

  it('the contract declares upload-paint as multipart, unlike the docs', () => {
    expect(() => requestBodyErrors('/v1/upload-paint', {})).toThrow(/no JSON request body/);
  });

  it('the validator is not vacuous: an out-of-range body is refused', () => {
    expect(requestBodyErrors('/v1/pan', { jobId: JOB, imageNo: 0, direction: 4, scale: 1.5 })).not.toEqual(
      [],
    );
    expect(requestBodyErrors('/v1/blend', { imgUrls: [IMG], aspect_ratio: '1:1' })).not.toEqual([]);
  });
});

/** The Topaz page's tables: the two input methods and the common parameters with their values. */
const TOPAZ_TABLE: Record<string, readonly string[] | 'url' | 'jobId' | 'imageNo'> = {
  image_url: 'url',
  jobId: 'jobId',
  imageNo: 'imageNo',
  target_resolution: ['HD', 'FHD', '2K', '4K', '6K', '8K', '12K'],
  content_type: ['standard', 'photo', 'illustration', 'text', 'low_res'],
  aspect_ratio: ['keep', '1:1', '16:9', '9:16', '4:5', '5:4', '3:2', '2:3', '4:3', '3:4'],
  crop_mode: ['letterbox', 'crop', 'stretch'],
  output_format: ['jpeg', 'jpg', 'png', 'tiff', 'tif'],
  face_enhancement_level: ['off', 'none', 'subtle', 'moderate', 'strong'],
};

function topazErrors(body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const rule = TOPAZ_TABLE[key];
    if (rule === undefined) errors.push(`${key} is not in the docs' table`);
    else if (rule === 'url') {
      if (typeof value !== 'string' || !/^https?:\/\//.test(value))
        errors.push(`${key} must be an http(s) URL`);
    } else if (rule === 'jobId') {
      if (typeof value !== 'string' || value === '') errors.push('jobId must be a string');
    } else if (rule === 'imageNo') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 3)
        errors.push('imageNo must be 0-3');
    } else if (!rule.includes(value as string)) errors.push(`${key} must be one of ${rule.join(', ')}`);
  }
  const byUrl = 'image_url' in body;
  const byJob = 'jobId' in body && 'imageNo' in body;
  if (byUrl === byJob) errors.push('exactly one input method');
  return errors;
}

describe("POST /v1/enhance-upscale fits the docs' Topaz table (not in the contract)", () => {
  it.each([
    VALID['enhance-upscale'].input,
    {
      op: 'enhance-upscale',
      jobId: '1868588555208310784',
      imageNo: 0,
      targetResolution: '8K',
      contentType: 'illustration',
    },
    {
      op: 'enhance-upscale',
      imageUrl: IMG,
      targetResolution: '12K',
      contentType: 'low_res',
      aspectRatio: '3:4',
      cropMode: 'stretch',
      outputFormat: 'tif',
      faceEnhancementLevel: 'strong',
    },
  ] as LegnextInput[])('%j', (input) => {
    expect(topazErrors(buildLegnextRequest(input).body)).toEqual([]);
  });

  it('the table check is not vacuous', () => {
    expect(
      topazErrors({ image_url: IMG, jobId: JOB, imageNo: 0, target_resolution: '16K', callback: 'x' }),
    ).toHaveLength(3);
  });
});
