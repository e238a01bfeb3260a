/**
 * Friendly input → the exact body UniAll documents for `POST /v1/video/generations`. Everything is
 * validated first; an invalid input throws `InvalidInputError` naming the field and nothing is sent.
 * The request's `op` is the task type (the mode), so whoever stores the job knows what was asked.
 */
import type { z } from 'zod';
import { InvalidInputError } from '../../errors';
import type { SubmitRequest } from '../types';
import { viduInputSchema, viduTaskTypeOf } from './inputs';
import type { ParsedViduInput, ViduInput } from './inputs';
import { VIDU_DEFAULT_ASPECT_RATIO } from './models';

/** `referenceImages.2` → `referenceImages[2]`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

function toInvalidInput(error: z.ZodError): InvalidInputError {
  const issue = error.issues[0];
  if (!issue) return new InvalidInputError('The Vidu request is not valid.');
  const field = fieldName(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return new InvalidInputError(`${issue.keys.join(', ')} is not a field of a Vidu video.`, issue.keys[0]);
  }
  const message = /[.!?]$/.test(issue.message)
    ? issue.message
    : `${field || 'The Vidu request'}: ${issue.message}.`;
  return new InvalidInputError(message, field || undefined);
}

/** Validates a friendly input without building it: the parsed input, or `InvalidInputError`. */
export function parseViduInput(input: unknown): ParsedViduInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidInputError('A Vidu video needs its settings as an object.');
  }
  const result = viduInputSchema.safeParse(input);
  if (!result.success) throw toInvalidInput(result.error);
  return result.data;
}

/**
 * Body keys in the order the docs list them. `aspect_ratio` goes with the modes that use it (16:9
 * unless asked otherwise); `extra_body` only when audio, bgm or seed was given.
 */
export function buildViduRequest(input: ViduInput): SubmitRequest {
  const parsed = parseViduInput(input);
  const taskType = viduTaskTypeOf(parsed);
  const body: Record<string, unknown> = { model: parsed.model, prompt: parsed.prompt };
  if (parsed.image !== undefined) body.image = parsed.image;
  if (parsed.lastImage !== undefined) body.last_image = parsed.lastImage;
  if (parsed.referenceImages !== undefined) body.reference_image_urls = parsed.referenceImages;
  if (taskType === 'text_to_video' || taskType === 'reference_to_video') {
    body.aspect_ratio = parsed.aspectRatio ?? VIDU_DEFAULT_ASPECT_RATIO;
  }
  body.duration = parsed.duration;
  const extra: Record<string, unknown> = {};
  if (parsed.audio !== undefined) extra.audio = parsed.audio;
  if (parsed.seed !== undefined) extra.seed = parsed.seed;
  if (parsed.bgm !== undefined) extra.bgm = parsed.bgm;
  if (Object.keys(extra).length > 0) body.extra_body = extra;
  return { provider: 'vidu', op: taskType, body };
}
