/**
 * The friendly input of a Leonardo image-to-video job, as a zod schema: what the UI, the CLI and IPC
 * accept before `buildLeonardoRequest` checks it against the model's capabilities and turns it into the
 * documented JSON body. Field names are the API's own (seed 003), so a job's stored params read the
 * same as Leonardo's reference; each message names its field.
 */
import { z } from 'zod';
import { LEONARDO_MODEL_IDS, LEONARDO_RESOLUTIONS } from './models';

/** `UPLOADED`: an init image sent with `uploadInitImage`; `GENERATED`: an image Leonardo made. */
export const LEONARDO_IMAGE_TYPES = ['UPLOADED', 'GENERATED'] as const;
export type LeonardoImageType = (typeof LEONARDO_IMAGE_TYPES)[number];

/** Leonardo's image, generation, style and element ids are UUIDs. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "The negative prompt to use for the generation. Maximum 1000 characters." (Motion 2.0 guide). */
export const MAX_NEGATIVE_PROMPT_CHARS = 1000;

export function isLeonardoId(value: string): boolean {
  return UUID.test(value);
}

const leonardoId = (field: string, what: string) => {
  const error = `${field} must be the id of ${what} (a UUID).`;
  return z
    .string({ error })
    .trim()
    .regex(UUID, { error })
    .transform((s) => s.toLowerCase());
};

const imageType = (field: string) => {
  const error = `${field} must be UPLOADED (an init image you uploaded) or GENERATED (an image Leonardo made).`;
  return z
    .string({ error })
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(LEONARDO_IMAGE_TYPES, { error }));
};

const requiredText = (field: string) =>
  z
    .string({ error: `${field} is required.` })
    .trim()
    .min(1, { error: `${field} is required.` });

/** A blank form field means "not given", not an empty string the API would have to interpret. */
const optionalText = (field: string, maxChars?: number) =>
  z
    .string({ error: `${field} must be text.` })
    .nullish()
    .transform((s) => {
      const t = s?.trim();
      return t ? t : undefined;
    })
    .refine((s) => maxChars === undefined || s === undefined || [...s].length <= maxChars, {
      error: `${field} must be at most ${maxChars} characters long.`,
    });

const flag = (field: string) => z.boolean({ error: `${field} must be true or false.` }).optional();

const MODEL_LIST = LEONARDO_MODEL_IDS.join(', ');

/** Case-insensitive, as the reference itself writes `kling2_1`. */
const model = z
  .string({ error: `model must be one of ${MODEL_LIST}.` })
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(LEONARDO_MODEL_IDS, { error: `model must be one of ${MODEL_LIST}.` }));

const RESOLUTION_ERROR =
  'resolution must be 480p, 720p or 1080p (RESOLUTION_480, RESOLUTION_720, RESOLUTION_1080).';

/** `720p`, `720` and `RESOLUTION_720` (any case) all mean RESOLUTION_720. */
function normaliseResolution(raw: string): string {
  const s = raw.trim().toUpperCase();
  const digits = /^(?:RESOLUTION_)?(\d+)P?$/.exec(s)?.[1];
  return digits === undefined ? s : `RESOLUTION_${digits}`;
}

const resolution = z
  .union([z.string(), z.number()], { error: RESOLUTION_ERROR })
  .transform((v) => normaliseResolution(String(v)))
  .pipe(z.enum(LEONARDO_RESOLUTIONS, { error: RESOLUTION_ERROR }));

const duration = z
  .number({ error: 'duration must be a whole number of seconds.' })
  .int({ error: 'duration must be a whole number of seconds.' })
  .positive({ error: 'duration must be a whole number of seconds.' });

const aspectRatio = z
  .string({ error: 'aspectRatio must be written width:height, such as 16:9.' })
  .trim()
  .regex(/^\d{1,2}:\d{1,2}$/, { error: 'aspectRatio must be written width:height, such as 16:9.' });

const seed = z
  .number({ error: 'seed must be a whole number from 0.' })
  .int({ error: 'seed must be a whole number from 0.' })
  .min(0, { error: 'seed must be a whole number from 0.' });

export const endFrameImageSchema = z.strictObject({
  id: leonardoId('endFrameImage.id', 'an uploaded or Leonardo-generated image'),
  type: imageType('endFrameImage.type'),
});

export const elementInputSchema = z.strictObject({
  akUUID: leonardoId('elements.akUUID', 'a Leonardo element'),
  weight: z.number({ error: 'elements.weight must be a number.' }).finite().optional(),
});

export const leonardoVideoInputSchema = z.strictObject({
  prompt: requiredText('prompt'),
  imageId: leonardoId('imageId', 'an uploaded init image or a Leonardo-generated image'),
  imageType: imageType('imageType'),
  model: model.optional(),
  duration: duration.optional(),
  resolution: resolution.optional(),
  aspectRatio: aspectRatio.optional(),
  endFrameImage: endFrameImageSchema.optional(),
  negativePrompt: optionalText('negativePrompt', MAX_NEGATIVE_PROMPT_CHARS),
  promptEnhance: flag('promptEnhance'),
  promptEnhanceInstruction: optionalText('promptEnhanceInstruction'),
  seed: seed.optional(),
  frameInterpolation: flag('frameInterpolation'),
  isPublic: flag('isPublic'),
  styleIds: z
    .array(leonardoId('styleIds', 'a Leonardo style'), { error: 'styleIds must be a list of style ids.' })
    .optional(),
  elements: z.array(elementInputSchema, { error: 'elements must be a list of elements.' }).optional(),
});

/** What callers pass: the API's field names, `resolution` also as `720p`, sizes as `aspectRatio`. */
export type LeonardoVideoInput = z.input<typeof leonardoVideoInputSchema>;
/** After parsing: trimmed, ids lower-cased, enums upper-cased, blank optional text removed. */
export type ParsedLeonardoVideoInput = z.output<typeof leonardoVideoInputSchema>;
