/**
 * Leonardo's wire format and its translation into GenVault's `RemoteJobSnapshot`. Parsing is tolerant
 * on purpose: unknown fields pass and optional fields may be missing, null or of an unexpected type.
 * What cannot be worked around (no generation id, an undocumented status, a completed generation
 * without a video, an upload without its presigned form) is a `ProtocolError` with a plain message.
 */
import { z } from 'zod';
import { ProtocolError } from '../../errors';
import { isHttpUrl } from '../../params/issues';
import type { RemoteJobSnapshot, RemoteOutput, RemoteStatus } from '../types';
import { generationNotFoundError } from './errors';
import { LEONARDO_TASK_TYPE } from './requests';

/** Anything unexpected (an object where a string was expected…) is treated as absent rather than fatal. */
const tolerant = <T extends z.ZodType>(schema: T) => schema.nullish().catch(null);

const looseString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .transform((s) => (s === '' ? null : s));

const looseNumber = z.union([z.number(), z.string()]).transform((v) => {
  const n = typeof v === 'number' ? v : Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
});

const idString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((s) => s !== '');

/** `cost` of a submit: `{amount: "0.0147", unit: "DOLLARS" | "CREDITS"}`. */
const costWire = z.looseObject({ amount: tolerant(looseNumber), unit: tolerant(looseString) });

const generationJobWire = z.looseObject({
  generationId: idString,
  apiCreditCost: tolerant(looseNumber),
  cost: tolerant(costWire),
});

/**
 * The documented `motionVideoGenerationJob`; Leonardo's older motion endpoint names the same object
 * `motionSvdGenerationJob`, and that name is accepted too rather than failing a job that was created.
 */
export const leonardoSubmitWireSchema = z.union([
  z.looseObject({ motionVideoGenerationJob: generationJobWire }).transform((w) => w.motionVideoGenerationJob),
  z.looseObject({ motionSvdGenerationJob: generationJobWire }).transform((w) => w.motionSvdGenerationJob),
]);

const generatedImageWire = z.looseObject({
  id: tolerant(looseString),
  url: tolerant(looseString),
  motionMP4URL: tolerant(looseString),
  nsfw: tolerant(z.boolean()),
});

export const leonardoGenerationWireSchema = z.looseObject({
  generations_by_pk: z
    .looseObject({
      id: tolerant(looseString),
      status: z.string(),
      createdAt: tolerant(looseString),
      seed: tolerant(looseString),
      progress: tolerant(looseNumber),
      generated_images: z
        .array(z.unknown())
        .nullish()
        .catch(null)
        .transform((items) =>
          (items ?? []).flatMap((item) => {
            const parsed = generatedImageWire.safeParse(item);
            return parsed.success ? [parsed.data] : [];
          }),
        ),
    })
    .nullable(),
});

/** `uploadInitImage.fields` is documented as a JSON string; an object is accepted as well. */
const uploadFieldsWire = z
  .union([
    z.string().transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'fields is not JSON' });
        return z.NEVER;
      }
    }),
    z.record(z.string(), z.unknown()),
  ])
  .pipe(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)));

export const leonardoInitImageWireSchema = z.looseObject({
  uploadInitImage: z.looseObject({
    id: idString,
    url: z.string().trim().refine(isHttpUrl),
    fields: uploadFieldsWire,
    key: tolerant(looseString),
  }),
});

/**
 * `GET /me`: `user_details[0]` names the account and its token balances. Only the user id is required;
 * balances are read tolerantly (absent or odd values count as 0).
 */
export const leonardoMeWireSchema = z.looseObject({
  user_details: z
    .array(
      z.looseObject({
        user: z.looseObject({ id: idString, username: tolerant(looseString) }),
        apiPaidTokens: tolerant(looseNumber),
        apiSubscriptionTokens: tolerant(looseNumber),
      }),
    )
    .min(1),
});

/** The account behind a key, as `GET /me` reports it. */
export interface LeonardoAccount {
  userId: string;
  username: string | null;
  /** API credits left: paid plus subscription tokens. */
  apiCredits: number;
}

export function parseLeonardoMe(raw: unknown): LeonardoAccount {
  const parsed = leonardoMeWireSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError('Leonardo answered the account request without naming the account.', {
      cause: parsed.error,
    });
  }
  const details = parsed.data.user_details[0]!;
  return {
    userId: details.user.id,
    username: details.user.username ?? null,
    apiCredits: (details.apiPaidTokens ?? 0) + (details.apiSubscriptionTokens ?? 0),
  };
}

const STATUS_MAP: Record<string, RemoteStatus> = {
  // Leonardo has no separate queued state: a generation is PENDING from acceptance until it ends.
  PENDING: 'running',
  COMPLETE: 'completed',
  FAILED: 'failed',
};

