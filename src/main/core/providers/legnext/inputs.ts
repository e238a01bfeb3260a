/**
 * The friendly inputs of every Legnext operation, as zod schemas: what the UI, the CLI and IPC accept
 * before `buildLegnextRequest` turns them into the documented JSON body. Ranges and enums are the
 * request tables of the Legnext API reference; each message names its field.
 */
import { z } from 'zod';
import {
  TOPAZ_ASPECT_RATIOS,
  TOPAZ_CONTENT_TYPES,
  TOPAZ_CROP_MODES,
  TOPAZ_FACE_LEVELS,
  TOPAZ_OUTPUT_FORMATS,
  TOPAZ_RESOLUTIONS,
} from '../../../../shared/legnext-options';
import { isHttpUrl } from '../../params/issues';

/** Legnext job ids are UUIDs; older or Topaz examples show long numeric ids, so accept any plain token. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** "max length: 1024 characters" for imgUrl of upload-paint, retexture and remove-background. */
export const MAX_IMAGE_URL_CHARS = 1024;

const jobId = (field = 'jobId') =>
  z
    .string({ error: `${field} must be the id of a Legnext job.` })
    .trim()
    .regex(JOB_ID, { error: `${field} must be the id of a Legnext job.` });

const index0to3 = (field: string) => {
  const error = `${field} must be 0, 1, 2 or 3.`;
  return z.number({ error }).int({ error }).min(0, { error }).max(3, { error });
};

const httpUrl = (field: string, maxChars?: number) => {
  const base = z
    .string({ error: `${field} must be an http(s) URL.` })
    .trim()
    .refine(isHttpUrl, { error: `${field} must be an http(s) URL.` });
  return maxChars === undefined
    ? base
    : base.refine((s) => s.length <= maxChars, {
        error: `${field} must be at most ${maxChars} characters long.`,
      });
};

const requiredText = (field: string) =>
  z
    .string({ error: `${field} is required.` })
    .trim()
    .min(1, { error: `${field} is required.` });

/** Optional prompts: a blank form field means "no prompt", not an empty one the API would reject. */
const optionalText = (field: string) =>
  z
    .string({ error: `${field} must be text.` })
    .nullish()
    .transform((s) => {
      const t = s?.trim();
      return t ? t : undefined;
    });

const intIn = (field: string, min: number, max: number) => {
  const error = `${field} must be a whole number from ${min} to ${max}.`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const positiveInt = (field: string) => {
  const error = `${field} must be a whole number of pixels above 0.`;
  return z.number({ error }).int({ error }).min(1, { error });
};

const scaleIn = (field: string, min: number, max: number) => {
  const error = `${field} must be a number from ${min} to ${max.toFixed(1)}.`;
  return z.number({ error }).min(min, { error }).max(max, { error });
};

/** One polygon of a mask: the image size it is drawn on (500–4096 px) and its XY vertex list. */
export const polygonSchema = z
  .strictObject({
    width: intIn('width', 500, 4096),
    height: intIn('height', 500, 4096),
    points: z
      .array(z.number().int().min(0), { error: 'points must be whole, non-negative pixel coordinates.' })
      .min(6, { error: 'points must list at least three x,y vertices.' }),
  })
  .superRefine((poly, ctx) => {
    if (poly.points.length % 2 !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['points'],
        message: 'points must be x,y pairs (an even count).',
      });
      return;
    }
    for (let i = 0; i < poly.points.length; i += 2) {
      if (poly.points[i]! > poly.width || poly.points[i + 1]! > poly.height) {
        ctx.addIssue({
          code: 'custom',
          path: ['points'],
          message: `points must lie inside the ${poly.width}×${poly.height} image.`,
        });
        return;
      }
    }
  });

/** The area to repaint: polygons drawn on the image, or a black-and-white mask image (white is repainted). */
export const maskSchema = z
  .strictObject({
    areas: z.array(polygonSchema).min(1, { error: 'mask.areas needs at least one polygon.' }).optional(),
    url: httpUrl('mask.url').optional(),
  })
  .superRefine((mask, ctx) => {
    if ((mask.areas === undefined) === (mask.url === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'mask needs either areas (polygons) or url (a mask image), not both or neither.',
      });
    }
  });

