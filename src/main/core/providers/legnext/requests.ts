/**
 * Friendly input → the exact JSON body Legnext documents for `POST /api/v1/<op>`. Everything is
 * validated first (ranges, enums, prompt flags); an invalid input throws `InvalidInputError` naming
 * the field and nothing is sent. No body carries a `callback`: a desktop app has no public URL, so
 * GenVault polls.
 */
import type { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { MAX_PROMPT_CHARS, promptIssues } from '../../params/issues';
import type { SubmitRequest } from '../types';
import {
  blendInputSchema,
  describeInputSchema,
  diffusionInputSchema,
  editInputSchema,
  enhanceInputSchema,
  enhanceUpscaleInputSchema,
  extendVideoInputSchema,
  inpaintInputSchema,
  legnextInputSchema,
  outpaintInputSchema,
  PAN_DIRECTIONS,
  panInputSchema,
  removeBackgroundInputSchema,
  remixInputSchema,
  rerollInputSchema,
  retextureInputSchema,
  shortenInputSchema,
  uploadPaintInputSchema,
  upscaleInputSchema,
  variationInputSchema,
  videoDiffusionInputSchema,
  videoUpscaleInputSchema,
} from './inputs';
import type { LegnextInput, maskSchema, ParsedLegnextInput } from './inputs';
import type { LegnextOp } from './ops';

export * from './inputs';
export { LEGNEXT_OPS, isLegnextOp, taskTypeOfOp } from './ops';
export type { LegnextOp } from './ops';

/** The schema of each op's friendly input, for validating IPC payloads and CLI arguments per op. */
export const LEGNEXT_INPUT_SCHEMAS: Record<LegnextOp, z.ZodType> = {
  diffusion: diffusionInputSchema,
  variation: variationInputSchema,
  upscale: upscaleInputSchema,
  reroll: rerollInputSchema,
  blend: blendInputSchema,
  describe: describeInputSchema,
  shorten: shortenInputSchema,
  pan: panInputSchema,
  outpaint: outpaintInputSchema,
  inpaint: inpaintInputSchema,
  remix: remixInputSchema,
  edit: editInputSchema,
  'upload-paint': uploadPaintInputSchema,
  retexture: retextureInputSchema,
  'remove-background': removeBackgroundInputSchema,
  enhance: enhanceInputSchema,
  'enhance-upscale': enhanceUpscaleInputSchema,
  'video-diffusion': videoDiffusionInputSchema,
  'extend-video': extendVideoInputSchema,
  'video-upscale': videoUpscaleInputSchema,
};

type Body = Record<string, unknown>;

/** `mask.areas.0.points` → `mask.areas[0].points`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

function toInvalidInput(error: z.ZodError): InvalidInputError {
  const issue = error.issues[0];
  if (!issue) return new InvalidInputError('The request is not valid.');
  const field = fieldName(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (field ? `${field}.${k}` : k));
    return new InvalidInputError(`${keys.join(', ')} is not a field of this operation.`, keys[0]);
  }
  const message = /[.!?]$/.test(issue.message)
    ? issue.message
    : `${field || 'The request'}: ${issue.message}.`;
  return new InvalidInputError(message, field || undefined);
}

/** Validates a friendly input without building it: the parsed input, or `InvalidInputError`. */
export function parseLegnextInput(input: unknown): ParsedLegnextInput {
  const result = legnextInputSchema.safeParse(input);
  if (!result.success) throw toInvalidInput(result.error);
  return result.data;
}

type PromptField = 'prompt' | 'remixPrompt';

/** Prompt rules from `promptIssues`; the error names the offending flag, else the prompt field. */
function checkPrompt(field: PromptField, text: string, kind: 'image' | 'video'): string {
  const [issue] = promptIssues(text, {
    kind,
    label: field === 'remixPrompt' ? 'the remix prompt' : 'the prompt',
  });
  if (issue) throw new InvalidInputError(issue.message, issue.flag ?? field);
  return text;
}

function optionalPrompt(field: PromptField, text: string | undefined, kind: 'image' | 'video'): Body {
  return text === undefined ? {} : { [field]: checkPrompt(field, text, kind) };
}

function maskBody(mask: z.output<typeof maskSchema>): Body {
  return mask.url !== undefined ? { url: mask.url } : { areas: mask.areas };
}

/** Builds the documented request for one friendly input. */
export function buildLegnextRequest(input: LegnextInput): SubmitRequest {
  const parsed = parseLegnextInput(input);
  return { provider: 'legnext', op: parsed.op, body: buildBody(parsed) };
}

function buildBody(input: ParsedLegnextInput): Body {
  const remix = (text: string | undefined): Body => optionalPrompt('remixPrompt', text, 'image');
  switch (input.op) {
    case 'diffusion':
      return { text: checkPrompt('prompt', input.prompt, 'image') };
    case 'variation':
      return {
        jobId: input.jobId,
        imageNo: input.imageNo,
        type: input.type === 'subtle' ? 0 : 1,
        ...remix(input.remixPrompt),
      };
    case 'upscale':
      return { jobId: input.jobId, imageNo: input.imageNo, type: input.type === 'subtle' ? 0 : 1 };
    case 'reroll':
      return { jobId: input.jobId };
    case 'blend':
      return { imgUrls: input.imageUrls, aspect_ratio: input.aspectRatio };
    case 'describe':
      return { imgUrl: input.imageUrl };
    case 'shorten':
      // Shorten analyses a prompt rather than rendering it, so only its length matters.
      if ([...input.prompt].length > MAX_PROMPT_CHARS) {
        throw new InvalidInputError(
          `The prompt to shorten is longer than ${MAX_PROMPT_CHARS} characters.`,
          'prompt',
        );
      }
      return { prompt: input.prompt };
    case 'pan':
      return {
        jobId: input.jobId,
        imageNo: input.imageNo,
        direction: PAN_DIRECTIONS.indexOf(input.direction),
        scale: input.scale,
        ...remix(input.remixPrompt),
      };
    case 'outpaint':
      return { jobId: input.jobId, imageNo: input.imageNo, scale: input.scale, ...remix(input.remixPrompt) };
    case 'inpaint':
      return {
        jobId: input.jobId,
        imageNo: input.imageNo,
        mask: maskBody(input.mask),
        ...remix(input.remixPrompt),
      };
    case 'remix':
      return {
        jobId: input.jobId,
        imageNo: input.imageNo,
        remixPrompt: checkPrompt('remixPrompt', input.remixPrompt, 'image'),
        // Docs: mode 0 is Strong, 1 is Subtle (the API's default is 0).
        ...(input.mode === undefined ? {} : { mode: input.mode === 'strong' ? 0 : 1 }),
      };
    case 'edit':
      return {
        jobId: input.jobId,
        imageNo: input.imageNo,
        canvas: input.canvas,
        imgPos: input.imgPos,
        remixPrompt: checkPrompt('remixPrompt', input.remixPrompt, 'image'),
        ...(input.mask === undefined ? {} : { mask: maskBody(input.mask) }),
      };
    case 'upload-paint':
      return {
        imgUrl: input.imageUrl,
        canvas: input.canvas,
        imgPos: input.imgPos,
        remixPrompt: checkPrompt('remixPrompt', input.remixPrompt, 'image'),
        mask: maskBody(input.mask),
      };
    case 'retexture':
      return { imgUrl: input.imageUrl, remixPrompt: checkPrompt('remixPrompt', input.remixPrompt, 'image') };
    case 'remove-background':
      return { imgUrl: input.imageUrl };
    case 'enhance':
      return { jobId: input.jobId, imageNo: input.imageNo };
    case 'enhance-upscale':
      return {
        ...(input.imageUrl !== undefined
          ? { image_url: input.imageUrl }
          : { jobId: input.jobId, imageNo: input.imageNo }),
        ...(input.targetResolution && { target_resolution: input.targetResolution }),
        ...(input.contentType && { content_type: input.contentType }),
        ...(input.aspectRatio && { aspect_ratio: input.aspectRatio }),
        ...(input.cropMode && { crop_mode: input.cropMode }),
        ...(input.outputFormat && { output_format: input.outputFormat }),
        ...(input.faceEnhancementLevel && { face_enhancement_level: input.faceEnhancementLevel }),
      };
    case 'video-diffusion':
      return videoDiffusionBody(input);
    case 'extend-video':
      return {
        jobId: input.jobId,
        videoNo: input.videoNo,
        ...optionalPrompt('prompt', input.prompt, 'video'),
      };
    case 'video-upscale':
      return { jobId: input.jobId, videoNo: input.videoNo };
  }
}

function videoDiffusionBody(input: Extract<ParsedLegnextInput, { op: 'video-diffusion' }>): Body {
  const videoType = input.quality === undefined ? {} : { videoType: input.quality === 720 ? 1 : 0 };
  if (input.jobId !== undefined) {
    return {
      jobId: input.jobId,
      imageNo: input.imageNo,
      ...optionalPrompt('prompt', input.prompt, 'video'),
      ...videoType,
    };
  }
  // The schema guarantees a prompt when there is no jobId. The prompt either starts with the URL of the
  // first frame (image-to-video) or is text only (text-to-video, as the SDK reference shows).
  const prompt = checkPrompt('prompt', input.prompt ?? '', 'video');
  return { prompt, ...videoType };
}