/** PENDING → running, COMPLETE → completed, FAILED → failed; undefined for anything the API does not document. */
export function leonardoStatusOf(status: string): RemoteStatus | undefined {
  return STATUS_MAP[status.trim().toUpperCase()];
}

/**
 * Leonardo's timestamps are UTC, written with or without a zone (`2025-07-01T09:30:00.123`): a
 * zoneless one must not be read as local time. Unparseable or empty → null.
 */
export function normaliseLeonardoTime(value: string | null | undefined): string | null {
  const s = value?.trim();
  if (!s) return null;
  const zoned = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Credits from `cost` in CREDITS, else the deprecated `apiCreditCost`; a dollar price is no credit count. */
function creditsOf(job: z.output<typeof generationJobWire>): number | null {
  const unit = job.cost?.unit?.toUpperCase();
  if (unit === 'CREDITS' && job.cost?.amount != null) return job.cost.amount;
  return job.apiCreditCost ?? null;
}

function emptySnapshot(remoteId: string, status: RemoteStatus, raw: unknown): RemoteJobSnapshot {
  return {
    provider: 'leonardo',
    remoteId,
    taskType: LEONARDO_TASK_TYPE,
    status,
    createdAt: null,
    startedAt: null,
    endedAt: null,
    outputs: [],
    text: null,
    seed: null,
    cost: { frozen: 0, consumed: 0 },
    error: null,
    availableActions: null,
    progress: null,
    raw,
  };
}

/**
 * The answer to `POST /generations-image-to-video` → a queued snapshot. Leonardo takes the credits when
 * it accepts the job, so a reported credit cost is both frozen and consumed.
 */
export function parseLeonardoSubmit(raw: unknown): RemoteJobSnapshot {
  const parsed = leonardoSubmitWireSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError(
      'Leonardo accepted the video request but did not say which generation it started.',
      {
        cause: parsed.error,
      },
    );
  }
  const snapshot = emptySnapshot(parsed.data.generationId, 'queued', raw);
  const credits = creditsOf(parsed.data);
  if (credits !== null) snapshot.cost = { frozen: credits, consumed: credits };
  return snapshot;
}

/**
 * The answer to `GET /generations/{id}` → a snapshot; `requestedId` is the generation asked for.
 * `generations_by_pk: null` is Leonardo's "no such generation" and becomes a 404 `ApiError`.
 */
export function parseLeonardoGeneration(raw: unknown, requestedId: string): RemoteJobSnapshot {
  const parsed = leonardoGenerationWireSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError(
      `Leonardo answered the status request for generation ${requestedId} without a generation status.`,
      { cause: parsed.error },
    );
  }
  const generation = parsed.data.generations_by_pk;
  if (generation === null) throw generationNotFoundError(requestedId);
  const status = leonardoStatusOf(generation.status);
  if (status === undefined) {
    throw new ProtocolError(
      `Leonardo reported a generation status GenVault does not know ("${generation.status}").`,
    );
  }
  const remoteId = generation.id ?? requestedId;
  if (remoteId.toLowerCase() !== requestedId.toLowerCase()) {
    throw new ProtocolError(
      `Leonardo answered the status request for generation ${requestedId} with generation ${remoteId}.`,
    );
  }

  const outputs: RemoteOutput[] = [];
  const video = generation.generated_images
    .map((image) => image.motionMP4URL)
    .find((url): url is string => url !== null && url !== undefined && isHttpUrl(url));
  if (video !== undefined) outputs.push({ kind: 'video', index: 0, url: video });
  if (status === 'completed' && outputs.length === 0) {
    throw new ProtocolError(`Leonardo reported generation ${remoteId} complete but gave no video URL.`);
  }

  const snapshot = emptySnapshot(remoteId, status, raw);
  snapshot.createdAt = normaliseLeonardoTime(generation.createdAt);
  snapshot.outputs = outputs;
  snapshot.seed = generation.seed ?? null;
  snapshot.progress =
    generation.progress === null || generation.progress === undefined
      ? null
      : Math.min(100, Math.max(0, generation.progress));
  if (status === 'failed') {
    snapshot.error = {
      code: 'failed',
      message: 'Leonardo reported the generation as failed without giving a reason.',
    };
  }
  return snapshot;
}

export interface InitImageUpload {
  /** The init image id to generate from (`imageType: 'UPLOADED'`). */
  id: string;
  /** The presigned POST target. */
  url: string;
  /** Form fields to send before the file, exactly as given. */
  fields: Record<string, string>;
}

/** The answer to `POST /init-image`: where and how to upload the file. */
export function parseInitImageUpload(raw: unknown): InitImageUpload {
  const parsed = leonardoInitImageWireSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError(
      'Leonardo answered the image upload request without a usable upload address and form fields.',
      { cause: parsed.error },
    );
  }
  const { id, url, fields } = parsed.data.uploadInitImage;
  return { id, url, fields };
}
