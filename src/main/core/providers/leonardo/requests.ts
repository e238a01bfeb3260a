/**
 * Friendly input → the exact JSON body Leonardo documents for `POST /generations-image-to-video`.
 * Every rule of the reference and of the model table is checked first; an invalid input throws
 * `InvalidInputError` naming the field and nothing is sent (a rejected Leonardo request can still
 * cost a round trip, and a wrong duration or resolution is a mistake a person should see at once).
 */
import type { z } from 'zod';
import { InvalidInputError } from '../../errors';
import type { SubmitRequest } from '../types';
import { leonardoVideoInputSchema } from './inputs';
import type { LeonardoVideoInput, ParsedLeonardoVideoInput } from './inputs';
import { DEFAULT_LEONARDO_MODEL, LEONARDO_MODELS, resolutionLabel } from './models';
import type { LeonardoModelCapabilities } from './models';

/** The endpoint key of `SubmitRequest.op`: the path segment after the base URL. */
export const LEONARDO_IMAGE_TO_VIDEO_OP = 'generations-image-to-video';
/** The task type GenVault records for these jobs. */
export const LEONARDO_TASK_TYPE = 'image_to_video';

/** `endFrameImage.id` → `endFrameImage.id`, `elements.0.akUUID` → `elements[0].akUUID`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

function toInvalidInput(error: z.ZodError): InvalidInputError {
  const issue = error.issues[0];
  if (!issue) return new InvalidInputError('The Leonardo video request is not valid.');
  const field = fieldName(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (field ? `${field}.${k}` : k));
    return new InvalidInputError(`${keys.join(', ')} is not a field of a Leonardo video request.`, keys[0]);
  }
  const message = /[.!?]$/.test(issue.message)
    ? issue.message
    : `${field || 'The Leonardo video request'}: ${issue.message}.`;
  return new InvalidInputError(message, field || undefined);
}

/** Validates the shape of a friendly input (not yet its model rules): the parsed input, or `InvalidInputError`. */
export function parseLeonardoInput(input: unknown): ParsedLeonardoVideoInput {
  const result = leonardoVideoInputSchema.safeParse(input);
  if (!result.success) throw toInvalidInput(result.error);
  return result.data;
}

/** "5 or 10", "4, 6 or 8". */
function either(values: readonly (string | number)[]): string {
  const items = values.map(String);
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function checkDuration(caps: LeonardoModelCapabilities, duration: number | undefined): number {
  if (duration === undefined || caps.durations.includes(duration)) return duration ?? caps.defaultDuration;
  const lengths = caps.durationSelectable
    ? `clips of ${either(caps.durations)} seconds`
    : `${caps.defaultDuration}-second clips only`;
  throw new InvalidInputError(
    `${caps.label} makes ${lengths}, so a duration of ${duration} s is not possible.`,
    'duration',
  );
}

type Body = Record<string, unknown>;

/** Width and height for the chosen aspect ratio; none when the input names no ratio (Leonardo then follows the image). */
function sizeBody(
  caps: LeonardoModelCapabilities,
  resolution: keyof typeof caps.sizes,
  ratio?: string,
): Body {
  if (ratio === undefined) return {};
  const sizes = caps.sizes[resolution] ?? {};
  const size = sizes[ratio];
  if (!size) {
    throw new InvalidInputError(
      `${caps.label} at ${resolutionLabel(resolution)} makes ${either(Object.keys(sizes))} videos, not ${ratio}.`,
      'aspectRatio',
    );
  }
  return { width: size.width, height: size.height };
}

function checkModelRules(caps: LeonardoModelCapabilities, input: ParsedLeonardoVideoInput): void {
  if (input.endFrameImage !== undefined && !caps.features.endFrame) {
    const withEndFrame = Object.values(LEONARDO_MODELS).filter((m) => m.features.endFrame);
    throw new InvalidInputError(
      `An end frame works only with ${either(withEndFrame.map((m) => `${m.id} (${m.label})`))}, not ${caps.id}.`,
      'endFrameImage',
    );
  }
  if (input.elements !== undefined && input.elements.length > 0 && !caps.features.elements) {
    throw new InvalidInputError(`Elements work only with the Motion 2.0 models, not ${caps.id}.`, 'elements');
  }
  if (input.seed !== undefined && input.seed > caps.maxSeed) {
    throw new InvalidInputError(`The seed for ${caps.label} must be at most ${caps.maxSeed}.`, 'seed');
  }
  if (input.promptEnhanceInstruction !== undefined && input.promptEnhance === false) {
    throw new InvalidInputError(
      'promptEnhanceInstruction only applies when promptEnhance is on; turn it on or drop the instruction.',
      'promptEnhanceInstruction',
    );
  }
}

/** Builds the documented request for one friendly input. */
export function buildLeonardoRequest(input: LeonardoVideoInput): SubmitRequest {
  const parsed = parseLeonardoInput(input);
  const model = parsed.model ?? DEFAULT_LEONARDO_MODEL;
  const caps = LEONARDO_MODELS[model];
  const duration = checkDuration(caps, parsed.duration);
  const resolution = parsed.resolution ?? caps.defaultResolution;
  if (!caps.resolutions.includes(resolution)) {
    throw new InvalidInputError(
      `${caps.label} renders at ${either(caps.resolutions.map(resolutionLabel))}, not ${resolutionLabel(resolution)}.`,
      'resolution',
    );
  }
  checkModelRules(caps, parsed);

  // An instruction without the flag would be ignored by the API; asking for one means asking for enhancement.
  const promptEnhance =
    parsed.promptEnhance ?? (parsed.promptEnhanceInstruction !== undefined ? true : undefined);
  const optional = (key: string, value: unknown): Body => (value === undefined ? {} : { [key]: value });
  const body: Body = {
    prompt: parsed.prompt,
    imageId: parsed.imageId,
    imageType: parsed.imageType,
    model,
    resolution,
    // Defaults are sent explicitly so the stored request says what was made; Motion 2.0 takes no duration.
    ...(caps.durationSelectable ? { duration } : {}),
    ...sizeBody(caps, resolution, parsed.aspectRatio),
    ...optional('endFrameImage', parsed.endFrameImage),
    ...optional('negativePrompt', parsed.negativePrompt),
    ...optional('promptEnhance', promptEnhance),
    ...optional('promptEnhanceInstruction', parsed.promptEnhanceInstruction),
    ...optional('seed', parsed.seed),
    ...optional('frameInterpolation', parsed.frameInterpolation),
    // A personal library asks for private generations unless the person chose otherwise.
    isPublic: parsed.isPublic ?? false,
    ...optional('styleIds', parsed.styleIds?.length ? parsed.styleIds : undefined),
    ...optional('elements', parsed.elements?.length ? parsed.elements : undefined),
  };
  return { provider: 'leonardo', op: LEONARDO_IMAGE_TO_VIDEO_OP, body };
}