export const canvasSchema = z.strictObject({
  width: positiveInt('canvas.width'),
  height: positiveInt('canvas.height'),
});

export const imagePositionSchema = z.strictObject({
  width: positiveInt('imgPos.width'),
  height: positiveInt('imgPos.height'),
  x: z
    .number({ error: 'imgPos.x must be a whole number.' })
    .int({ error: 'imgPos.x must be a whole number.' }),
  y: z
    .number({ error: 'imgPos.y must be a whole number.' })
    .int({ error: 'imgPos.y must be a whole number.' }),
});

export const diffusionInputSchema = z.strictObject({
  op: z.literal('diffusion'),
  prompt: requiredText('prompt'),
});

export const variationInputSchema = z.strictObject({
  op: z.literal('variation'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  type: z.enum(['subtle', 'strong'], { error: 'type must be subtle or strong.' }),
  remixPrompt: optionalText('remixPrompt'),
});

export const upscaleInputSchema = z.strictObject({
  op: z.literal('upscale'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  type: z.enum(['subtle', 'creative'], { error: 'type must be subtle or creative.' }),
});

export const rerollInputSchema = z.strictObject({ op: z.literal('reroll'), jobId: jobId() });

export const BLEND_ASPECT_RATIOS = ['2:3', '1:1', '3:2'] as const;
export const blendInputSchema = z.strictObject({
  op: z.literal('blend'),
  imageUrls: z
    .array(httpUrl('Every entry of imageUrls'), { error: 'imageUrls must be a list of 2 to 5 image URLs.' })
    .min(2, { error: 'blend needs at least 2 image URLs.' })
    .max(5, { error: 'blend takes at most 5 image URLs.' }),
  aspectRatio: z.enum(BLEND_ASPECT_RATIOS, { error: 'aspectRatio must be 2:3, 1:1 or 3:2.' }).default('1:1'),
});

export const describeInputSchema = z.strictObject({
  op: z.literal('describe'),
  imageUrl: httpUrl('imageUrl'),
});

export const shortenInputSchema = z.strictObject({
  op: z.literal('shorten'),
  prompt: requiredText('prompt'),
});

export const PAN_DIRECTIONS = ['down', 'right', 'up', 'left'] as const;
export const panInputSchema = z.strictObject({
  op: z.literal('pan'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  direction: z.enum(PAN_DIRECTIONS, { error: 'direction must be down, right, up or left.' }),
  scale: scaleIn('scale', 1.1, 3.0),
  remixPrompt: optionalText('remixPrompt'),
});

export const outpaintInputSchema = z.strictObject({
  op: z.literal('outpaint'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  scale: scaleIn('scale', 1.1, 2.0),
  remixPrompt: optionalText('remixPrompt'),
});

export const inpaintInputSchema = z.strictObject({
  op: z.literal('inpaint'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  mask: maskSchema,
  remixPrompt: optionalText('remixPrompt'),
});

export const remixInputSchema = z.strictObject({
  op: z.literal('remix'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  remixPrompt: requiredText('remixPrompt'),
  mode: z.enum(['strong', 'subtle'], { error: 'mode must be strong or subtle.' }).optional(),
});

export const editInputSchema = z.strictObject({
  op: z.literal('edit'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
  canvas: canvasSchema,
  imgPos: imagePositionSchema,
  remixPrompt: requiredText('remixPrompt'),
  mask: maskSchema.optional(),
});

export const uploadPaintInputSchema = z.strictObject({
  op: z.literal('upload-paint'),
  imageUrl: httpUrl('imageUrl', MAX_IMAGE_URL_CHARS),
  canvas: canvasSchema,
  imgPos: imagePositionSchema,
  remixPrompt: requiredText('remixPrompt'),
  mask: maskSchema,
});

export const retextureInputSchema = z.strictObject({
  op: z.literal('retexture'),
  imageUrl: httpUrl('imageUrl', MAX_IMAGE_URL_CHARS),
  remixPrompt: requiredText('remixPrompt'),
});

export const removeBackgroundInputSchema = z.strictObject({
  op: z.literal('remove-background'),
  imageUrl: httpUrl('imageUrl', MAX_IMAGE_URL_CHARS),
});

export const enhanceInputSchema = z.strictObject({
  op: z.literal('enhance'),
  jobId: jobId(),
  imageNo: index0to3('imageNo'),
});

const oneOf = <T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, { error: `${field} must be one of ${values.join(', ')}.` }).optional();

export const enhanceUpscaleInputSchema = z
  .strictObject({
    op: z.literal('enhance-upscale'),
    imageUrl: httpUrl('imageUrl').optional(),
    jobId: jobId().optional(),
    imageNo: index0to3('imageNo').optional(),
    targetResolution: oneOf('targetResolution', TOPAZ_RESOLUTIONS),
    contentType: oneOf('contentType', TOPAZ_CONTENT_TYPES),
    aspectRatio: oneOf('aspectRatio', TOPAZ_ASPECT_RATIOS),
    cropMode: oneOf('cropMode', TOPAZ_CROP_MODES),
    outputFormat: oneOf('outputFormat', TOPAZ_OUTPUT_FORMATS),
    faceEnhancementLevel: oneOf('faceEnhancementLevel', TOPAZ_FACE_LEVELS),
  })
  .superRefine((input, ctx) => {
    const fromJob = input.jobId !== undefined || input.imageNo !== undefined;
    if (input.imageUrl !== undefined && fromJob) {
      ctx.addIssue({
        code: 'custom',
        path: ['imageUrl'],
        message: 'Give either imageUrl or jobId with imageNo, not both.',
      });
    } else if (input.imageUrl === undefined && !fromJob) {
      ctx.addIssue({ code: 'custom', path: ['imageUrl'], message: 'Give imageUrl, or jobId with imageNo.' });
    } else if (fromJob && input.jobId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['jobId'], message: 'imageNo needs the jobId of its job.' });
    } else if (fromJob && input.imageNo === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['imageNo'],
        message: 'imageNo (0, 1, 2 or 3) is needed with jobId.',
      });
    }
  });

export const videoDiffusionInputSchema = z
  .strictObject({
    op: z.literal('video-diffusion'),
    jobId: jobId().optional(),
    imageNo: index0to3('imageNo').optional(),
    prompt: optionalText('prompt'),
    quality: z.union([z.literal(480), z.literal(720)], { error: 'quality must be 480 or 720.' }).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.jobId !== undefined && input.imageNo === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['imageNo'],
        message: 'imageNo (0, 1, 2 or 3) is needed with jobId.',
      });
    } else if (input.jobId === undefined && input.imageNo !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['jobId'], message: 'imageNo needs the jobId of its job.' });
    } else if (input.jobId === undefined && input.prompt === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['prompt'],
        message: 'A video needs a prompt (text, or an image URL then text), or jobId with imageNo.',
      });
    }
  });

