/**
 * The friendly input of a Vidu video, as a zod schema: what the UI, the CLI and IPC accept before
 * `buildViduRequest` turns it into the body of `POST /v1/video/generations`. The mode follows from
 * the images given: none → text-to-video, `image` → image-to-video, `image` + `lastImage` → first and
 * last frame, `referenceImages` → reference images. Each message names its field.
 */
import { z } from 'zod';
import { isHttpUrl } from '../../params/issues';
import {
  VIDU_ASPECT_RATIOS,
  VIDU_DEFAULT_DURATION,
  VIDU_MAX_DURATION,
  VIDU_MAX_REFERENCE_IMAGES,
  VIDU_MAX_SEED,
  VIDU_MIN_DURATION,
  VIDU_MODEL_IDS,
} from './models';
import type { ViduTaskType } from './models';

/** Vidu's limit for an inline image, counted after base64 decoding. */
export const VIDU_MAX_INLINE_IMAGE_BYTES = 10 * 1024 * 1024;

/** `data:image/png;base64,…`: the form Vidu accepts for an image sent inline instead of by URL. */
const DATA_URI = /^data:image\/(?:png|jpe?g|webp);base64,([A-Za-z0-9+/]+={0,2})$/;

/** Decoded size of a base64 payload, without decoding it. */
function base64Bytes(payload: string): number {
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return Math.floor((payload.length * 3) / 4) - padding;
}

/** Why `value` cannot be sent as an image, or null when it can. */
export function imageRefIssue(field: string, value: string): string | null {
  if (value.startsWith('data:')) {
    const payload = DATA_URI.exec(value)?.[1];
    if (payload === undefined || payload.length % 4 !== 0) {
      return `${field} must be a base64 data URI of a PNG, JPEG or WebP image (data:image/png;base64,…).`;
    }
    if (base64Bytes(payload) > VIDU_MAX_INLINE_IMAGE_BYTES) {
      return `${field} is larger than the 10 MB Vidu accepts for an inline image; use an image URL instead.`;
    }
    return null;
  }
  return isHttpUrl(value) ? null : `${field} must be an http(s) image URL or a data:image/… URI.`;
}

const imageRef = (field: string) =>
  z
    .string({ error: `${field} must be an http(s) image URL or a data:image/… URI.` })
    .trim()
    .superRefine((value, ctx) => {
      const issue = imageRefIssue(field, value);
      if (issue !== null) ctx.addIssue({ code: 'custom', message: issue });
    });

/** A form may send null for a field left empty: the same as leaving it out. */
const optional = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined);

const intIn = (field: string, min: number, max: number) => {
  const error = `${field} must be a whole number from ${min} to ${max}.`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const flag = (field: string) => z.boolean({ error: `${field} must be true or false.` });

/** `@Image3` in a reference prompt names the third reference image. */
const IMAGE_MENTION = /@image(\d+)/gi;

export const viduInputSchema = z
  .strictObject({
    model: z.enum(VIDU_MODEL_IDS, { error: `model must be one of ${VIDU_MODEL_IDS.join(', ')}.` }),
    prompt: z.string({ error: 'prompt is required.' }).trim().min(1, { error: 'prompt is required.' }),
    /** The first frame (image-to-video), or the start frame with `lastImage`. */
    image: optional(imageRef('image')),
    lastImage: optional(imageRef('lastImage')),
    referenceImages: optional(
      z
        .array(imageRef('Every entry of referenceImages'), {
          error: `referenceImages must be a list of 1 to ${VIDU_MAX_REFERENCE_IMAGES} images.`,
        })
        .min(1, { error: 'referenceImages needs at least one image.' })
        .max(VIDU_MAX_REFERENCE_IMAGES, {
          error: `referenceImages takes at most ${VIDU_MAX_REFERENCE_IMAGES} images.`,
        }),
    ),
    aspectRatio: optional(
      z.enum(VIDU_ASPECT_RATIOS, { error: `aspectRatio must be one of ${VIDU_ASPECT_RATIOS.join(', ')}.` }),
    ),
    /** Seconds. */
    duration: optional(intIn('duration', VIDU_MIN_DURATION, VIDU_MAX_DURATION)).transform(
      (d) => d ?? VIDU_DEFAULT_DURATION,
    ),
    audio: optional(flag('audio')),
    bgm: optional(flag('bgm')),
    seed: optional(intIn('seed', 0, VIDU_MAX_SEED)),
  })
  .superRefine((input, ctx) => {
    if (input.lastImage !== undefined && input.image === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['lastImage'],
        message: 'lastImage needs image as the first frame; Vidu does not take a last frame alone.',
      });
      return;
    }
    if (input.referenceImages !== undefined && input.image !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['referenceImages'],
        message: 'referenceImages cannot be combined with image or lastImage; choose one mode.',
      });
      return;
    }
    if (input.aspectRatio !== undefined && input.image !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['aspectRatio'],
        message: 'aspectRatio does not apply when animating an image; the video takes the image’s shape.',
      });
      return;
    }
    if (input.referenceImages !== undefined) {
      const count = input.referenceImages.length;
      for (const [, n] of input.prompt.matchAll(IMAGE_MENTION)) {
        const index = Number(n);
        if (index < 1 || index > count) {
          ctx.addIssue({
            code: 'custom',
            path: ['prompt'],
            message: `The prompt mentions @Image${n} but ${count === 1 ? 'there is 1 reference image' : `there are ${count} reference images`}.`,
          });
          return;
        }
      }
    }
  });

/** What callers pass (defaults not yet applied). */
export type ViduInput = z.input<typeof viduInputSchema>;
/** After parsing: trimmed strings, duration filled, nulls removed. */
export type ParsedViduInput = z.output<typeof viduInputSchema>;

/** The mode an input asks for, from the images it carries. */
export function viduTaskTypeOf(input: {
  image?: string | undefined;
  lastImage?: string | undefined;
  referenceImages?: readonly string[] | undefined;
}): ViduTaskType {
  if (input.referenceImages !== undefined) return 'reference_to_video';
  if (input.image !== undefined)
    return input.lastImage !== undefined ? 'start_end_to_video' : 'image_to_video';
  return 'text_to_video';
}
