/**
 * The simulator's accounts, init images, generated images and generations. A generation's status is a
 * pure function of the sim clock and the timeline fixed at submit, so reading it is all it takes to
 * move it along; credits are taken at submit and given back, lazily, when a generation fails.
 */
import { createHash, createHmac, randomInt, randomUUID } from 'node:crypto';
import type { SimClock } from '../legnext/clock';
import { FAIL_MARKER, FORBIDDEN_MARKER } from '../legnext/store';
import { creditCost, type SimModel } from './catalog';
import { LeonardoSimError, NOT_ENOUGH_CREDITS_MESSAGE, badRequest } from './errors';
import type { GenerationSpec, ImageRef } from './validation';

export { FAIL_MARKER, FORBIDDEN_MARKER };

/** `pending`: accepted, waiting for a worker; `processing`: being rendered. Both read as PENDING. */
export type Phase = 'pending' | 'processing';
export type Durations = Record<Phase, number>;
export type GenerationStatus = 'PENDING' | 'COMPLETE' | 'FAILED';

/** How long a presigned upload form stays valid on the sim clock. */
export const UPLOAD_POLICY_TTL_MS = 5 * 60 * 1000;
/** The presigned policy's `content-length-range` upper bound. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
export const UPLOAD_BUCKET = 'genvault-sim-init-images';

export interface SimGeneration {
  id: string;
  apiKey: string;
  spec: GenerationSpec;
  createdAt: number;
  processingAt: number;
  endAt: number;
  outcome: 'COMPLETE' | 'FAILED';
  cost: number;
  seed: number;
  /** Whether a failure has been refunded yet. */
  settled: boolean;
}

export interface SimInitImage {
  id: string;
  apiKey: string;
  extension: string;
  /** The presigned form fields as issued (names exactly as sent to the client). */
  fields: Record<string, string>;
  expiresAt: number;
  uploaded: boolean;
  bytes: Buffer | undefined;
  /** The uploaded bytes are an image of the announced type; generating from anything else fails. */
  usable: boolean;
}

