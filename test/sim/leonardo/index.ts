/**
 * A local simulator of Leonardo's image-to-video API (https://cloud.leonardo.ai/api/rest/v1) for
 * integration tests, benchmarks and manual runs: a real HTTP server on 127.0.0.1 that validates
 * requests, runs generations through pending → processing → COMPLETE/FAILED on its own clock, takes
 * credits, emulates the init-image flow (a presigned S3-style POST that refuses an Authorization
 * header), serves real MP4 files from `/cdn`, and fails on demand.
 *
 * Leonardo's status enum has no processing state: both phases read as PENDING, and `phase()` tells
 * them apart for tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type SimClock } from '../legnext/clock';
import { FaultQueue, type SimFaults } from '../legnext/faults';
import { MediaCache } from '../legnext/media';
import { API_PREFIX, createHandler, type RecordedRequest, type SimContext } from './server';
import { LeonardoStore, type Durations, type Phase } from './store';

export type { SimClock } from '../legnext/clock';
export type { FaultKind, FaultRule, FaultTarget, SimFaults } from '../legnext/faults';
export type { RecordedRequest, UploadRecord } from './server';
export {
  FAIL_MARKER,
  FORBIDDEN_MARKER,
  MAX_UPLOAD_BYTES,
  UPLOAD_BUCKET,
  UPLOAD_POLICY_TTL_MS,
} from './store';
export { AUTH_FAILED_MESSAGE, NOT_ENOUGH_CREDITS_MESSAGE } from './errors';
export { creditCost } from './catalog';

/** A Leonardo API key is a UUID. */
export const DEFAULT_SIM_API_KEY = '3f6c2b1e-9d4a-4e7b-8c5f-1a2b3c4d5e6f';

export interface LeonardoSimOptions {
  /** The accepted key; default `DEFAULT_SIM_API_KEY`. */
  apiKey?: string;
  /** Starting balance in API credits; default 10 000. */
  credits?: number;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Milliseconds per phase on the sim clock; defaults 40 / 150. */
  durations?: Partial<Durations>;
  /** Unfinished generations per key before a submit gets 429; default 10. */
  maxConcurrent?: number;
}

export interface LeonardoSim {
  /** Origin such as `http://127.0.0.1:43123`. */
  url: string;
  /** The API root to configure a client with: `${url}/api/rest/v1`. */
  baseUrl: string;
  apiKey: string;
  clock: SimClock;
  faults: SimFaults;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  credits(): number;
  setCredits(credits: number): void;
  /** An image "Leonardo generated earlier" for this key; use its id with `imageType: 'GENERATED'`. */
  seedGeneratedImage(): string;
  /** `generations_by_pk` exactly as GET /generations/{id} returns it now. */
  generation(id: string): Record<string, unknown> | undefined;
  /** Where a generation is on its timeline. */
  phase(id: string): Phase | 'complete' | 'failed' | undefined;
  /** An init image and its upload state, or undefined for an unknown id. */
  initImage(id: string): { extension: string; uploaded: boolean; bytes: Buffer | undefined } | undefined;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

export const DEFAULT_DURATIONS: Durations = { pending: 40, processing: 150 };

export async function startLeonardoSim(opts: LeonardoSimOptions = {}): Promise<LeonardoSim> {
  const apiKey = opts.apiKey ?? DEFAULT_SIM_API_KEY;
  const host = opts.host ?? '127.0.0.1';
  const durations = { ...DEFAULT_DURATIONS, ...opts.durations };
  for (const [phase, ms] of Object.entries(durations)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`durations.${phase} must be a non-negative number of milliseconds.`);
    }
  }
  const clock = createClock();
  const store = new LeonardoStore({
    clock,
    apiKey,
    credits: opts.credits ?? 10_000,
    durations,
    maxConcurrent: opts.maxConcurrent ?? 10,
  });
  const ctx: SimContext = {
    apiKey,
    store,
    faults: new FaultQueue(),
    requests: [],
    timers: new Set(),
    media: new MediaCache(),
    durations,
  };
  const server = createServer(createHandler(ctx));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  store.origin = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}${API_PREFIX}`,
    apiKey,
    clock,
    faults: ctx.faults,
    requests: ctx.requests,
    credits: () => store.credits(),
    setCredits: (credits) => store.setCredits(credits),
    seedGeneratedImage: () => store.seedGeneratedImage(apiKey),
    generation(id) {
      const gen = store.get(id);
      return gen ? store.view(gen) : undefined;
    },
    phase(id) {
      const gen = store.get(id);
      return gen ? store.phaseAt(gen) : undefined;
    },
    initImage(id) {
      const image = store.initImage(id);
      return image ? { extension: image.extension, uploaded: image.uploaded, bytes: image.bytes } : undefined;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of ctx.timers) clearInterval(timer);
        ctx.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
