/**
 * The simulated API's checks of a `POST /generations-image-to-video` body, as the reference documents
 * them: types first (Hasura rejects unknown fields and wrong types with `validation-failed`), then the
 * model rules (`unexpected` with a sentence). Nullable fields sent as `null` count as absent.
 */
import {
  IMAGE_TYPES,
  MAX_NEGATIVE_PROMPT_CHARS,
  MODEL_RULES,
  SIM_MODELS,
  SIM_RESOLUTIONS,
  type ImageType,
  type SimModel,
  type SimResolution,
} from './catalog';
import { badRequest, validationFailed } from './errors';

export interface ImageRef {
  id: string;
  type: ImageType;
}

export interface GenerationSpec {
  prompt: string;
  model: SimModel;
  resolution: SimResolution;
  duration: number;
  width: number | undefined;
  height: number | undefined;
  image: ImageRef;
  endFrame: ImageRef | undefined;
  seed: number | undefined;
  negativePrompt: string | undefined;
  promptEnhance: boolean;
  isPublic: boolean;
}

const FIELDS = new Set([
  'prompt',
  'imageId',
  'imageType',
  'endFrameImage',
  'resolution',
  'model',
  'frameInterpolation',
  'isPublic',
  'seed',
  'negativePrompt',
  'promptEnhance',
  'duration',
  'promptEnhanceInstruction',
  'styleIds',
  'elements',
  'height',
  'width',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Fields = Record<string, unknown>;

function present(body: Fields, key: string): boolean {
  return body[key] !== undefined && body[key] !== null;
}

function str(body: Fields, key: string): string | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v !== 'string') {
    throw validationFailed(key, `expected a string for type String but found ${typeof v}`);
  }
  return v;
}

function bool(body: Fields, key: string): boolean | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v !== 'boolean') {
    throw validationFailed(key, `Expected a boolean for type Boolean but found a ${typeof v}`);
  }
  return v;
}

function int(body: Fields, key: string): number | undefined {
  if (!present(body, key)) return undefined;
  const v = body[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw validationFailed(key, `expected an integer for type Int but found ${JSON.stringify(v)}`);
  }
  if (v > 2_147_483_647 || v < -2_147_483_648) {
    throw validationFailed(key, 'the value is out of range for type Int');
  }
  return v;
}

function oneOf<T extends string>(body: Fields, key: string, allowed: readonly T[]): T | undefined {
  const v = str(body, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw validationFailed(key, `unexpected value "${v}" for enum: expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function imageRef(value: unknown, field: string): ImageRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationFailed(field, 'expected an object');
  }
  const obj = value as Fields;
  for (const key of Object.keys(obj)) {
    if (key !== 'id' && key !== 'type') {
      throw validationFailed(`${field}.${key}`, `field "${key}" not found in type`);
    }
  }
  const id = str(obj, 'id');
  const type = oneOf(obj, 'type', IMAGE_TYPES);
  if (id === undefined) throw validationFailed(`${field}.id`, 'missing required field "id"');
  if (type === undefined) throw validationFailed(`${field}.type`, 'missing required field "type"');
  return { id, type };
}

function checkArrays(body: Fields): void {
  if (present(body, 'styleIds')) {
    const ids = body.styleIds;
    if (!Array.isArray(ids) || ids.some((s) => typeof s !== 'string')) {
      throw validationFailed('styleIds', 'expected a list of strings');
    }
  }
  if (present(body, 'elements')) {
    const elements = body.elements;
    if (!Array.isArray(elements)) throw validationFailed('elements', 'expected a list');
    elements.forEach((el: unknown, i) => {
      const e = el as Fields;
      if (typeof el !== 'object' || el === null || typeof e.akUUID !== 'string') {
        throw validationFailed(`elements[${i}].akUUID`, 'missing required field "akUUID"');
      }
      if (e.weight !== undefined && e.weight !== null && typeof e.weight !== 'number') {
        throw validationFailed(`elements[${i}].weight`, 'expected a number for type Float');
      }
    });
  }
}

export function validateGeneration(body: Fields): GenerationSpec {
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) throw validationFailed(key, `field "${key}" not found in the request body`);
  }
  const prompt = str(body, 'prompt');
  const imageId = str(body, 'imageId');
  const imageType = oneOf(body, 'imageType', IMAGE_TYPES);
  if (prompt === undefined) throw validationFailed('prompt', 'missing required field "prompt"');
  if (imageId === undefined) throw validationFailed('imageId', 'missing required field "imageId"');
  if (imageType === undefined) throw validationFailed('imageType', 'missing required field "imageType"');
  const model = oneOf(body, 'model', SIM_MODELS) ?? 'MOTION2';
  const resolutionField = oneOf(body, 'resolution', SIM_RESOLUTIONS);
  const duration = int(body, 'duration');
  const seed = int(body, 'seed');
  const width = int(body, 'width');
  const height = int(body, 'height');
  const negativePrompt = str(body, 'negativePrompt');
  const promptEnhance = bool(body, 'promptEnhance') ?? false;
  const isPublic = bool(body, 'isPublic') ?? false;
  bool(body, 'frameInterpolation');
  str(body, 'promptEnhanceInstruction');
  checkArrays(body);
  const endFrame = present(body, 'endFrameImage') ? imageRef(body.endFrameImage, 'endFrameImage') : undefined;

  const rules = MODEL_RULES[model];
  if (prompt.trim() === '') throw badRequest('The prompt must not be empty.');
  if (!UUID.test(imageId)) throw badRequest(`imageId "${imageId}" is not a valid image id.`);
  const resolution = resolutionField ?? rules.defaultResolution;
  if (!rules.resolutions.includes(resolution)) {
    throw badRequest(`Resolution ${resolution} is not supported by model ${model}.`);
  }
  if (duration !== undefined && !rules.durations.includes(duration)) {
    throw badRequest(
      `Duration ${duration} is not supported by model ${model}; use ${rules.durations.join(' or ')}.`,
    );
  }
  if ((width === undefined) !== (height === undefined)) {
    throw badRequest('width and height must be given together.');
  }
  if (width !== undefined && height !== undefined) {
    const sizes = rules.sizes[resolution] ?? [];
    if (!sizes.some(([w, h]) => w === width && h === height)) {
      throw badRequest(`${width}x${height} is not a supported size for model ${model} at ${resolution}.`);
    }
  }
  if (endFrame !== undefined && !rules.endFrame) {
    throw badRequest(`endFrameImage is only supported on the KLING2_1 model, not ${model}.`);
  }
  if (seed !== undefined && (seed < 0 || seed > rules.maxSeed)) {
    throw badRequest(`The seed must be between 0 and ${rules.maxSeed} for model ${model}.`);
  }
  if (Array.isArray(body.elements) && body.elements.length > 0 && !rules.elements) {
    throw badRequest('Elements are only supported for Motion2.0 generations.');
  }
  if (negativePrompt !== undefined && [...negativePrompt].length > MAX_NEGATIVE_PROMPT_CHARS) {
    throw badRequest(`The negative prompt must be at most ${MAX_NEGATIVE_PROMPT_CHARS} characters.`);
  }
  return {
    prompt,
    model,
    resolution,
    duration: duration ?? rules.defaultDuration,
    width,
    height,
    image: { id: imageId.toLowerCase(), type: imageType },
    endFrame: endFrame && { id: endFrame.id.toLowerCase(), type: endFrame.type },
    seed,
    negativePrompt,
    promptEnhance,
    isPublic,
  };
}