export interface StoreOptions {
  clock: SimClock;
  apiKey: string;
  credits: number;
  durations: Durations;
  maxConcurrent: number;
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** A stable UUID-shaped id derived from a string (the user id behind a key). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Hasura renders `timestamp` columns in UTC without a zone: `2025-07-01T09:30:00.123`. */
export function hasuraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export class LeonardoStore {
  /** Set once the server listens: upload and CDN URLs point at the simulator itself. */
  origin = '';
  private readonly generations = new Map<string, SimGeneration>();
  private readonly initImages = new Map<string, SimInitImage>();
  private readonly generatedImages = new Map<string, string>();
  private readonly signingSecret = randomUUID();
  private balance: number;

  constructor(private readonly opts: StoreOptions) {
    this.balance = opts.credits;
  }

  now(): number {
    return this.opts.clock.now();
  }

  userIdOf(apiKey: string): string {
    return stableUuid(`user:${apiKey}`);
  }

  credits(): number {
    this.settle();
    return this.balance;
  }

  setCredits(credits: number): void {
    this.settle();
    this.balance = credits;
  }

  statusAt(gen: SimGeneration, now = this.now()): GenerationStatus {
    return now >= gen.endAt ? gen.outcome : 'PENDING';
  }

  phaseAt(gen: SimGeneration, now = this.now()): Phase | 'complete' | 'failed' {
    if (now >= gen.endAt) return gen.outcome === 'COMPLETE' ? 'complete' : 'failed';
    return now >= gen.processingAt ? 'processing' : 'pending';
  }

  get(id: string): SimGeneration | undefined {
    return this.generations.get(id.toLowerCase());
  }

  initImage(id: string): SimInitImage | undefined {
    return this.initImages.get(id.toLowerCase());
  }

  /** Refunds failed generations whose end has passed. */
  private settle(): void {
    const now = this.now();
    for (const gen of this.generations.values()) {
      if (gen.settled || now < gen.endAt) continue;
      gen.settled = true;
      if (gen.outcome === 'FAILED') this.balance += gen.cost;
    }
  }

  private unfinished(apiKey: string): number {
    const now = this.now();
    return [...this.generations.values()].filter((g) => g.apiKey === apiKey && now < g.endAt).length;
  }

  /** `POST /init-image`: a new init image id and the presigned form to upload it with. */
  createInitImage(apiKey: string, extension: string): SimInitImage {
    const id = randomUUID();
    const now = this.now();
    const expiresAt = now + UPLOAD_POLICY_TTL_MS;
    const key = `${this.userIdOf(apiKey)}/initImages/${id}.${extension}`;
    const contentType = MIME[extension] ?? 'application/octet-stream';
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(expiresAt).toISOString(),
        conditions: [
          { bucket: UPLOAD_BUCKET },
          { key },
          { 'Content-Type': contentType },
          ['content-length-range', 1, MAX_UPLOAD_BYTES],
        ],
      }),
    ).toString('base64');
    const fields = {
      'Content-Type': contentType,
      bucket: UPLOAD_BUCKET,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `SIMACCESSKEY/${amzDate(now).slice(0, 8)}/us-east-1/s3/aws4_request`,
      'X-Amz-Date': amzDate(now),
      key,
      Policy: policy,
      'X-Amz-Signature': createHmac('sha256', this.signingSecret).update(policy).digest('hex'),
    };
    const image: SimInitImage = {
      id,
      apiKey,
      extension,
      fields,
      expiresAt,
      uploaded: false,
      bytes: undefined,
      usable: false,
    };
    this.initImages.set(id, image);
    return image;
  }

  /** An image "Leonardo made earlier" for this account, usable with `imageType: GENERATED`. */
  seedGeneratedImage(apiKey: string): string {
    const id = randomUUID();
    this.generatedImages.set(id, apiKey);
    return id;
  }

  /** Whether an image reference can start (or end) a video for this account, and whether it will render. */
  private resolveImage(ref: ImageRef, apiKey: string, field: string): { usable: boolean } {
    if (ref.type === 'GENERATED') {
      if (this.generatedImages.get(ref.id) !== apiKey) {
        throw badRequest(`${field}: no generated image ${ref.id} was found for this user.`);
      }
      return { usable: true };
    }
    const init = this.initImages.get(ref.id);
    if (!init || init.apiKey !== apiKey) {
      throw badRequest(`${field}: no init image ${ref.id} was found for this user.`);
    }
    if (!init.uploaded) throw badRequest(`${field}: init image ${ref.id} has not been uploaded yet.`);
    return { usable: init.usable };
  }

  /** Accepts a validated request or throws the API's error for it. */
  submit(spec: GenerationSpec, apiKey: string, durations: Durations): SimGeneration {
    this.settle();
    if (spec.prompt.includes(FORBIDDEN_MARKER)) {
      throw new LeonardoSimError(403, 'Your prompt was flagged by our content moderation filter.', {
        code: 'content-moderation',
      });
    }
    const start = this.resolveImage(spec.image, apiKey, 'imageId');
    const end = spec.endFrame ? this.resolveImage(spec.endFrame, apiKey, 'endFrameImage') : { usable: true };
    if (this.unfinished(apiKey) >= this.opts.maxConcurrent) {
      throw new LeonardoSimError(
        429,
        'You have reached your concurrent generation limit; please try again later.',
        {
          code: 'rate-limit',
        },
      );
    }
    const cost = creditCost(spec.model as SimModel, spec.duration, spec.resolution);
    if (this.balance < cost) throw badRequest(NOT_ENOUGH_CREDITS_MESSAGE);
    this.balance -= cost;

    const now = this.now();
    const fails = spec.prompt.includes(FAIL_MARKER) || !start.usable || !end.usable;
    const gen: SimGeneration = {
      id: randomUUID(),
      apiKey,
      spec,
      createdAt: now,
      processingAt: now + durations.pending,
      endAt: now + durations.pending + durations.processing,
      outcome: fails ? 'FAILED' : 'COMPLETE',
      cost,
      seed: spec.seed ?? randomInt(0, 2_147_483_637),
      settled: false,
    };
    this.generations.set(gen.id, gen);
    return gen;
  }

  videoUrl(gen: SimGeneration): string {
    return `${this.origin}/cdn/users/${this.userIdOf(gen.apiKey)}/generations/${gen.id}/motion.mp4`;
  }

  posterUrl(gen: SimGeneration): string {
    return `${this.origin}/cdn/users/${this.userIdOf(gen.apiKey)}/generations/${gen.id}/poster.png`;
  }

  /** The answer to the submit, as documented (credits as the PAYG-free API plans report them). */
  submitView(gen: SimGeneration): unknown {
    return {
      motionVideoGenerationJob: {
        generationId: gen.id,
        apiCreditCost: gen.cost,
        cost: { amount: String(gen.cost), unit: 'CREDITS' },
      },
    };
  }

  /** `generations_by_pk` exactly as `GET /generations/{id}` returns it. */
  view(gen: SimGeneration): Record<string, unknown> {
    const status = this.statusAt(gen);
    const { spec } = gen;
    const imageId = stableUuid(`video:${gen.id}`);
    return {
      id: gen.id,
      createdAt: hasuraTime(gen.createdAt),
      status,
      prompt: spec.prompt,
      negativePrompt: spec.negativePrompt ?? null,
      seed: gen.seed,
      imageWidth: spec.width ?? null,
      imageHeight: spec.height ?? null,
      public: spec.isPublic,
      modelId: null,
      motionModel: spec.model,
      generation_elements: [],
      generated_images:
        status === 'COMPLETE'
          ? [
              {
                id: imageId,
                url: this.posterUrl(gen),
                motionMP4URL: this.videoUrl(gen),
                motion: true,
                motionModel: spec.model,
                imageToVideo: true,
                nsfw: false,
                likeCount: 0,
                generated_image_variation_generics: [],
              },
            ]
          : [],
    };
  }
}