export const extendVideoInputSchema = z.strictObject({
  op: z.literal('extend-video'),
  jobId: jobId(),
  videoNo: index0to3('videoNo'),
  prompt: optionalText('prompt'),
});

export const videoUpscaleInputSchema = z.strictObject({
  op: z.literal('video-upscale'),
  jobId: jobId(),
  videoNo: index0to3('videoNo'),
});

export const legnextInputSchema = z.discriminatedUnion(
  'op',
  [
    diffusionInputSchema,
    variationInputSchema,
    upscaleInputSchema,
    rerollInputSchema,
    blendInputSchema,
    describeInputSchema,
    shortenInputSchema,
    panInputSchema,
    outpaintInputSchema,
    inpaintInputSchema,
    remixInputSchema,
    editInputSchema,
    uploadPaintInputSchema,
    retextureInputSchema,
    removeBackgroundInputSchema,
    enhanceInputSchema,
    enhanceUpscaleInputSchema,
    videoDiffusionInputSchema,
    extendVideoInputSchema,
    videoUpscaleInputSchema,
  ],
  { error: 'op must be one of the Legnext operations.' },
);

/** What callers pass (defaults not yet applied). */
export type LegnextInput = z.input<typeof legnextInputSchema>;
/** After parsing: trimmed strings, defaults filled, blank optional prompts removed. */
export type ParsedLegnextInput = z.output<typeof legnextInputSchema>;
export type LegnextInputOf<Op extends LegnextInput['op']> = Extract<LegnextInput, { op: Op }>;
